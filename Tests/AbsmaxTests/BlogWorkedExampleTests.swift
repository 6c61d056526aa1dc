import TestSupport
import Absmax
import Core
import Testing

/// The worked example of Belkada & Dettmers, "A Gentle Introduction to 8-bit Matrix
/// Multiplication…" (Hugging Face blog, 2022): one vector through absmax and zero-point.
///
/// Expected values were computed independently in NumPy 2.4.6, in float32 throughout:
///
/// ```python
/// x  = np.array([1.2, -0.5, -4.3, 1.2, -3.1, 0.8, 2.4, 5.4], dtype=np.float32)
/// s  = np.float32(127) / np.abs(x).max();  q = np.round(x * s)       # absmax
/// lo, hi = min(x.min(), 0), max(x.max(), 0)                          # zero-point
/// nd = np.float32(255) / (hi - lo);  zp = np.round(-lo * nd) - 128
/// q  = np.clip(np.round(x * nd) + zp, -128, 127);  xhat = (q - zp) / nd
/// ```
///
/// The blog's absmax codes come out exactly. For zero-point, its figure shows other numbers
/// (reported to us as [−7, −59, −128, −7, −105, −55, 12, 127]); no affine map
/// x ↦ round(a·x + b) produces them — a least-squares fit of a and b leaves residuals of
/// up to 37 codes, and 1.2 → −7 with 2.4 → 12 would need a slope of ≈ 16 codes per unit
/// while −0.5 → −59 needs ≈ 31 — so the figure is illustrative, and we test the formula
/// the blog's text states: nd = 255/9.7 ≈ 26.29, zp = round(4.3 · nd) − 128 = −15.
@Suite struct BlogWorkedExampleTests {
    let x: [Float] = [1.2, -0.5, -4.3, 1.2, -3.1, 0.8, 2.4, 5.4]

    @Test func absmaxExampleMatchesTheBlogExactly() throws {
        let q = try Absmax.quantize(x)
        #expect(q.scales == [Float(127) / Float(5.4)])
        #expect(abs(q.scales[0] - 23.5) < 0.02, "the blog rounds the scale to 23.5")
        let want: [Int8] = [28, -12, -101, 28, -73, 19, 56, 127]
        #expect(q.codes == want, "\(firstMismatch(want, q.codes) ?? "")")
    }

    @Test func absmaxExampleDequantizesToNumpysValues() throws {
        let xHat = try Absmax.quantize(x).dequantize().data
        let want: [Float] = [
            1.1905511617660522, -0.5102362036705017, -4.294488430023193, 1.1905511617660522,
            -3.1039369106292725, 0.8078740239143372, 2.3811023235321045, 5.400000095367432,
        ]
        #expect(xHat == want, "\(firstMismatch(want, xHat) ?? "")")
        // The largest error is on −3.1: |−3.1 − (−73 / 23.518518)| ≈ 0.0039, under ½ step ≈ 0.0213.
        #expect(Statistics.maxAbsError(x, xHat) < 0.5 / 23.518518)
    }

    @Test func zeroPointExampleMatchesNumpy() throws {
        let q = try ZeroPoint.quantize(x)
        #expect(q.scales == [Float(255) / (Float(5.4) - Float(-4.3))])
        #expect(q.zeroPoints == [-15])
        let want: [Int8] = [17, -28, -128, 17, -96, 6, 48, 127]
        #expect(q.codes == want, "\(firstMismatch(want, q.codes) ?? "")")
        let xHat = q.dequantize().data
        let wantHat: [Float] = [
            1.2172549962997437, -0.49450984597206116, -4.298431873321533, 1.2172549962997437,
            -3.0811767578125, 0.7988235950469971, 2.396470785140991, 5.40156888961792,
        ]
        #expect(xHat == wantHat, "\(firstMismatch(wantHat, xHat) ?? "")")
    }

    @Test func zeroPointUsesTheWholeCodeRangeAndAbsmaxOnlyPartOfIt() throws {
        // Zero-point maps min → −128 and max → 127; absmax leaves −128…−102 unused here.
        let zp = try ZeroPoint.quantize(x).codes
        let am = try Absmax.quantize(x).codes
        #expect(zp.min() == -128 && zp.max() == 127)
        #expect(am.min() == -101 && am.max() == 127)
        // …so zero-point's step is finer (1/26.29 against 1/23.52). On these eight values
        // that does not buy a smaller MSE (1.25e-4 against 9.3e-5, NumPy): rounding luck
        // decides for so few values, and a finer step only bounds the worst case.
        #expect(try ZeroPoint.quantize(x).scales[0] > Absmax.quantize(x).scales[0])
    }
}
