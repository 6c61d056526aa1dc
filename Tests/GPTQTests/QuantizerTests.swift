import GPTQ
import TestSupport
import Testing

/// `MinMaxQuantizer` beyond its exercise: codes, clamping and the grid property.
@Suite struct QuantizerTests {

    /// Every dequantized value is scale · (k − zero) for an integer k in 0 … maxq, and inside
    /// the range the error is at most half a step (plus one float32 rounding of the product).
    @Test(arguments: [2, 3, 4, 8])
    func valuesLandOnTheGridWithinHalfAStep(bits: Int) {
        let quantizer = MinMaxQuantizer(bits: bits)
        let row: [Float] = (0..<50).map { Float($0) * 0.0173 - 0.31 }
        let grid = quantizer.fit(row, rows: 1, columns: 50, columnRange: 0..<50)[0]
        var log = MismatchLog("\(bits) bits")
        for x in row {
            let code = quantizer.code(x, grid)
            let q = quantizer.quantize(x, grid)
            if code != code.rounded() || code < 0 || code > quantizer.maxq {
                log.add("code \(code) for \(x)")
            }
            if abs(q - x) > grid.scale / 2 + q.ulp { log.add("\(x) → \(q), step \(grid.scale)") }
        }
        log.expectEmpty()
    }

    /// Values beyond the grid clamp to code 0 or maxq (a group refitted on other weights can
    /// meet them: GPTQ's error feedback moves weights after their grid was fitted).
    @Test func valuesOutsideTheRangeClampToTheEndCodes() {
        let quantizer = MinMaxQuantizer(bits: 4)
        let grid = quantizer.grid(rowMin: -1, rowMax: 2)
        #expect(quantizer.code(-5, grid) == 0)
        #expect(quantizer.code(9, grid) == 15)
    }
}
