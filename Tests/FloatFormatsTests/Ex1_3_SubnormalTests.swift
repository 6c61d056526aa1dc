import FloatFormats
import Testing

/// Exercise 1.3 — subnormals: the grid spacing stops shrinking below the smallest normal
/// (`roundedMagnitude` in Encode.swift).
@Suite struct Ex1_3_SubnormalTests {
    static let formats: [FloatFormat] = [.fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2, .fp4E2M1]

    /// Subnormal codes k = 1 … 2^m − 1 are evenly spaced: k × smallestSubnormal.
    @Test(arguments: formats)
    func subnormalsAreEvenlySpaced(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        for k in 1..<(UInt32(1) << UInt32(format.mantissaBits)) {
            let expected = Float(k) * format.smallestSubnormal
            let actual = format.decode(k << shift)
            #expect(
                actual == expected,
                "\(format.name) code \(hex(k)): expected \(expected), got \(actual)")
            #expect(
                format.encode(expected) == k << shift,
                "\(format.name) \(expected) does not encode to \(hex(k))")
        }
    }

    /// Around the smallest subnormal s: s/2 is a tie between 0 and s and goes to the even 0;
    /// anything above s/2 becomes s; 1.5 s is a tie between s and 2s and goes to 2s.
    @Test(arguments: formats)
    func roundingAroundTheSmallestSubnormal(format: FloatFormat) {
        let s = format.smallestSubnormal
        let shift = UInt32(format.storageShift)
        let cases: [(Float, UInt32)] = [
            (s / 2, 0), ((s / 2).nextUp, 1), (s, 1), (-(s / 2), format.signMask),
            (s * 1.5, 2),  // code 2 is 2s (for FP4 that is the smallest normal, 1.0)
            (Float.leastNonzeroMagnitude, 0),
        ]
        for (x, expected) in cases {
            let actual = format.encode(x) >> shift
            #expect(
                actual == expected,
                "\(format.name) \(x) (\(hex(x))): expected \(hex(expected)), got \(hex(actual))")
        }
    }

    /// The largest subnormal plus half a step is a tie with the smallest normal, whose code
    /// 2^m is even: gradual underflow joins the normal range without a gap.
    @Test(arguments: formats)
    func largestSubnormalRoundsUpIntoTheNormalRange(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        let largestSubnormal = format.smallestNormal - format.smallestSubnormal
        let tie = largestSubnormal + format.smallestSubnormal / 2
        #expect(format.encode(tie) >> shift == 1 << UInt32(format.mantissaBits))
        #expect(format.encode(tie.nextDown) >> shift == (1 << UInt32(format.mantissaBits)) - 1)
        #expect(format.explain(largestSubnormal).isSubnormal)
        #expect(!format.explain(format.smallestNormal).isSubnormal)
    }

    /// bf16 and TF32 share float32's exponent range, so float32 subnormals are rounded to
    /// their shorter mantissas, not flushed to zero (the reference's specials 12–15).
    @Test func float32SubnormalsAreRoundedNotFlushed() {
        let cases: [(FloatFormat, UInt32, UInt32)] = [
            (.bf16, 0x0000_0001, 0x0000), (.bf16, 0x007f_ffff, 0x0080),
            (.bf16, 0x0040_0000, 0x0040),
            (.bf16, 0x8000_8001, 0x8001), (.bf16, 0x0000_8000, 0x0000),
            (.bf16, 0x0001_8000, 0x0002),
            (.tf32, 0x007f_ffff, 0x0080_0000), (.tf32, 0x0000_1000, 0x0000_0000),
            (.tf32, 0x0000_3000, 0x0000_4000), (.tf32, 0x0000_1001, 0x0000_2000),
        ]
        for (format, input, expected) in cases {
            let actual = format.encode(Float(bitPattern: input))
            #expect(
                actual == expected,
                "\(format.name) \(hex(input)): expected \(hex(expected)), got \(hex(actual))")
        }
    }
}
