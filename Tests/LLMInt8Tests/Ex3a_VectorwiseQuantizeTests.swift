import Absmax
import Core
import LLMInt8
import TestSupport
import Testing

/// Exercise 3a — `VectorwiseQuantizer.quantizeRows(_:threshold:outlierColumns:)`: the codes and
/// row absmax of LLM.int8()'s vector-wise quantization, bit for bit as bitsandbytes computes
/// them. The outlier columns are handed in (finding them is Exercise 3b), so this suite does
/// not depend on 3b.
@Suite struct Ex3a_VectorwiseQuantizeTests {
    /// Exercise 3a's function, as the tests call it.
    func rows(_ x: Tensor, threshold: Float = 0, outliers: [Int] = []) -> (codes: [Int8], rowAbsmax: [Float]) {
        VectorwiseQuantizer.quantizeRows(x, threshold: threshold, outlierColumns: outliers)
    }

    @Test func eachRowGetsItsOwnAbsmax() {
        let x = Tensor(rows: [[1, -2, 0.5], [0.25, 0.1, -0.05]])
        let q = rows(x)
        #expect(q.rowAbsmax == [2, 0.25])
        // Row 0: s = (1/2)·127 = 63.5: 63.5 → 64 (tie to even), −127, 31.75 → 32.
        // Row 1: s = 4·127 = 508: 127, 50.8 → 51, −25.4 → −25.
        #expect(q.codes == [64, -127, 32, 127, 51, -25])
    }

    @Test func zeroMapsToZeroAndRoundTripIsWithinHalfAStep() {
        var x = randomMatrix(12, 40, seed: 51)
        x[3, 7] = 0
        let q = rows(x)
        guard q.codes.count == 480 && q.rowAbsmax.count == 12 else {
            Issue.record("expected 480 codes and 12 row absmax, got \(q.codes.count) and \(q.rowAbsmax.count)")
            return
        }
        #expect(q.codes[3 * 40 + 7] == 0)
        // |x − x̂| ≤ ½ · absmax/127, plus float rounding: the scale (2 roundings), x·s (1)
        // and the dequantization (2) — we allow 2⁻²¹ · absmax on top.
        var log = MismatchLog("|x − x̂| ≤ ½ step")
        for r in 0..<12 {
            for c in 0..<40 {
                let xHat = VectorwiseQuantizer.dequantize(q.codes[r * 40 + c], absmax: q.rowAbsmax[r])
                let bound = Double(q.rowAbsmax[r]) * (0.5 / 127 + 0x1p-21)
                let error = abs(Double(x[r, c]) - Double(xHat))
                if !(error <= bound) { log.add("[\(r), \(c)]: x \(x[r, c]) x̂ \(xHat) error \(error) > \(bound)") }
            }
        }
        log.expectEmpty()
        #expect(q.rowAbsmax.first ?? 0 > 0, "a random row has a positive absmax")
    }

    @Test func allZeroRowHasAbsmaxZeroAndCodesZero() {
        let x = Tensor(rows: [[0, 0, 0, 0], [1, -1, 2, 0.5]])
        let q = rows(x)
        #expect(q.rowAbsmax == [0, 2], "bitsandbytes' row_stats is 0 for the zero row; we keep it")
        #expect(q.codes == [0, 0, 0, 0, 64, -64, 127, 32], "bitsandbytes would compute 0 · ∞ = NaN in row 0")
    }

    @Test func outliersAreZeroedBeforeTheRowAbsmax() {
        // Row 0 holds the outlier 9 in column 1: its absmax is 2, not 9. Column 1 of row 1
        // (0.5, not an outlier itself) still counts for row 1's absmax, then is zeroed.
        // Row 2 holds exactly −6: |x| ≥ threshold makes it an outlier too (column 2).
        let x = Tensor(rows: [[1, 9, -2], [0.25, 0.5, 0.125], [0.5, 1, -6]])
        let q = rows(x, threshold: 6, outliers: [1, 2])
        #expect(q.rowAbsmax == [2, 0.5, 1])
        #expect(q.codes == [64, 0, 0, 64, 0, 0, 64, 0, 0])
    }

    @Test func aRowOfOnlyOutliersGetsAbsmaxZero() {
        let x = Tensor(rows: [[7, -8], [0.5, 1]])
        let q = rows(x, threshold: 6, outliers: [0, 1])
        #expect(q.rowAbsmax == [0, 1])
        #expect(q.codes == [0, 0, 0, 0])
    }

    @Test func singleRowKeepsItsNonOutlierCodes() {
        // One row: every element of an outlier column is itself an outlier, so the
        // "zero whole columns only when rows > 1" rule changes nothing.
        let x = Tensor(rows: [[1, 9, -2]])
        let q = rows(x, threshold: 6, outliers: [1])
        #expect(q.rowAbsmax == [2] && q.codes == [64, 0, -127])
    }

    /// Rounding is to nearest, ties to even (torch.round, `Absmax.quantize(_:scale:)`): with
    /// absmax 1 the scale is exactly 127, and these float32 products land exactly on 62.5,
    /// 2.5 and −10.5 — codes 62, 2 and −10, not 63, 3 and −11.
    @Test func tiesGoToEven() {
        let x = Tensor(rows: [[1, Float(62.5 / 127), Float(2.5 / 127), -Float(10.5 / 127)]])
        let q = rows(x)
        #expect(q.rowAbsmax == [1])
        #expect(q.codes == [127, 62, 2, -10])
    }

    /// Threshold 0 turns the decomposition off: nothing is an outlier, however large.
    @Test func thresholdZeroKeepsEveryValue() {
        let x = Tensor(rows: [[100, 1], [-0.5, 50]])
        let q = rows(x, threshold: 0)
        #expect(q.rowAbsmax == [100, 50])
        #expect(q.codes == [127, 1, -1, 127])
    }

    // MARK: bitsandbytes 0.50.2, bit for bit (Fixtures/README.md)

    /// `int8_vectorwise_quant(A, threshold=0)`: every code and row statistic.
    @Test func codesAndRowStatsMatchBitsandbytesAtThresholdZero() throws {
        let a = try loadTensor("vectorwise_quant/activations.npy")
        let q = rows(a)
        let ca = try loadInt8("vectorwise_quant/CA_t0.npy")
        let rowStats = try loadTensor("vectorwise_quant/row_stats_t0.npy").data
        #expect(firstMismatch(ca, q.codes) == nil, "CA_t0: \(firstMismatch(ca, q.codes) ?? "")")
        #expect(firstBitMismatch(rowStats, q.rowAbsmax) == nil, "row_stats_t0: \(firstBitMismatch(rowStats, q.rowAbsmax) ?? "")")
    }

    /// `int8_vectorwise_quant(A, threshold=6)`, with bitsandbytes' own outlier columns.
    @Test func codesAndRowStatsMatchBitsandbytesAtThresholdSix() throws {
        let a = try loadTensor("vectorwise_quant/activations.npy")
        let outliers = try loadIndices("vectorwise_quant/outlier_cols_t6.npy")
        let q = rows(a, threshold: 6, outliers: outliers)
        let ca = try loadInt8("vectorwise_quant/CA_t6.npy")
        let rowStats = try loadTensor("vectorwise_quant/row_stats_t6.npy").data
        #expect(firstMismatch(ca, q.codes) == nil, "CA_t6: \(firstMismatch(ca, q.codes) ?? "")")
        #expect(firstBitMismatch(rowStats, q.rowAbsmax) == nil, "row_stats_t6: \(firstBitMismatch(rowStats, q.rowAbsmax) ?? "")")
    }

    /// `Linear8bitLt`'s weight (CB, SCB) and the activations inside its forward (CA, SCA), both
    /// quantized from float16 values. W16[31, 0] is exactly half its row's absmax: only the
    /// scale (1/absmax)·127 gives bitsandbytes' code 63 there (127/absmax gives 64).
    @Test func layerCodesAndScalesMatchBitsandbytes() throws {
        let w16 = try loadTensor("matmul/W.npy").map(Float16Rounding.rounded)
        let x16 = try loadTensor("matmul/X.npy").map(Float16Rounding.rounded)
        let weight = rows(w16)
        let cb = try loadInt8("matmul/CB.npy")
        let scb = try loadTensor("matmul/SCB.npy").data
        #expect(firstMismatch(cb, weight.codes) == nil, "CB: \(firstMismatch(cb, weight.codes) ?? "")")
        #expect(firstBitMismatch(scb, weight.rowAbsmax) == nil, "SCB: \(firstBitMismatch(scb, weight.rowAbsmax) ?? "")")
        let activations = rows(x16, threshold: 6, outliers: try loadIndices("matmul/outlier_cols.npy"))
        let ca = try loadInt8("matmul/CA.npy")
        let sca = try loadTensor("matmul/SCA.npy").data
        #expect(firstMismatch(ca, activations.codes) == nil, "CA: \(firstMismatch(ca, activations.codes) ?? "")")
        #expect(firstBitMismatch(sca, activations.rowAbsmax) == nil, "SCA: \(firstBitMismatch(sca, activations.rowAbsmax) ?? "")")
    }

    @Test func storageCountsCodesAndRowStatistics() throws {
        let q = try VectorwiseQuantizer.quantize(randomMatrix(4, 32, seed: 53))
        #expect(q.storageBytes == 128 + 16)
        #expect(q.bitsPerParameter == 9)  // 8 + 32/32
    }
}
