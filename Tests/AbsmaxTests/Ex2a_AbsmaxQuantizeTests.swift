import TestSupport
import Absmax
import Core
import Testing

/// Exercise 2.1 — `Absmax.scale(forAbsmax:)` and `Absmax.quantize(_:scale:)`.
@Suite struct Ex2_1_AbsmaxQuantizeTests {

    @Test func scaleMapsAbsmaxTo127() {
        #expect(Absmax.scale(forAbsmax: 5.4) == Float(127) / 5.4)
        #expect(Absmax.quantize(5.4, scale: Absmax.scale(forAbsmax: 5.4)) == 127)
        #expect(Absmax.quantize(-5.4, scale: Absmax.scale(forAbsmax: 5.4)) == -127)
    }

    @Test func roundingTiesGoToTheEvenCode() {
        // scale 1: x · s is exactly the tie.
        #expect(Absmax.quantize(2.5, scale: 1) == 2)
        #expect(Absmax.quantize(3.5, scale: 1) == 4)
        #expect(Absmax.quantize(-2.5, scale: 1) == -2)
        #expect(Absmax.quantize(-0.5, scale: 1) == 0)
    }

    @Test func zeroMapsToZero() throws {
        let q = try Absmax.quantize(Tensor(shape: [2, 3], data: [0, 1.5, -3, 0, 0, 7]), granularity: .perRow)
        #expect(q.codes[0] == 0 && q.codes[3] == 0 && q.codes[4] == 0)
        let xHat = q.dequantize().data
        #expect(xHat[0] == 0 && xHat[3] == 0 && xHat[4] == 0)
    }

    @Test func allZeroTensorStoresScaleOneAndCodesZero() throws {
        let zeros = Tensor(shape: [3, 4], repeating: 0)
        for granularity in [Granularity.perTensor, .perRow, .perColumn, .blockwise(blockSize: 5)] {
            let q = try Absmax.quantize(zeros, granularity: granularity)
            #expect(q.scales.allSatisfy { $0 == 1 }, "\(granularity): scales \(q.scales)")
            #expect(q.codes.allSatisfy { $0 == 0 })
            #expect(q.dequantize().data == zeros.data, "\(granularity): zeros must come back as zeros")
        }
        #expect(Absmax.scale(forAbsmax: 0) == 1)
    }

    @Test func allZeroRowNextToNonZeroRowsIsHandled() throws {
        let x = Tensor(rows: [[0.5, -2, 1], [0, 0, 0], [3, 0.25, -0.75]])
        let q = try Absmax.quantize(x, granularity: .perRow)
        #expect(q.scales == [63.5, 1, Float(127) / 3])
        #expect(Array(q.codes[3..<6]) == [0, 0, 0])
        #expect(q.dequantize().data.allSatisfy { $0.isFinite })
    }

    /// |x − x̂| ≤ ½ / s for every value. Float rounding enters twice — in x · s before
    /// rounding and in q / s after — each at most ½ ulp of a value ≤ absmax, so we allow
    /// 2⁻²³ · |x| on top of the half step.
    @Test(arguments: [Granularity.perTensor, .perRow, .perColumn, .blockwise(blockSize: 7)])
    func roundTripErrorIsAtMostHalfAStep(granularity: Granularity) throws {
        let x = randomMatrix(13, 29, seed: 21)
        let q = try Absmax.quantize(x, granularity: granularity)
        let xHat = q.dequantize().data
        let message = firstMismatch(x.data, xHat) { i in
            Double(0.5 / q.scales[q.group(ofElement: i)]) + Double(abs(x.data[i])) * 0x1p-23
        }
        #expect(message == nil, "\(granularity): \(message ?? "")")
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
}
