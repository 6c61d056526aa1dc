import FloatFormats
import TestSupport
import Testing

/// Exercise 1c — the grid, subnormals included (`roundedMagnitude` in Encode.swift): every
/// finite input that does not overflow, rounded onto the format's grid. The expected values
/// come from the tests' own decoder (`exactValue(ofCode:in:)`), the reference libraries and
/// independent converters, so this suite needs Exercise 1b (which it calls) and nothing else.
/// What happens past the largest finite value is Exercise 1d.
@Suite struct Ex1c_GridAndSubnormalsTests {
    static let formats: [FloatFormat] = [.fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2, .fp4E2M1]

    /// The value of magnitude code `code` (no storage shift) as a Float.
    static func value(_ code: UInt32, _ format: FloatFormat) -> Float {
        Float(exactValue(ofCode: code, in: format))
    }

    /// Subnormal codes k = 1 … 2^m − 1 are evenly spaced, k × (smallest subnormal), and each
    /// of those values encodes back to k.
    @Test(arguments: formats)
    func subnormalsAreEvenlySpaced(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        let smallestSubnormal = Self.value(1, format)
        var log = MismatchLog("\(format.name) subnormals")
        for k in 1..<(UInt32(1) << UInt32(format.mantissaBits)) {
            let x = Float(k) * smallestSubnormal  // exact: k < 2^23
            let actual = format.encode(x)
            if actual != k << shift { log.add("\(x) (\(hex(x))): expected \(hex(k << shift)), got \(hex(actual))") }
        }
        log.expectEmpty()
    }

    /// Around the smallest subnormal s: s/2 is a tie between 0 and s and goes to the even 0;
    /// anything above s/2 becomes s; 1.5 s is a tie between s and 2s and goes to 2s.
    @Test(arguments: formats)
    func roundingAroundTheSmallestSubnormal(format: FloatFormat) {
        let s = Self.value(1, format)
        let shift = UInt32(format.storageShift)
        let cases: [(Float, UInt32)] = [
            (s / 2, 0), ((s / 2).nextUp, 1), (s, 1), (-(s / 2), format.signMask),
            (s * 1.5, 2),  // code 2 is 2s (for FP4 that is the smallest normal, 1.0)
            (Float.leastNonzeroMagnitude, 0),
        ]
        var log = MismatchLog("\(format.name) near the smallest subnormal")
        for (x, expected) in cases {
            let actual = format.encode(x) >> shift
            if actual != expected { log.add("\(x) (\(hex(x))): expected \(hex(expected)), got \(hex(actual))") }
        }
        log.expectEmpty()
    }

    /// The largest subnormal plus half a step is a tie with the smallest normal, whose code
    /// 2^m is even: gradual underflow joins the normal range without a gap.
    @Test(arguments: formats)
    func largestSubnormalRoundsUpIntoTheNormalRange(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        let m = UInt32(format.mantissaBits)
        let smallestNormal = Self.value(1 << m, format)
        let smallestSubnormal = Self.value(1, format)
        let largestSubnormal = smallestNormal - smallestSubnormal
        let tie = largestSubnormal + smallestSubnormal / 2
        #expect(format.encode(tie) >> shift == 1 << m, "\(format.name) \(tie)")
        #expect(format.encode(tie.nextDown) >> shift == (1 << m) - 1, "\(format.name) \(tie.nextDown)")
        #expect(format.explain(largestSubnormal).isSubnormal)
        #expect(!format.explain(smallestNormal).isSubnormal)
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
        var log = MismatchLog("float32 subnormals")
        for (format, input, expected) in cases {
            let actual = format.encode(Float(bitPattern: input))
            if actual != expected { log.add("\(format.name) \(hex(input)): expected \(hex(expected)), got \(hex(actual))") }
        }
        log.expectEmpty()
    }

    /// Where the grid ends: a rounded magnitude past the largest finite code is *reported*,
    /// not clamped — `roundedMagnitude` returns it unbounded and the caller flags the overflow
    /// (what the result then becomes is Exercise 1d's). Each format's largest input that
    /// stays finite, the smallest that overflows (a tie that rounds to the even 2^(emax+1),
    /// except in E4M3), and values far beyond.
    @Test func roundingPastTheLargestFiniteValueIsReportedAsOverflow() {
        let thresholds: [(FloatFormat, UInt32, UInt32)] = [
            (.fp16, 0x477f_efff, 0x477f_f000), (.bf16, 0x7f7f_7fff, 0x7f7f_8000),
            (.tf32, 0x7f7f_efff, 0x7f7f_f000), (.fp8E4M3, 0x43e8_0000, 0x43e8_0001),
            (.fp8E5M2, 0x476f_ffff, 0x4770_0000), (.fp4E2M1, 0x40df_ffff, 0x40e0_0000),
        ]
        var log = MismatchLog("overflow flag")
        for (format, below, at) in thresholds {
            for sign: UInt32 in [0, 0x8000_0000] {
                let largest = Float(bitPattern: below | sign), past = Float(bitPattern: at | sign)
                if format.encodeReportingOverflow(largest, overflow: .ieee).overflowed { log.add("\(format.name) \(largest) flagged as overflow") }
                for x in [past, past * 2, past * 1e3] where x.isFinite {
                    if !format.encodeReportingOverflow(x, overflow: .ieee).overflowed { log.add("\(format.name) \(x) not flagged as overflow") }
                }
            }
        }
        log.expectEmpty()
    }

    /// Every finite code's value encodes back to that code, both signs (±0 included).
    @Test(arguments: formats)
    func everyFiniteCodeEncodesToItself(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        var log = MismatchLog("\(format.name) finite codes")
        for code in 0..<UInt32(format.codeCount) {
            let (_, exponent, mantissa) = format.fields(of: code << shift)
            if format.isNaN(exponentField: exponent, mantissaField: mantissa)
                || format.isInfinity(exponentField: exponent, mantissaField: mantissa)
            {
                continue
            }
            let x = Self.value(code, format)
            let actual = format.encode(x)
            if actual != code << shift { log.add("\(x) (\(hex(x))): expected \(hex(code << shift)), got \(hex(actual))") }
        }
        log.expectEmpty()
    }

    /// The exact midpoint between two neighbouring codes encodes to the one whose last bit
    /// is 0; one float32 ulp either side goes to the nearer one. Every pair of positive
    /// neighbours for fp8/fp4, every 7th pair for the 16- and 19-bit formats.
    @Test(arguments: formats)
    func tiesGoToEven(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        let stride = format.codeBits > 8 ? 7 : 1
        var log = MismatchLog("\(format.name) ties")
        for low in Swift.stride(from: UInt32(0), to: format.largestFiniteCode, by: stride) {
            let high = low + 1
            // Exact in float32: the midpoint needs one bit more than the format has.
            let midpoint = Float((exactValue(ofCode: low, in: format) + exactValue(ofCode: high, in: format)) / 2)
            let even = low & 1 == 0 ? low : high
            let checks: [(Float, UInt32)] = [
                (midpoint, even), (midpoint.nextDown, low), (midpoint.nextUp, high),
            ]
            for (x, expected) in checks where format.encode(x) >> shift != expected {
                log.add(
                    "\(x) (\(hex(x))) between \(hex(low)) and \(hex(high)): "
                        + "expected \(hex(expected)), got \(hex(format.encode(x) >> shift))")
            }
        }
        log.expectEmpty()
    }

    /// Round to *nearest*: no other code is closer to x than the one chosen (checked against
    /// both neighbours, in Double, which holds every difference exactly).
    @Test(arguments: formats)
    func encodingPicksTheNearestCode(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        let inputs = samplePatterns(for: format, count: 20_000, seed: 12)
        var log = MismatchLog("\(format.name) nearest code")
        for x in inputs where x.isFinite {
            let (bits, overflowed) = format.encodeReportingOverflow(x, overflow: .ieee)
            if overflowed { continue }
            let sign = (bits >> shift) & format.signMask
            let magnitude = (bits >> shift) & ~format.signMask
            guard magnitude <= format.largestFiniteCode else {
                log.add("\(x) (\(hex(x))): magnitude \(hex(magnitude)) is past the largest finite code")
                continue
            }
            let value = exactValue(ofCode: sign | magnitude, in: format)
            let error = abs(value - Double(x))
            for neighbour in [magnitude &- 1, magnitude + 1]
            where neighbour <= format.largestFiniteCode && neighbour < format.signMask {
                let other = exactValue(ofCode: sign | neighbour, in: format)
                if abs(other - Double(x)) < error {
                    log.add("\(x): chose \(value), but \(other) is nearer")
                }
            }
        }
        log.expectEmpty()
    }

    /// The reference libraries' codes (NumPy, ml_dtypes, the TF32 generator), bit for bit, on
    /// every reference input that is finite and no larger in magnitude than the largest finite
    /// value — so it cannot overflow (that part is Exercise 1d's).
    @Test(arguments: formats)
    func finiteInputsMatchTheReferenceBitForBit(format: FloatFormat) throws {
        let inputs = referenceInputs
        try #require(inputs.count == 4508, "input.npy missing or wrong size")
        let expected = try referenceBits(format)
        let largest = exactLargestFinite(format)
        var log = MismatchLog("\(format.name) vs the reference")
        for i in inputs.indices where inputs[i].isFinite && abs(inputs[i]) <= largest {
            let actual = format.encode(inputs[i])
            if actual != expected[i] {
                log.add("index \(i): input \(inputs[i]) (\(hex(inputs[i]))), expected \(hex(expected[i])), got \(hex(actual))")
            }
        }
        log.expectEmpty()
    }

    /// The wide formats against independent converters on 100 000 patterns each (finite,
    /// not past the largest finite value): fp32 is the identity; bf16 and TF32 are float32
    /// with the low bits rounded away by one integer add (0x7fff or 0xfff plus the last kept
    /// bit — the reference generator's trick); fp16 is Swift's own `Float16(x)`.
    @Test func wideFormatsMatchIndependentConverters() {
        var log = MismatchLog("wide formats")
        for format in [FloatFormat.fp32, .bf16, .tf32, .fp16] {
            let largest = exactLargestFinite(format)
            for x in samplePatterns(for: format, count: 100_000, seed: 15) where x.isFinite && abs(x) <= largest {
                let bits = x.bitPattern
                let expected: UInt32
                switch format {
                case .fp32: expected = bits
                case .bf16: expected = (bits &+ 0x7fff &+ ((bits >> 16) & 1)) >> 16
                case .tf32: expected = (bits &+ 0xfff &+ ((bits >> 13) & 1)) & 0xffff_e000
                default:
                    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
                        expected = UInt32(Float16(x).bitPattern)
                    #else
                        continue
                    #endif
                }
                let actual = format.encode(x)
                if actual != expected { log.add("\(format.name) \(x) (\(hex(x))): expected \(hex(expected)), got \(hex(actual))") }
            }
        }
        log.expectEmpty()
    }
}
