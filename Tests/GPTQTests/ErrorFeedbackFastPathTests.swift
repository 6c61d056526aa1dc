import Core
@testable import GPTQ
import TestSupport
import Testing

/// `ErrorFeedback.quantizeBlock` (row by row) against `quantizeColumn` (column by column, the
/// readable step `GPTQ.quantize` used before): the same operations on every entry, so the
/// same bits.
@Suite struct ErrorFeedbackFastPathTests {

    /// A 37 × 50 block, U from a random SPD matrix, grids changing at column 20 (a group
    /// boundary inside the block), 3 bits: codes, Q, errors and the updated block bit for bit.
    @Test func blockQuantizationIsTheColumnStepsBitForBit() throws {
        let (rows, columns) = (37, 50)
        var rng = SeededRNG(seed: 31)
        let w = rng.normalFloats(rows * columns, std: 0.1)
        let u = try Cholesky.upperFactorOfInverse(CholeskyTests.spd(columns, seed: 32), n: columns)
        let quantizer = MinMaxQuantizer(bits: 3)
        let first = quantizer.fit(w, rows: rows, columns: columns, columnRange: 0..<20)
        let second = quantizer.fit(w, rows: rows, columns: columns, columnRange: 20..<50)
        let grids = (0..<columns).map { $0 < 20 ? first : second }

        var byColumn = w
        var steps: [ErrorFeedback.ColumnStep] = []
        for i in 0..<columns {
            steps.append(
                ErrorFeedback.quantizeColumn(
                    i, of: &byColumn, rows: rows, columns: columns,
                    uRow: Array(u[(i * columns)..<((i + 1) * columns)]), grids: grids[i],
                    quantizer: quantizer))
        }
        var byRow = w
        let block = ErrorFeedback.quantizeBlock(
            &byRow, rows: rows, columns: columns, u: u, grids: grids, quantizer: quantizer)

        let updated = firstBitMismatch(byColumn, byRow)
        #expect(updated == nil, "w: \(updated ?? "")")
        for i in 0..<columns {
            let fast = block.step(i, rows: rows)
            for (what, x, y) in [
                ("codes", steps[i].codes, fast.codes),
                ("Q", steps[i].dequantized, fast.dequantized), ("err", steps[i].error, fast.error),
            ] {
                if let m = firstBitMismatch(x, y) {
                    Issue.record("column \(i) \(what): \(m)")
                    return
                }
            }
        }
    }
}
