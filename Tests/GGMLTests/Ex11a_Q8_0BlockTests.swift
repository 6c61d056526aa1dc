import GGML
import Testing

/// Exercise 11a: Q8_0's block as `quantize_row_q8_0_ref` computes it — d = absmax / 127 in
/// float32, codes roundf(x · (1 / d)) as int8. Every expected number is worked out by hand.
@Suite struct Ex11a_Q8_0BlockTests {
    /// 32 values: 127, −63.5, 0.5, −0.5 and zeros. absmax 127 → d = 1, id = 1; roundf rounds
    /// halves away from zero: −63.5 → −64, 0.5 → 1, −0.5 → −1 (ties to even would give 0).
    @Test func scaleIsAbsmaxOver127AndHalvesRoundAwayFromZero() {
        var block = [Float](repeating: 0, count: 32)
        block[0] = 127
        block[1] = -63.5
        block[2] = 0.5
        block[3] = -0.5
        let (d, codes) = Q8_0.scaleAndCodes(block[...])
        #expect(d == 1)
        let firstFour = Array(codes.prefix(4)) == [127, -64, 1, -1]
        #expect(firstFour)
        #expect(codes.dropFirst(4).allSatisfy { $0 == 0 })
    }

    /// The largest magnitude may be negative: [−254, 127, …] has d = 254 / 127 = 2 and codes
    /// −127 and 63.5 → 64.
    @Test func negativeAbsmaxGivesCodeMinus127() {
        var block = [Float](repeating: 0, count: 32)
        block[0] = -254
        block[31] = 127
        let (d, codes) = Q8_0.scaleAndCodes(block[...])
        #expect(d == 2)
        #expect(codes[0] == -127 && codes[31] == 64 && codes.count == 32)
    }

    /// The scale is the float32 quotient, before fp16 rounding: absmax 1 → d = 1 / 127 as a
    /// float32 (0x3C010204), which fp16 cannot hold exactly.
    @Test func scaleIsTheFloat32Quotient() {
        var block = [Float](repeating: 0.25, count: 32)
        block[5] = 1
        let (d, codes) = Q8_0.scaleAndCodes(block[...])
        #expect(d == Float(1) / 127)
        #expect(codes[5] == 127)
        #expect(codes[0] == 32)  // 0.25 · 127 = 31.75 → 32
    }

    /// An all-zero block: d = 0, id = 0 (not 1/0), every code 0.
    @Test func zeroBlockHasZeroScaleAndCodes() {
        let (d, codes) = Q8_0.scaleAndCodes([Float](repeating: 0, count: 32)[...])
        #expect(d == 0)
        #expect(codes.count == 32 && codes.allSatisfy { $0 == 0 })
    }
}
