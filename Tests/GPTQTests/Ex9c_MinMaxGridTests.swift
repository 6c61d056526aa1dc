import GPTQ
import TestSupport
import Testing

/// Exercise 9c: `MinMaxQuantizer.grid(rowMin:rowMax:)` — the reference's `find_params`.
@Suite struct Ex9c_MinMaxGridTests {

    /// Range [−2.5, 12.5] at 4 bits: scale = 15 / 15 = 1 and −xmin / scale = 2.5, a tie:
    /// half to even gives zero 2 (Swift's `.rounded()` would give 3). Then x = 0.5 → round(0.5)
    /// = 0 → code 2, x = 1.5 → 2 + 2 = 4, x = −1.5 → −2 + 2 = 0. All exact in float32.
    @Test func zeroPointRoundsTiesToEven() {
        let quantizer = MinMaxQuantizer(bits: 4)
        let grid = quantizer.grid(rowMin: -2.5, rowMax: 12.5)
        #expect(grid == MinMaxQuantizer.Grid(scale: 1, zero: 2))
        #expect([0.5, 1.5, -1.5].map { quantizer.code($0, grid) } == [2, 4, 0])
    }

    /// The range is widened to contain 0: an all-positive row [0.3, 0.9] gets xmin = 0,
    /// scale = 0.9 / 15 and zero 0 (3 bits: scale 0.9 / 7).
    @Test func rangeIsWidenedToIncludeZero() {
        #expect(
            MinMaxQuantizer(bits: 4).grid(rowMin: 0.3, rowMax: 0.9)
                == .init(scale: Float(0.9) / 15, zero: 0))
        #expect(
            MinMaxQuantizer(bits: 3).grid(rowMin: -0.6, rowMax: -0.2)
                == .init(scale: Float(0.6) / 7, zero: 7))
    }

    /// An all-zero row gets the range [−1, 1]: scale 2/15 and zero round(1 / (2/15)) — computed
    /// here in float32 as the reference does; 0 still dequantizes to exactly 0.
    @Test func allZeroRowGetsMinusOneToOne() {
        let quantizer = MinMaxQuantizer(bits: 4)
        let grid = quantizer.grid(rowMin: 0, rowMax: 0)
        let scale = Float(2) / 15
        #expect(grid == .init(scale: scale, zero: (1 / scale).rounded(.toNearestOrEven)))
        #expect(quantizer.quantize(0, grid) == 0)
    }

    /// Symmetric: xmax = max(|xmin|, xmax), xmin = −xmax, zero fixed at (maxq + 1) / 2 = 8.
    /// [−0.3, 0.75] → range [−0.75, 0.75], scale 1.5 / 15.
    @Test func symmetricGridIsCentredOnEight() {
        let quantizer = MinMaxQuantizer(bits: 4, symmetric: true)
        #expect(
            quantizer.grid(rowMin: -0.3, rowMax: 0.75) == .init(scale: Float(1.5) / 15, zero: 8))
        #expect(quantizer.grid(rowMin: -0.9, rowMax: 0.2) == .init(scale: Float(1.8) / 15, zero: 8))
    }
}
