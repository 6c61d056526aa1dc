import Absmax
import Core
import LLMInt8
import Testing

/// Exercise 3.1 — `VectorwiseQuantizer.quantize(_:threshold:)`.
@Suite struct Ex3_1_VectorwiseQuantizeTests {

    @Test func eachRowGetsItsOwnAbsmax() throws {
        let x = Tensor(rows: [[1, -2, 0.5], [0.25, 0.1, -0.05]])
        let q = try VectorwiseQuantizer.quantize(x)
        #expect(q.rowAbsmax == [2, 0.25])
        // Row 0: s = (1/2)·127 = 63.5: 63.5 → 64 (tie to even), −127, 31.75 → 32.
        // Row 1: s = 4·127 = 508: 127, 50.8 → 51, −25.4 → −25.
        #expect(q.codes == [64, -127, 32, 127, 51, -25])
    }

    @Test func zeroMapsToZeroAndRoundTripIsWithinHalfAStep() throws {
        let x = randomMatrix(12, 40, seed: 51)
        var withZeros = x
        withZeros[3, 7] = 0
        let q = try VectorwiseQuantizer.quantize(withZeros)
        #expect(q.codes[3 * 40 + 7] == 0)
        // |x − x̂| ≤ ½ · absmax/127, plus float rounding: the scale (2 roundings), x·s (1)
        // and the dequantization (2) — we allow 2⁻²¹ · absmax on top.
        let xHat = q.dequantized()
        for r in 0..<12 {
            for c in 0..<40 {
                let bound = Double(q.rowAbsmax[r]) * (0.5 / 127 + 0x1p-21)
                let error = abs(Double(withZeros[r, c]) - Double(xHat[r, c]))
                #expect(error <= bound, "[\(r), \(c)]: x \(withZeros[r, c]) x̂ \(xHat[r, c]) error \(error) > \(bound)")
            }
        }
    }

    @Test func allZeroRowHasAbsmaxZeroAndCodesZero() throws {
        let x = Tensor(rows: [[0, 0, 0, 0], [1, -1, 2, 0.5]])
        let q = try VectorwiseQuantizer.quantize(x)
        #expect(q.rowAbsmax[0] == 0, "bitsandbytes' row_stats is 0 for this row; we keep it")
        #expect(Array(q.codes[0..<4]) == [0, 0, 0, 0], "bitsandbytes would compute 0 · ∞ = NaN here")
        #expect(Array(q.dequantized().data[0..<4]) == [0, 0, 0, 0])
    }

    @Test func outliersAreZeroedBeforeTheRowAbsmax() throws {
        // Row 0 holds the outlier 9 in column 1: its absmax is 2, not 9. Column 1 of row 1
        // (0.5, not an outlier itself) still counts for row 1's absmax, then is zeroed.
        let x = Tensor(rows: [[1, 9, -2], [0.25, 0.5, 0.125]])
        let q = try VectorwiseQuantizer.quantize(x, threshold: 6)
        #expect(q.outlierColumns == [1])
        #expect(q.rowAbsmax == [2, 0.5])
        #expect(q.codes == [64, 0, -127, 64, 0, 32])
    }

    @Test func aRowOfOnlyOutliersGetsAbsmaxZero() throws {
        let x = Tensor(rows: [[7, -8], [0.5, 1]])
        let q = try VectorwiseQuantizer.quantize(x, threshold: 6)
        #expect(q.outlierColumns == [0, 1] && q.rowAbsmax == [0, 1])
        #expect(q.codes == [0, 0, 0, 0])
    }

    @Test func singleRowKeepsItsNonOutlierCodes() throws {
        // One row: every element of an outlier column is itself an outlier, so the
        // "zero whole columns only when rows > 1" rule changes nothing.
        let x = Tensor(rows: [[1, 9, -2]])
        let q = try VectorwiseQuantizer.quantize(x, threshold: 6)
        #expect(q.outlierColumns == [1] && q.codes == [64, 0, -127])
    }

    @Test func thresholdZeroAgreesWithChapter2PerRowAbsmaxUpToExactTies() throws {
        // Chapter 2 scales by 127/absmax, bitsandbytes by (1/absmax)·127; the codes can
        // differ only where x·s lands within an ulp of a half-integer — never here.
        let x = randomMatrix(20, 50, seed: 52)
        let bnb = try VectorwiseQuantizer.quantize(x)
        let chapter2 = try Absmax.quantize(x, granularity: .perRow)
        let differing = zip(bnb.codes, chapter2.codes).filter { abs(Int($0) - Int($1)) > 0 }.count
        #expect(zip(bnb.codes, chapter2.codes).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
        #expect(differing == 0, "\(differing) codes differ")
    }
}

extension Ex3_1_VectorwiseQuantizeTests {
    @Test func storageCountsCodesAndRowStatistics() throws {
        let q = try VectorwiseQuantizer.quantize(randomMatrix(4, 32, seed: 53))
        #expect(q.storageBytes == 128 + 16)
        #expect(q.bitsPerParameter == 9)  // 8 + 32/32
    }
}
