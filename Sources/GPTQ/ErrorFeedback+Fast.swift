/// The fast twin of `ErrorFeedback.quantizeColumn` for a whole lazy block: the same steps for
/// every column of the block, taken row by row instead of column by column.
///
/// ```
/// for each row r:                                   rows never feed each other
///     for i in 0 ..< columns:                       the block's columns, in order
///         code, q = quant(w[r, i]) on grids[i][r];  err = (w[r, i] − q) / U[i, i]
///         w[r, k] −= err · U[i, k]     for k ≥ i    the same multiply and subtract
/// ```
///
/// Why it is the same computation, bit for bit: the error feedback of column i changes only
/// the later entries of the *same* row, so the rows are independent and their order does not
/// matter; within a row every entry sees the same operations in the same order as in
/// `quantizeColumn` (`ErrorFeedbackFastPathTests` checks it bit for bit; `GPTQ.quantize` keeps
/// every reference-case value it had). What changes is the memory walk: a row of the block
/// (`columns` floats) stays in L1 cache while all the block's columns are quantized, instead
/// of a pass over the whole [rows][columns] block per column.
/// The grids can be chosen up front because, inside a block, they are fitted on the *global*
/// W, which the block does not change (see `GPTQ`).
extension ErrorFeedback {

    /// What a block produced, each [rows][columns] like the block (`error` is the lazy
    /// update's Err1 as it stands).
    struct BlockSteps {
        var codes: [Float]
        var dequantized: [Float]
        var error: [Float]

        /// Column i's results, as `quantizeColumn` returns them.
        func step(_ i: Int, rows: Int) -> ColumnStep {
            let columns = codes.count / rows
            func column(_ a: [Float]) -> [Float] { (0..<rows).map { a[$0 * columns + i] } }
            return ColumnStep(
                codes: column(codes), dequantized: column(dequantized), error: column(error))
        }
    }

    /// Quantizes every column of `w` ([rows][columns], row-major: the block's working copy)
    /// in order, with error feedback inside the block. `u`: [columns][columns], the block's
    /// square of U (row i = `quantizeColumn`'s uRow for column i); `grids[i]`: column i's grids,
    /// one per row.
    static func quantizeBlock(
        _ w: inout [Float], rows: Int, columns: Int, u: [Float],
        grids: [[MinMaxQuantizer.Grid]], quantizer: MinMaxQuantizer
    ) -> BlockSteps {
        precondition(
            w.count == rows * columns && u.count == columns * columns && grids.count == columns
                && grids.allSatisfy { $0.count == rows })
        var codes = [Float](repeating: 0, count: rows * columns)
        var dequantized = codes
        var error = codes
        w.withUnsafeMutableBufferPointer { w in
            u.withUnsafeBufferPointer { u in
                codes.withUnsafeMutableBufferPointer { codes in
                    dequantized.withUnsafeMutableBufferPointer { dequantized in
                        error.withUnsafeMutableBufferPointer { error in
                            for r in 0..<rows {
                                let row = w.baseAddress! + r &* columns
                                for i in 0..<columns {
                                    let grid = grids[i][r]
                                    let x = row[i]
                                    let code = quantizer.code(x, grid)
                                    let q = quantizer.dequantize(code, grid)
                                    let uRow = u.baseAddress! + i &* columns
                                    let err = (x - q) / uRow[i]
                                    codes[r &* columns &+ i] = code
                                    dequantized[r &* columns &+ i] = q
                                    error[r &* columns &+ i] = err
                                    // contiguous in both: vectorises (an update per entry,
                                    // so the vector order cannot change a result)
                                    for k in i..<columns { row[k] -= err * uRow[k] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return BlockSteps(codes: codes, dequantized: dequantized, error: error)
    }
}
