import TestSupport
import Absmax
import Core
import Testing

/// Exercise 2b — `ZeroPoint.parameters(min:max:)` and `ZeroPoint.quantize(_:scale:zeroPoint:)`.
/// Every tensor here is quantized per tensor (one group), so the suite needs no other
/// exercise; per-row, per-column and per-block groups are Exercise 2c's.
///
/// The blog's worked example was computed independently in NumPy 2.4.6, in float32:
///
/// ```python
/// lo, hi = min(x.min(), 0), max(x.max(), 0)
/// nd = np.float32(255) / (hi - lo);  zp = np.round(-lo * nd) - 128
/// q  = np.clip(np.round(x * nd) + zp, -128, 127);  xhat = (q - zp) / nd
/// ```
///
/// (The blog's figure shows other codes, which no affine map can produce — see
/// BlogWorkedExampleTests; we test the formula its text states.)
@Suite struct Ex2b_ZeroPointTests {
    let blogVector: [Float] = [1.2, -0.5, -4.3, 1.2, -3.1, 0.8, 2.4, 5.4]

    @Test func minMapsToMinus128AndMaxTo127() {
        let p = ZeroPoint.parameters(min: -1, max: 3)
        #expect(p.scale == 63.75)
        #expect(p.zeroPoint == Int8(-64))  // round(1 · 63.75) − 128 = 64 − 128
        #expect(ZeroPoint.quantize(-1, scale: p.scale, zeroPoint: p.zeroPoint) == -128)
        #expect(ZeroPoint.quantize(3, scale: p.scale, zeroPoint: p.zeroPoint) == 127)
    }

    @Test func zeroMapsToZero() throws {
        let x = Tensor(shape: [6], data: [0, -0.3, 2.2, 0, 5.1, -1.7])
        let q = try ZeroPoint.quantize(x)
        #expect(q.codes[0] == q.zeroPoints[0] && q.codes[3] == q.zeroPoints[0])
        let xHat = q.dequantize().data
        #expect(xHat[0] == 0 && xHat[3] == 0)
    }

    @Test func valuesBeyondTheRangeAreClamped() {
        let p = ZeroPoint.parameters(min: -1, max: 1)
        #expect(ZeroPoint.quantize(10, scale: p.scale, zeroPoint: p.zeroPoint) == 127)
        #expect(ZeroPoint.quantize(-10, scale: p.scale, zeroPoint: p.zeroPoint) == -128)
    }

    /// Both roundings — of −lo · nd and of x · nd — go to the even integer on a tie, and x · nd
    /// is rounded *before* the zero point is added: round(2.5) − 13 = −11, while
    /// round(2.5 − 13) = round(−10.5) would give −10.
    @Test func tiesGoToEvenAndTheZeroPointIsAddedAfterRounding() {
        let p = ZeroPoint.parameters(min: -0.5, max: 50.5)  // nd = 255 / 51 = 5, −lo · nd = 2.5
        #expect(p.scale == 5)
        #expect(p.zeroPoint == -126, "round(2.5) − 128 = 2 − 128")
        #expect(ZeroPoint.quantize(0.5, scale: 5, zeroPoint: -13) == -11)
        #expect(ZeroPoint.quantize(1.5, scale: 5, zeroPoint: -13) == -5)  // round(7.5) − 13; not round(−5.5) = −6
        #expect(ZeroPoint.quantize(-0.5, scale: 5, zeroPoint: 0) == -2)  // round(−2.5) = −2
    }

    @Test func oneSidedRangesAreWidenedToContainZero() {
        // [10, 11] becomes [0, 11]: zp = round(0) − 128 = −128 still fits an Int8.
        let p = ZeroPoint.parameters(min: 10, max: 11)
        #expect(p.scale == Float(255) / 11)
        #expect(p.zeroPoint == -128)
        // [−11, −10] becomes [−11, 0]: zp = round(11 · 255/11) − 128 = 127.
        let n = ZeroPoint.parameters(min: -11, max: -10)
        #expect(n.scale == Float(255) / 11)
        #expect(n.zeroPoint == 127)
    }

    @Test func constantInputRoundTripsExactly() throws {
        for c: Float in [3, -0.75] {
            let q = try ZeroPoint.quantize(Tensor(shape: [5], repeating: c))
            #expect(q.dequantize().data == [Float](repeating: c, count: 5), "constant \(c)")
        }
    }

    @Test func allZeroGroupStoresScaleOneAndZeroPointZero() throws {
        let p = ZeroPoint.parameters(min: 0, max: 0)
        #expect(p.scale == 1 && p.zeroPoint == 0)
        let q = try ZeroPoint.quantize(Tensor(shape: [2, 3], repeating: 0))
        #expect(q.scales == [1] && q.zeroPoints == [0])
        #expect(q.codes.allSatisfy { $0 == 0 })
        #expect(q.dequantize().data.allSatisfy { $0 == 0 })
    }

    /// |x − x̂| ≤ ½ / nd for values whose code was not clamped, ≤ 1.5 / nd always (see
    /// `ZeroPoint`); float rounding adds at most 2⁻²² of the group's range. One tensor, then
    /// 200 short vectors of mixed scale and sign.
    @Test func roundTripErrorIsAtMostHalfAStepUnlessClamped() throws {
        var vectors = [randomMatrix(11, 23, seed: 22, std: 2).data]
        var rng = SeededRNG(seed: 25)
        for v in 0..<200 { vectors.append(rng.normalFloats(1 + v % 19, mean: Double(v % 5) - 2, std: Double(v + 1) * 0.29)) }
        var log = MismatchLog("round trip")
        for x in vectors {
            let q = try ZeroPoint.quantize(x)
            let xHat = q.dequantize().data
            let step = Double(1 / q.scales[0])
            var clamped = 0
            for i in x.indices {
                let unclamped = (x[i] * q.scales[0]).rounded(.toNearestOrEven) + Float(q.zeroPoints[0])
                let isClamped = unclamped > 127 || unclamped < -128
                if isClamped { clamped += 1 }
                let bound = (isClamped ? 1.5 : 0.5) * step + 255 * step * 0x1p-22
                let error = abs(Double(x[i]) - Double(xHat[i]))
                if !(error <= bound) { log.add("x \(x[i]) → x̂ \(xHat[i]): error \(error) > \(bound)") }
            }
            if clamped > 2 { log.add("\(clamped) values clamped in one group; only its two extremes can be") }
        }
        log.expectEmpty()
    }

    @Test func blogWorkedExampleMatchesNumPy() throws {
        let q = try ZeroPoint.quantize(blogVector)
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

    /// 20 000 random ranges: nd within one rounding of 255 / (hi − lo) and zp within ½ (plus
    /// a rounding) of −lo · nd − 128. The bit-exact version is the next test.
    @Test func parametersAreWithinRoundingOfTheFormula() {
        var log = MismatchLog("parameters vs the formula")
        for (lo, hi) in Self.ranges() {
            let p = ZeroPoint.parameters(min: lo, max: hi)
            let (a, b) = (Double(Swift.min(lo, 0)), Double(Swift.max(hi, 0)))
            let nd = 255 / (b - a)
            if !(abs(Double(p.scale) - nd) <= nd * 0x1p-21) { log.add("[\(lo), \(hi)]: nd \(p.scale), 255 / range = \(nd)") }
            let zp = -a * nd - 128
            if !(abs(Double(p.zeroPoint) - zp) <= 0.5 + 0x1p-14) { log.add("[\(lo), \(hi)]: zp \(p.zeroPoint), −lo · nd − 128 = \(zp)") }
        }
        log.expectEmpty()
    }

    @Test func parametersAreBitExact() {
        var log = MismatchLog(
            "bit-exact with NumPy (the blog's example, the golden outputs) needs the order the doc comment "
                + "prescribes: nd = 255 / (hi − lo) (one Float division), zp = round(−lo · nd) − 128")
        for (lo, hi) in Self.ranges() {
            let (a, b) = (Swift.min(lo, 0), Swift.max(hi, 0))
            let nd = 255 / (b - a)
            let zp = Int8((-a * nd).rounded(.toNearestOrEven) - 128)
            let p = ZeroPoint.parameters(min: lo, max: hi)
            if p.scale.bitPattern != nd.bitPattern || p.zeroPoint != zp {
                log.add("[\(lo), \(hi)]: expected (\(nd), \(zp)), got (\(p.scale), \(p.zeroPoint))")
            }
        }
        log.expectEmpty()
    }

    /// (min, max) pairs of mixed sign and magnitude, some one-sided.
    static func ranges() -> [(Float, Float)] {
        var rng = SeededRNG(seed: 26)
        return (0..<20_000).map { i in
            let scale = Math.pow(10, -6 + 12 * rng.uniform())
            var lo = Float(-scale * rng.uniform()), hi = Float(scale * rng.uniform())
            if i % 7 == 0 { lo = hi / 3 }  // all positive
            if i % 11 == 0 { hi = lo / 5 }  // all negative
            return (lo, hi)
        }.filter { Swift.max($0.1, 0) > Swift.min($0.0, 0) }  // not an all-zero range
    }
}
