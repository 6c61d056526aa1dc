import FloatFormats
import TestSupport
import Testing

/// Exercise 1d — overflow, infinity and NaN per format (`overflowMagnitude`,
/// `canonicalNaNMagnitude` and `nanMagnitude` in Encode.swift). The expected codes are the
/// ml_dtypes 0.6.0 / NumPy 2.4.6 behaviour recorded in
/// Fixtures/conversions/overflow_semantics.json. The overflow thresholds go through the
/// rounding, so this suite needs Exercises 1b and 1c; it does not decode (no 1a).
@Suite struct Ex1d_OverflowAndSpecialsTests {
    /// (format, largest input that stays finite → code, smallest input that overflows → code).
    /// Each threshold is the midpoint above the largest finite value: a tie, which rounds to
    /// the even neighbour — 2^(emax+1), out of range — except in E4M3, whose even neighbour
    /// at 464 is 448 (0x7f is NaN), so its threshold is one float32 ulp higher.
    static let thresholds: [(FloatFormat, UInt32, UInt32, UInt32, UInt32)] = [
        (.fp16, 0x477f_efff, 0x7bff, 0x477f_f000, 0x7c00),
        (.bf16, 0x7f7f_7fff, 0x7f7f, 0x7f7f_8000, 0x7f80),
        (.tf32, 0x7f7f_efff, 0x7f7f_e000, 0x7f7f_f000, 0x7f80_0000),
        (.fp8E4M3, 0x43e8_0000, 0x7e, 0x43e8_0001, 0x7f),
        (.fp8E5M2, 0x476f_ffff, 0x7b, 0x4770_0000, 0x7c),
    ]

    @Test func overflowThresholdsMatchTheReference() {
        var log = MismatchLog("overflow thresholds")
        for (format, below, belowCode, at, atCode) in Self.thresholds {
            let signBit = format.signMask << UInt32(format.storageShift)
            for sign: UInt32 in [0, 0x8000_0000] {
                let codeSign = sign == 0 ? 0 : signBit
                for (input, code) in [(below | sign, belowCode | codeSign), (at | sign, atCode | codeSign)] {
                    let actual = format.encode(Float(bitPattern: input))
                    if actual != code { log.add("\(format.name) \(hex(input)): expected \(hex(code)), got \(hex(actual))") }
                }
            }
        }
        log.expectEmpty()
    }

    /// ±inf in: ±inf where the format has it, NaN (sign kept) in E4M3, ±6 in FP4.
    @Test func infinitiesFollowTheFormat() {
        let expected: [(FloatFormat, UInt32, UInt32)] = [
            (.fp32, 0x7f80_0000, 0xff80_0000), (.fp16, 0x7c00, 0xfc00), (.bf16, 0x7f80, 0xff80),
            (.tf32, 0x7f80_0000, 0xff80_0000), (.fp8E4M3, 0x7f, 0xff), (.fp8E5M2, 0x7c, 0xfc),
            (.fp4E2M1, 0x7, 0xf),
        ]
        var log = MismatchLog("infinities")
        for (format, plus, minus) in expected {
            let a = format.encode(.infinity), b = format.encode(-.infinity)
            if a != plus { log.add("\(format.name) +inf: expected \(hex(plus)), got \(hex(a))") }
            if b != minus { log.add("\(format.name) −inf: expected \(hex(minus)), got \(hex(b))") }
        }
        log.expectEmpty()
    }

    /// NaN bit patterns, matched to the reference: ml_dtypes writes its canonical quiet NaN
    /// with the sign; NumPy's float16 keeps the top payload bits (no quieting); the TF32
    /// reference keeps them and sets the quiet bit; float32 is the identity.
    @Test func nanBitPatternsMatchTheReference() {
        let inputs: [UInt32] = [0x7fc0_0000, 0xffc0_0000, 0x7fc0_1234, 0x7fa0_0000, 0xff80_0001]
        let expected: [(FloatFormat, [UInt32])] = [
            (.fp32, inputs),
            (.fp16, [0x7e00, 0xfe00, 0x7e00, 0x7d00, 0xfc01]),
            (.bf16, [0x7fc0, 0xffc0, 0x7fc0, 0x7fc0, 0xffc0]),
            (.tf32, [0x7fc0_0000, 0xffc0_0000, 0x7fc0_0000, 0x7fe0_0000, 0xffc0_0000]),
            (.fp8E4M3, [0x7f, 0xff, 0x7f, 0x7f, 0xff]),
            (.fp8E5M2, [0x7e, 0xfe, 0x7e, 0x7e, 0xfe]),
        ]
        var log = MismatchLog("NaN patterns")
        for (format, codes) in expected {
            for (input, code) in zip(inputs, codes) {
                let actual = format.encode(Float(bitPattern: input))
                if actual != code { log.add("\(format.name) NaN \(hex(input)): expected \(hex(code)), got \(hex(actual))") }
            }
        }
        log.expectEmpty()
    }

    /// FP4 has no NaN. Our choice (see `NaNEncoding.none`): NaN → zero with the NaN's sign.
    /// (ml_dtypes 0.6.0 flips the sign — an artefact we do not copy.)
    @Test func fp4TurnsNaNIntoZeroWithTheSameSign() {
        #expect(FloatFormat.fp4E2M1.encode(Float(bitPattern: 0x7fc0_0000)) == 0x0)
        #expect(FloatFormat.fp4E2M1.encode(Float(bitPattern: 0xffc0_0000)) == 0x8)
        #expect(
            FloatFormat.fp4E2M1.encode(Float(bitPattern: 0x7fa0_0000), overflow: .saturate) == 0x0)
    }

    /// FP4 saturates by default: 7 is a tie between 6 and 8 whose even neighbour 8 does not
    /// exist, so it overflows — and saturates, like everything larger.
    @Test func fp4SaturatesByDefault() {
        for x: Float in [6.5, 7, 8, 1e30, .greatestFiniteMagnitude] {
            #expect(FloatFormat.fp4E2M1.encode(x) == 0x7, "\(x)")
            #expect(FloatFormat.fp4E2M1.encode(-x) == 0xf, "−\(x)")
        }
        #expect(FloatFormat.fp4E2M1.explain(7).overflowed)
        #expect(!FloatFormat.fp4E2M1.explain(6).overflowed)
    }

    /// Saturating mode (OCP OFP8 §5, MX): overflow and ±inf → ±largest finite; NaN stays NaN
    /// where the format has one; everything in range encodes exactly as in `.ieee` mode.
    @Test(arguments: FloatFormat.all)
    func saturatingModeClampsToTheLargestFiniteValue(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        let maxCode = format.largestFiniteCode << shift
        let signBit = format.signMask << shift
        let largest = exactLargestFinite(format)
        var log = MismatchLog("\(format.name) saturating mode")
        for x: Float in [.infinity, .greatestFiniteMagnitude, largest.nextUp * 2] where x > largest {
            let plus = format.encode(x, overflow: .saturate), minus = format.encode(-x, overflow: .saturate)
            if plus != maxCode { log.add("\(x): expected \(hex(maxCode)), got \(hex(plus))") }
            if minus != maxCode | signBit { log.add("−\(x): expected \(hex(maxCode | signBit)), got \(hex(minus))") }
        }
        let nan = format.encode(.nan, overflow: .saturate)
        let nanFields = fieldsIfValid(format, nan)
        if nanFields.map({ format.isNaN(exponentField: $0.exponent, mantissaField: $0.mantissa) }) != format.hasNaN {
            log.add("NaN in saturating mode → \(hex(nan)), expected \(format.hasNaN ? "a NaN" : "a number")")
        }
        for x in samplePatterns(for: format, count: 3000, seed: 14) where x.isFinite {
            let (bits, overflowed) = format.encodeReportingOverflow(x, overflow: .ieee)
            let saturated = format.encode(x, overflow: .saturate)
            if !overflowed && saturated != bits {
                log.add("\(x) (\(hex(x))): .ieee \(hex(bits)) but .saturate \(hex(saturated))")
            }
        }
        log.expectEmpty()
    }

    /// Every NaN code, turned into the float32 NaN that decoding it gives (sign kept, mantissa
    /// field shifted to the top), encodes back to a NaN of the same sign: no payload rule may
    /// turn a NaN into infinity or lose its sign.
    @Test(arguments: [FloatFormat.fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2])
    func nanCodesStayNaNThroughARoundTrip(format: FloatFormat) {
        var log = MismatchLog("\(format.name) NaN codes")
        for (bits, sign, float32) in nanCodes(of: format) {
            let x = Float(bitPattern: float32)
            let again = fieldsIfValid(format, format.encode(x))
            if again.map({ format.isNaN(exponentField: $0.exponent, mantissaField: $0.mantissa) && $0.sign == sign }) != true {
                log.add("code \(hex(bits)) → \(hex(x)) → \(hex(format.encode(x)))")
            }
        }
        log.expectEmpty()
    }

    /// fp32 → fp32 keeps every infinity and every NaN bit pattern (payload and sign).
    @Test func fp32KeepsInfinitiesAndNaNPayloads() {
        var log = MismatchLog("fp32 specials")
        let specials = samplePatterns(for: .fp32, count: 300_000, seed: 16).filter { !$0.isFinite }
        for x in specials + [.infinity, -.infinity, Float(bitPattern: 0x7f80_0001), Float(bitPattern: 0xffbf_ffff)] {
            let actual = FloatFormat.fp32.encode(x)
            if actual != x.bitPattern { log.add("\(hex(x)) → \(hex(actual))") }
        }
        log.expectEmpty()
    }

    /// The whole encoder against the reference libraries, bit for bit, on all 4508 reference
    /// inputs — NaN payloads, infinities and overflow included. FP4's NaN inputs are left out:
    /// ml_dtypes flips their sign, we keep it (`fp4TurnsNaNIntoZeroWithTheSameSign`).
    @Test(arguments: [FloatFormat.fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2, .fp4E2M1])
    func everyReferenceInputMatchesBitForBit(format: FloatFormat) throws {
        let inputs = referenceInputs
        try #require(inputs.count == 4508, "input.npy missing or wrong size")
        let expected = try referenceBits(format)
        var log = MismatchLog("\(format.name) vs the reference")
        for i in inputs.indices where !(inputs[i].isNaN && !format.hasNaN) {
            let actual = format.encode(inputs[i])
            if actual != expected[i] {
                log.add("index \(i): input \(inputs[i]) (\(hex(inputs[i]))), expected \(hex(expected[i])), got \(hex(actual))")
            }
        }
        log.expectEmpty()
    }
}
