import AWQ
import Core
import TestSupport
import Testing

/// `pseudo_quantize_tensor` against the reference's three RTN cases (README section L). Plain
/// round-to-nearest with the reference's float32 operations is exact, so every code, scale,
/// zero and dequantized value must agree to the bit — including the edge groups of
/// `rtn_g64_edge` (all-zero, constant, all positive, all negative, a range below the 1e-5
/// clamp, and linspace(−1, 1, 64), whose −min/scale = 7.5 is a rounding tie).
@Suite struct PseudoQuantizeReferenceTests {
    static let cases = ["rtn_g128", "rtn_g64_heavy", "rtn_g64_edge"]

    @Test(arguments: cases)
    func codesScalesZerosAndValuesEqualTheReference(caseName: String) throws {
        let dir = "awq/\(caseName)/"
        let w = try loadWeight(dir + "W.npy")
        let groupSize = try CaseJSON(caseName).int("q_group_size")
        let result = PseudoQuantizer.quantize(
            w.values, rows: w.rows, columns: w.columns, bits: 4,
            groupSize: groupSize)
        let codes = firstMismatch(try loadBytes(dir + "codes.npy"), result.codes)
        #expect(codes == nil, "codes: \(codes ?? "")")
        let scales = firstBitMismatch(try loadFloats(dir + "scales.npy"), result.scales)
        #expect(scales == nil, "scales: \(scales ?? "")")
        let zeros = firstBitMismatch(try loadFloats(dir + "zeros.npy"), result.zeros)
        #expect(zeros == nil, "zeros: \(zeros ?? "")")
        let values = firstBitMismatch(try loadFloats(dir + "Q.npy"), result.values)
        #expect(values == nil, "Q: \(values ?? "")")
    }

    /// The RTN baselines stored with the search cases (`RTN*.npy` = pseudo_quantize(W)) too.
    @Test(arguments: SearchCase.names)
    func rtnBaselinesOfTheSearchCasesEqualTheReference(caseName: String) throws {
        let c = try SearchCase(caseName)
        for (name, w) in zip(c.linearNames, c.weights) {
            let q = PseudoQuantizer.dequantized(
                w.values, rows: w.rows, columns: w.columns, bits: 4,
                groupSize: c.groupSize)
            let mismatch = firstBitMismatch(try loadFloats(c.file("RTN", name)), q)
            #expect(mismatch == nil, "\(caseName) \(name): \(mismatch ?? "")")
        }
    }
}
