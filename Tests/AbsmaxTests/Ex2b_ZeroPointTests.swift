import Absmax
import Core
import Testing

/// Exercise 2.2 — `ZeroPoint.parameters(min:max:)` and `ZeroPoint.quantize(_:scale:zeroPoint:)`.
@Suite struct Ex2_2_ZeroPointTests {

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

    @Test func allPositiveRangeIsWidenedToContainZero() {
        // [10, 11] becomes [0, 11]: zp = round(0) − 128 = −128 still fits an Int8.
        let p = ZeroPoint.parameters(min: 10, max: 11)
        #expect(p.scale == Float(255) / 11)
        #expect(p.zeroPoint == -128)
    }

    @Test func constantInputRoundTripsExactly() throws {
        for c: Float in [3, -0.75] {
            let q = try ZeroPoint.quantize(Tensor(shape: [5], repeating: c))
            #expect(q.dequantize().data == [Float](repeating: c, count: 5), "constant \(c)")
        }
    }

    @Test func allZeroGroupStoresScaleOneAndZeroPointZero() throws {
        let x = Tensor(rows: [[0, 0, 0], [1, -2, 0.5]])
        let q = try ZeroPoint.quantize(x, granularity: .perRow)
        #expect(q.scales[0] == 1 && q.zeroPoints[0] == 0)
        #expect(Array(q.codes[0..<3]) == [0, 0, 0])
        #expect(Array(q.dequantize().data[0..<3]) == [0, 0, 0])
    }

    /// |x − x̂| ≤ ½ / nd for values whose code was not clamped, ≤ 1.5 / nd always (see
    /// `ZeroPoint`); float rounding adds at most 2⁻²² of the group's range.
    @Test(arguments: [Granularity.perTensor, .perRow, .perColumn, .blockwise(blockSize: 10)])
    func roundTripErrorIsAtMostHalfAStepUnlessClamped(granularity: Granularity) throws {
        let x = randomMatrix(11, 23, seed: 22, std: 2)
        let q = try ZeroPoint.quantize(x, granularity: granularity)
        let xHat = q.dequantize().data
        var clamped = 0
        for i in x.data.indices {
            let g = q.group(ofElement: i)
            let step = Double(1 / q.scales[g])
            let slack = 255 * step * 0x1p-22
            let error = abs(Double(x.data[i]) - Double(xHat[i]))
            let unclamped = (x.data[i] * q.scales[g]).rounded(.toNearestOrEven) + Float(q.zeroPoints[g])
            let isClamped = unclamped > 127 || unclamped < -128
            if isClamped { clamped += 1 }
            let bound = (isClamped ? 1.5 : 0.5) * step + slack
            #expect(error <= bound, "\(granularity) index \(i): x \(x.data[i]) x̂ \(xHat[i]) error \(error) > \(bound)")
        }
        #expect(clamped <= 2 * q.scales.count, "only a group's extremes can be clamped")
    }
}
