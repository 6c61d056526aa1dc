import GPTQ
import TestSupport
import Testing

/// The readable path (`GPTQ.quantizeColumnByColumn`, every update applied at once) against
/// the blocked one (`GPTQ.quantize`, lazy batches): where they must agree, and why w4_g32
/// and w4_g32_bs16 — the same W and X — differ.
@Suite struct BlockSemanticsTests {

    func readable(_ c: ReferenceCase, _ configuration: GPTQConfiguration? = nil) throws
        -> GPTQResult
    {
        try GPTQ.quantizeColumnByColumn(
            weight: c.w, rows: c.rows, columns: c.columns, hessian: c.hessian().h,
            configuration: configuration ?? c.configuration)
    }

    /// One block (blockSize ≥ in-dim) and no group starting after column 0: the blocked path
    /// performs the readable path's float32 operations in the same order — bit for bit.
    @Test(arguments: ["w4_perchannel", "w3_perchannel_actorder", "w4_g32_actorder_static"])
    func oneBlockWithoutMidBlockGroupsIsTheReadablePathExactly(name: String) throws {
        let c = try ReferenceCase(name)
        #expect(c.configuration.blockSize >= c.columns)
        let m = firstBitMismatch(try c.gptq().dequantized, try readable(c).dequantized)
        #expect(m == nil, "\(name): \(m ?? "")")
    }

    /// Several blocks, groups only at block starts: the same algorithm, but the lazy update
    /// sums a block's products before subtracting, where the readable path subtracts them one
    /// by one — float32 rounding moves, a few codes may flip. ≥ 98 % of Q equal (the issue's
    /// bar for "the same computation"), and the same output error within 1 %.
    @Test(arguments: [("w4_perchannel", 16), ("w4_g32_bs16", 16), ("w4_g128_heavy", 128)])
    func blocksAtGroupBoundariesAgreeUpToSummationOrder(name: String, blockSize: Int) throws {
        let c = try ReferenceCase(name)
        var config = c.configuration
        config.blockSize = blockSize
        let blocked = try GPTQ.quantize(
            weight: c.w, rows: c.rows, columns: c.columns, hessian: c.hessian().h,
            configuration: config)
        let columnwise = try readable(c, config)
        let equal = equalCount(blocked.codes, columnwise.codes)
        #expect(
            Double(equal) >= 0.98 * Double(blocked.codes.count),
            "\(name): \(equal) of \(blocked.codes.count) codes equal")
        let (e1, e2) = (c.outputError(blocked.dequantized), c.outputError(columnwise.dequantized))
        #expect(abs(e1 - e2) <= 0.01 * e2, "\(name): \(e1) vs \(e2)")
    }

    /// w4_g32 (blocks of 128) and w4_g32_bs16 (blocks of 16) quantize the same layer. With
    /// blocks of 16 every group of 32 starts a block, so its grid is fitted on fully
    /// error-fed weights — the readable path's semantics, which reproduces bs16's Q. With one
    /// block of 128 the group at column 32 starts mid-block and is fitted on weights that have
    /// not yet received columns 0 … 31's feedback: many of its codes change (the reference's
    /// "refit on updated W" variant keeps only ~83 % of them).
    @Test func blockSizeChangesGroupGridsWhenAGroupStartsInsideABlock() throws {
        let g32 = try ReferenceCase("w4_g32")
        let bs16 = try ReferenceCase("w4_g32_bs16")
        #expect(g32.w == bs16.w && g32.x == bs16.x)
        let columnwise = try readable(g32).codes.map { Int($0) }
        let bs16Codes = try bs16.ints("codes.npy")
        let g32Codes = try g32.ints("codes.npy")
        let total = bs16Codes.count
        let withBS16 = equalCount(columnwise, bs16Codes)
        let withG32 = equalCount(columnwise, g32Codes)
        #expect(
            Double(withBS16) >= 0.98 * Double(total),
            "readable vs bs16: \(withBS16) of \(total) codes")
        #expect(
            Double(withG32) < 0.95 * Double(total), "readable vs g32: \(withG32) of \(total) codes")
        // The first group (columns 0 … 31) starts at column 0 in both: the same codes up to
        // summation order; the difference lives in the second group.
        let firstHalf = (0..<total).filter { $0 % g32.columns < 32 }
        let firstEqual = firstHalf.filter { bs16Codes[$0] == g32Codes[$0] }.count
        #expect(
            Double(firstEqual) >= 0.98 * Double(firstHalf.count),
            "first group: \(firstEqual) of \(firstHalf.count)")
        let secondHalf = (0..<total).filter { $0 % g32.columns >= 32 }
        let secondEqual = secondHalf.filter { bs16Codes[$0] == g32Codes[$0] }.count
        #expect(
            Double(secondEqual) < 0.9 * Double(secondHalf.count),
            "second group: \(secondEqual) of \(secondHalf.count)")
    }
}
