import Core
import LLMInt8
import Testing

/// `Float16Rounding.rounded` against Swift's `Float16` conversion (round to nearest even),
/// where that type exists.
@Suite struct Float16RoundingTests {

    @Test func edgesRoundAsFloat16Does() {
        let cases: [(Float, Float)] = [
            (0, 0), (1, 1), (65504, 65504), (65519.996, 65504), (65520, .infinity), (-65520, -.infinity),
            (0x1p-24, 0x1p-24), (0x1p-25, 0), (0x1.8p-24, 0x1p-23), (0x1.002p0, 1), (0x1.006p0, 0x1.008p0),
            (0.1, 0.0999755859375), (-2.5, -2.5),
        ]
        for (x, want) in cases {
            #expect(Float16Rounding.rounded(x) == want, "\(x) → \(Float16Rounding.rounded(x)), expected \(want)")
        }
        #expect(Float16Rounding.rounded(.nan).isNaN)
        #expect(Float16Rounding.rounded(-0.0).sign == .minus)
    }

    #if !(os(macOS) && arch(x86_64))
        /// 300 000 random float32 bit patterns whose exponents cover float16's whole range,
        /// its subnormals and the overflow region, compared with `Float(Float16(x))`.
        @Test func agreesWithSwiftFloat16OnRandomBitPatterns() {
            var rng = SeededRNG(seed: 101)
            var mismatches = 0
            var first = ""
            for _ in 0..<300_000 {
                let bits = UInt32(truncatingIfNeeded: rng.next())
                // Exponent field in 100…145: magnitudes 2⁻²⁷ … 2¹⁸.
                let exponent = UInt32(100 + rng.index(below: 46)) << 23
                let x = Float(bitPattern: (bits & 0x807F_FFFF) | exponent)
                let got = Float16Rounding.rounded(x)
                let want = Float(Float16(x))
                if got != want {
                    mismatches += 1
                    if first.isEmpty { first = "x = \(x): got \(got), Float16 gives \(want)" }
                }
            }
            #expect(mismatches == 0, "\(mismatches) mismatches; first: \(first)")
        }
    #endif
}
