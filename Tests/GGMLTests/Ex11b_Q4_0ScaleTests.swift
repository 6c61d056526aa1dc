import GGML
import Testing

/// Exercise 11b: Q4_0's scale and codes (`quantize_row_q4_0_ref`): d = the signed value of
/// largest magnitude / −8, code = min(15, (int8_t)(x / d + 8.5)). Worked out by hand.
@Suite struct Ex11b_Q4_0ScaleTests {
    /// [−4, 1, 2, 3.5, −0.25, 0 …]: m = −4, d = 0.5, id = 2. Codes trunc(2x + 8.5): −4 → 0,
    /// 1 → 10, 2 → 12, 3.5 → 15, −0.25 → trunc(8.0) = 8 (rounding half up: roundf would give
    /// 7), 0 → 8.
    @Test func negativeLargestValueMapsToCodeZero() {
        var block = [Float](repeating: 0, count: 32)
        block.replaceSubrange(0..<5, with: [-4, 1, 2, 3.5, -0.25])
        let (d, codes) = Q4_0.scaleAndCodes(block[...])
        #expect(d == 0.5)
        let firstFive = Array(codes.prefix(5)) == [0, 10, 12, 15, 8]
        #expect(firstFive)
        #expect(codes.count == 32 && codes.dropFirst(5).allSatisfy { $0 == 8 })
    }

    /// [4, −4, …]: a tie on |x|, the first wins, m = +4, d = −0.5, id = −2. 4 → trunc(0.5)
    /// = 0; −4 → trunc(16.5) = 16, clamped to 15, which dequantizes to (15 − 8)(−0.5) = −3.5.
    @Test func firstValueWinsATieAndTheOtherSideIsClamped() {
        var block = [Float](repeating: 0, count: 32)
        block[0] = 4
        block[1] = -4
        let (d, codes) = Q4_0.scaleAndCodes(block[...])
        #expect(d == -0.5)
        #expect(codes[0] == 0 && codes[1] == 15)
    }

    /// All zeros: d = 0 / −8 = −0 (stored as fp16 0x8000), id = 0, every code 8.
    @Test func zeroBlockHasNegativeZeroScale() {
        let (d, codes) = Q4_0.scaleAndCodes([Float](repeating: 0, count: 32)[...])
        #expect(d == 0 && d.sign == .minus)
        #expect(codes.allSatisfy { $0 == 8 })
    }
}
