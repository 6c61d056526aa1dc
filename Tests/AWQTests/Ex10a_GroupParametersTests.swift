import AWQ
import TestSupport
import Testing

/// Exercise 10a: one group's scale and zero point, as `pseudo_quantize_tensor` computes them
/// (min–max, range NOT widened to 0, scale clamped at 1e-5, zero rounded half to even).
/// Every expected number below is worked out by hand in its comment.
@Suite struct Ex10a_GroupParametersTests {

    /// [−1, 0.625, 2.75]: scale = 3.75 / 15 = 0.25 and zero = −round(−1 / 0.25) = 4 (exact
    /// in binary). Codes: −1 → −4 + 4 = 0; 0.625 → round(2.5) + 4 = 2 + 4 = 6 (2.5 ties to
    /// even; half away from zero would give 7); 2.75 → 11 + 4 = 15.
    @Test func minMaxScaleAndZeroWithATieToEven() {
        let r = PseudoQuantizer.quantize(
            [-1, 0.625, 2.75], rows: 1, columns: 3, bits: 4, groupSize: 3)
        #expect(r.scales == [0.25])
        #expect(r.zeros == [4])
        #expect(r.codes == [0, 6, 15])
        #expect(r.values == [-1, 0.5, 2.75])
    }

    /// A group entirely above 0 is NOT widened to include 0: [1, 16] has scale 15 / 15 = 1
    /// and zero = clamp(−round(1), 0, 15) = 0, so 16 comes back as 15 (its top is lost).
    @Test func rangeIsNotWidenedToZero() {
        let r = PseudoQuantizer.quantize([1, 16], rows: 1, columns: 2, bits: 4, groupSize: 2)
        #expect(r.scales == [1])
        #expect(r.zeros == [0])
        #expect(r.values == [1, 15])
    }

    /// A constant group c has max − min = 0: scale = 1e-5 / 15, zero = clamp(−round(c / scale))
    /// = 0 for c > 0, and c comes back as 15 · scale = 1e-5 (not c).
    @Test func constantGroupComesBackAsTheClampedRange() {
        let r = PseudoQuantizer.quantize(
            [0.5, 0.5, 0.5, 0.5], rows: 1, columns: 4, bits: 4, groupSize: 4)
        #expect(r.scales == [Float(1e-5) / 15])
        #expect(r.zeros == [0])
        #expect(r.values.allSatisfy { $0 == 15 * (Float(1e-5) / 15) })
    }

    /// A zero point on an exact tie goes to even: 3 bits, [−0.3125, 0.5625] has range 0.875
    /// and scale 0.875 / 7 = 0.125 (all exact in binary), so −min / scale = 2.5 exactly and
    /// zero = 2 (rounding half away from zero would give 3).
    @Test func zeroPointTiesGoToEven() {
        let (scale, zero) = PseudoQuantizer.groupParameters([-0.3125, 0.5625], bits: 3)
        #expect(scale == 0.125)
        #expect(zero == 2)
    }

    /// The reference's edge case (rtn_g64_edge): all groups' scales and zeros.
    @Test func edgeGroupsMatchTheReference() throws {
        let w = try loadWeight("awq/rtn_g64_edge/W.npy")
        let groups = w.values.count / 64
        let scales = try loadFloats("awq/rtn_g64_edge/scales.npy")
        let zeros = try loadFloats("awq/rtn_g64_edge/zeros.npy")
        var wrong = 0
        for g in 0..<groups {
            let (s, z) = PseudoQuantizer.groupParameters(
                w.values[(g * 64)..<((g + 1) * 64)], bits: 4)
            if s.bitPattern != scales[g].bitPattern || z != zeros[g] { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) of \(groups) groups differ")
    }
}
