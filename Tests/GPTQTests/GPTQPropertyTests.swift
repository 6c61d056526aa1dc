import GPTQ
import TestSupport
import Testing

/// The properties the chapter claims, checked on the reference cases' data.
@Suite struct GPTQPropertyTests {

    /// GPTQ minimises ‖XWᵀ − XQᵀ‖² greedily; on every reference case it ends below RTN's error
    /// on the calibration data (the reference's own `gptq_beats_rtn` check).
    @Test(arguments: ReferenceCase.names)
    func gptqBeatsRoundToNearestOnTheCalibrationObjective(name: String) throws {
        let c = try ReferenceCase(name)
        let gptq = c.outputError(try c.gptq().dequantized)
        let rtn = c.outputError(
            RoundToNearest.quantize(
                weight: c.w, rows: c.rows, columns: c.columns, bits: c.configuration.bits,
                groupSize: c.configuration.groupSize, symmetric: c.configuration.symmetric
            ).dequantized)
        #expect(gptq < rtn, "\(name): GPTQ \(gptq), RTN \(rtn)")
    }

    /// Act-order's permutation is undone: feeding the same layer with its input columns
    /// shuffled (W·P, Pᵀ·H·P) gives the same Q with its columns shuffled the same way —
    /// act-order sorts by diag(H) whatever order the columns arrive in, and puts each column
    /// back where it came from. Exact: the same float32 operations in the same order.
    @Test(arguments: ["w3_perchannel_actorder", "w4_g32_actorder", "w4_g16_dead_outliers_actorder"])
    func actOrderPermutationIsUndone(name: String) throws {
        let c = try ReferenceCase(name)
        let (rows, n) = (c.rows, c.columns)
        let h = c.hessian().h
        let original = try c.gptq()
        // shuffle: new column j = old column (7·j + 3) mod n (7 is coprime to 64 and 256).
        let shuffle = (0..<n).map { (7 * $0 + 3) % n }
        let w2 = HessianPreparation.permuteColumns(c.w, rows: rows, columns: n, perm: shuffle)
        let h2 = HessianPreparation.permuteSymmetric(h, columns: n, perm: shuffle)
        let shuffled = try GPTQ.quantize(
            weight: w2, rows: rows, columns: n, hessian: h2, configuration: c.configuration)
        let expected = HessianPreparation.permuteColumns(
            original.dequantized, rows: rows, columns: n, perm: shuffle)
        let m = firstBitMismatch(expected, shuffled.dequantized)
        #expect(m == nil, "\(name): \(m ?? "")")
        // and the processing order is by decreasing diag(H)
        let diag = original.perm.map { h[$0 * n + $0] }
        #expect(zip(diag, diag.dropFirst()).allSatisfy { $0 >= $1 })
    }

    /// Column 9 of the dead-column cases was all zero in X: diag(H) = 0, so GPTQ sets its
    /// weights to 0 before quantizing, and the min-max grid holds 0 exactly: Q[:, 9] = 0.
    @Test(arguments: ["w4_g16_dead_outliers", "w4_g16_dead_outliers_actorder"])
    func deadColumnsComeOutZero(name: String) throws {
        let c = try ReferenceCase(name)
        let h = c.hessian().h
        #expect(h[9 * c.columns + 9] == 0)
        let q = try c.gptq().dequantized
        let column9 = (0..<c.rows).map { q[$0 * c.columns + 9] }
        #expect(column9.allSatisfy { $0 == 0 }, "\(column9.filter { $0 != 0 }.count) nonzero")
        #expect(
            (0..<c.rows).contains { c.w[$0 * c.columns + 9] != 0 },
            "W's column 9 was not zero to begin with")
    }

    /// RTN needs no data: its result is the same whatever X is, and equals GPTQ with U = I
    /// (no feedback) — checked by quantizing with an identity H, which makes every err feed
    /// nothing forward (U[j, k] = 0 for k > j).
    @Test func gptqWithoutCrossTermsIsRoundToNearest() throws {
        let c = try ReferenceCase("w4_g32")
        var identity = [Float](repeating: 0, count: c.columns * c.columns)
        for i in 0..<c.columns { identity[i * c.columns + i] = 1 }
        let gptq = try GPTQ.quantize(
            weight: c.w, rows: c.rows, columns: c.columns, hessian: identity,
            configuration: c.configuration)
        let rtn = RoundToNearest.quantize(
            weight: c.w, rows: c.rows, columns: c.columns, bits: 4, groupSize: 32)
        #expect(firstBitMismatch(rtn.dequantized, gptq.dequantized) == nil)
    }
}
