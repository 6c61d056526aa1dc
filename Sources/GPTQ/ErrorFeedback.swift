/// One step of GPTQ: quantize one column and push its rounding error onto the columns not yet
/// quantized (Frantar et al. 2022, arXiv:2210.17323, §3 eq. (2) with §4's Cholesky rows;
/// the inner loop of Algorithm 1).
///
/// With U the upper Cholesky factor of H⁻¹ (`Cholesky.upperFactorOfInverse`), quantizing
/// column j of W is
///
/// ```
/// q      = quant(W[:, j])                              round to nearest on the row's grid
/// err    = (W[:, j] − q) / U[j, j]                     one number per row
/// W[:, k] −= err · U[j, k]       for every k ≥ j       the OBS update, all rows at once
/// ```
///
/// This is OBQ's optimal update δ = −(w − q) / [H⁻¹]ⱼⱼ · H⁻¹[:, j] (§3) with the inverse
/// Hessian of the *remaining* columns read off row j of U — no inverse is ever updated.
/// Every row shares U because H depends only on the inputs X, which is why GPTQ can quantize
/// all rows column by column in the same order (§4 Step 1, "arbitrary order").
///
/// The update is float32 and elementwise: each W[r, k] loses one product err[r] · U[j, k],
/// exactly as the reference's rank-one `W1[:, i:] -= err1.unsqueeze(1).matmul(Hinv1[i, i:])`.
public enum ErrorFeedback {

    /// What quantizing one column produced, one entry per row.
    public struct ColumnStep: Sendable, Equatable {
        /// The integer codes (0 … maxq).
        public var codes: [Float]
        /// q = the dequantized column.
        public var dequantized: [Float]
        /// err = (w − q) / U[j, j].
        public var error: [Float]
    }

    /// Quantizes column `i` of `w` ([rows][columns], row-major) on `grids` (one per row) and
    /// subtracts err[r] · uRow[k] from w[r, k] for k in i ..< columns (exercise 9d). `uRow`
    /// holds row i of U over the same columns as `w` (uRow[i] = U's diagonal entry, d).
    public static func quantizeColumn(
        _ i: Int, of w: inout [Float], rows: Int, columns: Int, uRow: [Float],
        grids: [MinMaxQuantizer.Grid], quantizer: MinMaxQuantizer
    ) -> ColumnStep {
        precondition(
            w.count == rows * columns && uRow.count == columns && grids.count == rows && i < columns
        )
        var step = ColumnStep(
            codes: [Float](repeating: 0, count: rows),
            dequantized: [Float](repeating: 0, count: rows),
            error: [Float](repeating: 0, count: rows))
        // BEGIN EXERCISE 9d — one column's error feedback
        let d = uRow[i]
        for r in 0..<rows {
            let x = w[r * columns + i]
            let code = quantizer.code(x, grids[r])
            let q = quantizer.dequantize(code, grids[r])
            let err = (x - q) / d
            step.codes[r] = code
            step.dequantized[r] = q
            step.error[r] = err
            for k in i..<columns { w[r * columns + k] -= err * uRow[k] }
        }
        // END EXERCISE 9d
        return step
    }
}
