import AWQ
import TestSupport
import Testing

/// Exercise 10b: s = max(x_max^α, 1e-4), normalised by sqrt(max(s) · min(s)).
@Suite struct Ex10b_ScaleFormulaTests {

    /// x_max = [1, 4, 16], α = 0.5: s = [1, 2, 4]; sqrt(4 · 1) = 2 → [0.5, 1, 2].
    @Test func powerThenNormaliseByTheGeometricMiddle() {
        #expect(ScaleFormula.scales(xMax: [1, 4, 16], ratio: 0.5) == [0.5, 1, 2])
    }

    /// α = 0: every s is 1 (the search's first point is plain RTN).
    @Test func ratioZeroGivesOnes() {
        #expect(ScaleFormula.scales(xMax: [0.3, 7, 0, 2], ratio: 0) == [1, 1, 1, 1])
    }

    /// A dead channel (x_max = 0) is clamped to 1e-4 before normalising: x_max = [0, 1e4],
    /// α = 0.5 → s = [1e-4, 100]; sqrt(100 · 1e-4) = 0.1 → [1e-3, 1000].
    @Test func deadChannelIsClampedBeforeNormalising() {
        let s = ScaleFormula.scales(xMax: [0, 1e4], ratio: 0.5)
        #expect(abs(s[0] - 1e-3) <= 1e-3 * 1e-6)
        #expect(abs(s[1] - 1000) <= 1000 * 1e-6)
    }

    /// The reference's best scales from its own x_mean_abs and best ratio, bit for bit (with
    /// glibc's powf instead of TorchPow, 3 of the 640 would be 1 ulp off).
    @Test(arguments: SearchCase.names)
    func bestScalesMatchTheReference(caseName: String) throws {
        let json = try CaseJSON(caseName)
        let xMax = try loadFloats("awq/\(caseName)/x_mean_abs.npy")
        let expected = try loadFloats("awq/\(caseName)/best_scales.npy")
        let s = ScaleFormula.scales(xMax: xMax, ratio: try json.result("best_ratio"))
        let mismatch = firstBitMismatch(expected, s)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }
}
