import TestSupport
import Absmax
import Core
import Testing

/// Exercise 2a — `Absmax.scale(forAbsmax:)` and `Absmax.quantize(_:scale:)`. Every tensor
/// here is quantized per tensor (one group), so the suite needs no other exercise; per-row,
/// per-column and per-block groups are Exercise 2c's.
///
/// The blog's worked example was computed independently in NumPy 2.4.6, in float32:
///
/// ```python
/// x = np.array([1.2, -0.5, -4.3, 1.2, -3.1, 0.8, 2.4, 5.4], dtype=np.float32)
/// s = np.float32(127) / np.abs(x).max();  q = np.round(x * s);  xhat = q / s
/// ```
@Suite struct Ex2a_AbsmaxQuantizeTests {
    let blogVector: [Float] = [1.2, -0.5, -4.3, 1.2, -3.1, 0.8, 2.4, 5.4]

    @Test func scaleMapsAbsmaxTo127() {
        #expect(Absmax.scale(forAbsmax: 5.4) == Float(127) / 5.4)
        #expect(Absmax.quantize(5.4, scale: Absmax.scale(forAbsmax: 5.4)) == 127)
        #expect(Absmax.quantize(-5.4, scale: Absmax.scale(forAbsmax: 5.4)) == -127)
    }

    @Test func roundingTiesGoToTheEvenCode() {
        // scale 1: x · s is exactly the tie.
        let cases: [(Float, Int8)] = [(2.5, 2), (3.5, 4), (-2.5, -2), (-0.5, 0), (0.5, 0), (126.5, 126), (-1.5, -2)]
        var log = MismatchLog("ties")
        for (x, want) in cases where Absmax.quantize(x, scale: 1) != want {
            log.add("\(x): expected \(want), got \(Absmax.quantize(x, scale: 1))")
        }
        log.expectEmpty()
    }

    /// A foreign scale can push x · s past ±127: the code saturates at ±127 (never −128,
    /// which would break the symmetry) instead of trapping.
    @Test func codesAreClampedToPlusMinus127() {
        #expect(Absmax.quantize(1000, scale: 1) == 127)
        #expect(Absmax.quantize(-1000, scale: 1) == -127)
        #expect(Absmax.quantize(-127.6, scale: 1) == -127, "rounds to −128, clamped to −127")
        #expect(Absmax.quantize(3, scale: 1e30) == 127)
    }

    /// A subnormal absmax makes 127 / absmax overflow to ∞; 0 · ∞ is NaN, which must become
    /// code 0 (zero still maps to zero), and every other value saturates.
    @Test func subnormalAbsmaxSaturatesAndKeepsZeroAtZero() {
        let tiny = Float.leastNonzeroMagnitude * 8
        let s = Absmax.scale(forAbsmax: tiny)
        #expect(s == .infinity)
        #expect(Absmax.quantize(0, scale: s) == 0)
        #expect(Absmax.quantize(tiny, scale: s) == 127)
        #expect(Absmax.quantize(-tiny, scale: s) == -127)
    }

    @Test func zeroMapsToZero() throws {
        let q = try Absmax.quantize(Tensor(shape: [2, 3], data: [0, 1.5, -3, 0, 0, 7]))
        #expect(q.codes[0] == 0 && q.codes[3] == 0 && q.codes[4] == 0)
        let xHat = q.dequantize().data
        #expect(xHat[0] == 0 && xHat[3] == 0 && xHat[4] == 0)
    }

    @Test func allZeroTensorStoresScaleOneAndCodesZero() throws {
        #expect(Absmax.scale(forAbsmax: 0) == 1)
        let zeros = Tensor(shape: [3, 4], repeating: 0)
        let q = try Absmax.quantize(zeros)
        #expect(q.scales == [1], "scales \(q.scales)")
        #expect(q.codes.allSatisfy { $0 == 0 })
        #expect(q.dequantize().data.allSatisfy { $0 == 0 && $0.sign == .plus }, "zeros must come back as zeros")
    }

    /// |x − x̂| ≤ ½ / s for every value. Float rounding enters twice — in x · s before
    /// rounding and in q / s after — each at most ½ ulp of a value ≤ absmax, so we allow
    /// 2⁻²³ · |x| on top of the half step. One tensor, then 200 short vectors of mixed scale.
    @Test func roundTripErrorIsAtMostHalfAStep() throws {
        var vectors = [randomMatrix(13, 29, seed: 21).data]
        var rng = SeededRNG(seed: 23)
        for v in 0..<200 { vectors.append(rng.normalFloats(1 + v % 17, mean: 0.1, std: Double(v + 1) * 0.37)) }
        var log = MismatchLog("round trip")
        for x in vectors {
            let q = try Absmax.quantize(x)
            let xHat = q.dequantize().data
            if let message = firstMismatch(x, xHat, tolerance: { i in Double(0.5 / q.scales[0]) + Double(abs(x[i])) * 0x1p-23 }) {
                log.add(message)
            }
        }
        log.expectEmpty()
    }

    @Test func nonFiniteInputThrowsWithItsIndex() {
        do {
            _ = try Absmax.quantize(Tensor(shape: [4], data: [1, 2, .nan, 4]))
            Issue.record("a NaN input must throw")
        } catch {
            guard case .nonFiniteValue(let index, let value) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(index == 2 && value.isNaN)
        }
        #expect(throws: QuantizationError.nonFiniteValue(index: 1, value: .infinity)) {
            try Absmax.quantize([1, .infinity])
        }
    }

    /// The blog's codes come out exactly; the round trip equals NumPy's float32 values.
    @Test func blogWorkedExampleMatchesNumPy() throws {
        let q = try Absmax.quantize(blogVector)
        #expect(q.scales == [Float(127) / Float(5.4)])
        #expect(abs(q.scales[0] - 23.5) < 0.02, "the blog rounds the scale to 23.5")
        let want: [Int8] = [28, -12, -101, 28, -73, 19, 56, 127]
        #expect(q.codes == want, "\(firstMismatch(want, q.codes) ?? "")")
        let xHat = q.dequantize().data
        let wantHat: [Float] = [
            1.1905511617660522, -0.5102362036705017, -4.294488430023193, 1.1905511617660522,
            -3.1039369106292725, 0.8078740239143372, 2.3811023235321045, 5.400000095367432,
        ]
        #expect(xHat == wantHat, "\(firstMismatch(wantHat, xHat) ?? "")")
    }

    /// 20 000 group maxima from 1e−30 to 1e30 and 20 000 (x, s) pairs: the scale within one
    /// rounding of 127 / absmax, the code within ½ (plus a rounding) of x · s. The bit-exact
    /// version of both is the next test.
    @Test func scaleAndCodesAreWithinRoundingOfTheFormula() {
        var log = MismatchLog("scale and codes vs the formula")
        for (absmax, _, _) in Self.samples() {
            let s = Absmax.scale(forAbsmax: absmax)
            let exact = 127 / Double(absmax)
            if !(abs(Double(s) - exact) <= exact * 0x1p-23) { log.add("scale(forAbsmax: \(absmax)) = \(s), 127 / absmax = \(exact)") }
        }
        for (_, x, s) in Self.samples() {
            let product = Double(x) * Double(s)
            let q = Double(Absmax.quantize(x, scale: s))
            if !(abs(q - product) <= 0.5 + abs(product) * 0x1p-23) { log.add("quantize(\(x), scale: \(s)) = \(q), x · s = \(product)") }
        }
        log.expectEmpty()
    }

    @Test func scaleAndCodesAreBitExact() {
        var log = MismatchLog(
            "bit-exact with NumPy (the blog's example, the golden outputs) needs the order the doc comments "
                + "prescribe: s = 127 / absmax (one Float division), q = (x · s) rounded to nearest even")
        for (absmax, x, s) in Self.samples() {
            let scale = Absmax.scale(forAbsmax: absmax)
            if scale.bitPattern != (127 / absmax).bitPattern { log.add("scale(forAbsmax: \(absmax)): expected \(127 / absmax), got \(scale)") }
            let want = Int8((x * s).rounded(.toNearestOrEven))
            let got = Absmax.quantize(x, scale: s)
            if got != want { log.add("quantize(\(x), scale: \(s)): expected \(want), got \(got)") }
        }
        log.expectEmpty()
    }

    /// (absmax, x, s) with absmax log-uniform over [1e−30, 1e30], |x| ≤ 1.2 and s so that
    /// |x · s| stays below 127.
    static func samples() -> [(Float, Float, Float)] {
        var rng = SeededRNG(seed: 24)
        return (0..<20_000).map { _ in
            let absmax = Float(Math.pow(10, -30 + 60 * rng.uniform()))
            let x = Float(rng.uniform() * 2.4 - 1.2)
            let s = Float(rng.uniform() * 105)
            return (absmax, x, s)
        }
    }
}
