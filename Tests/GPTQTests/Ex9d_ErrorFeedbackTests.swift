import GPTQ
import TestSupport
import Testing

/// Exercise 9d: `ErrorFeedback.quantizeColumn` — one column of GPTQ.
@Suite struct Ex9d_ErrorFeedbackTests {

    /// Two rows, three columns, grid scale 0.5 zero 4 (values −2 … 5.5 in steps of 0.5),
    /// U's row 0 = [2, 1, −0.5] (d = 2). Column 0 holds 1.2 and −0.4:
    ///   codes round(2.4) + 4 = 6 and round(−0.8) + 4 = 3 → q = 1.0 and −0.5
    ///   err = (1.2 − 1.0) / 2 = 0.1 and (−0.4 + 0.5) / 2 = 0.05  (float32: 0.099999905, 0.05)
    ///   row 0: w[0, 1] −= 0.1 · 1, w[0, 2] −= 0.1 · (−0.5); row 1 likewise with 0.05.
    /// Expected values are computed with the same float32 operations (tolerance: none).
    @Test func quantizesOneColumnAndFeedsItsErrorForward() {
        let quantizer = MinMaxQuantizer(bits: 4)
        let grid = MinMaxQuantizer.Grid(scale: 0.5, zero: 4)
        var w: [Float] = [1.2, 0.7, -0.3, -0.4, 0.1, 0.9]
        let u: [Float] = [2, 1, -0.5]
        let step = ErrorFeedback.quantizeColumn(
            0, of: &w, rows: 2, columns: 3, uRow: u, grids: [grid, grid], quantizer: quantizer)
        #expect(step.codes == [6, 3])
        #expect(step.dequantized == [1.0, -0.5])
        let err: [Float] = [(Float(1.2) - 1.0) / 2, (Float(-0.4) + 0.5) / 2]
        #expect(step.error == err)
        let expected: [Float] = [
            Float(1.2) - err[0] * 2, Float(0.7) - err[0] * 1, Float(-0.3) - err[0] * -0.5,
            Float(-0.4) - err[1] * 2, Float(0.1) - err[1] * 1, Float(0.9) - err[1] * -0.5,
        ]
        #expect(w == expected, "\(w)")
    }

    /// Columns before i are left alone: quantizing column 1 changes only columns 1 and 2.
    @Test func earlierColumnsAreUntouched() {
        let quantizer = MinMaxQuantizer(bits: 3)
        let grid = quantizer.grid(rowMin: -1, rowMax: 1)
        var w: [Float] = [0.33, -0.71, 0.25]
        _ = ErrorFeedback.quantizeColumn(
            1, of: &w, rows: 1, columns: 3, uRow: [9, 1.5, 0.75], grids: [grid],
            quantizer: quantizer)
        #expect(w[0] == 0.33)
        #expect(w[2] != 0.25)
    }

    /// The readable path built on this step reproduces the reference's Q for w4_perchannel
    /// (one grid per row, one block: the same operations as fasterquant).
    @Test func readablePathReproducesTheReference() throws {
        let c = try ReferenceCase("w4_perchannel")
        let q = try GPTQ.quantizeColumnByColumn(
            weight: c.w, rows: c.rows, columns: c.columns, hessian: c.hessian().h,
            configuration: c.configuration)
        let expected = try c.floats("Q.npy")
        let equal = equalCount(expected, q.dequantized)
        #expect(Double(equal) >= 0.98 * Double(expected.count), "\(equal) of \(expected.count)")
    }
}
