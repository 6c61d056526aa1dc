import FloatFormats
import Testing

/// Exercise 1.4 — overflow, infinity and NaN per format (`overflowMagnitude`, `nanMagnitude`
/// in Encode.swift). The expected codes are the ml_dtypes 0.6.0 / NumPy 2.4.6 behaviour
/// recorded in Fixtures/conversions/overflow_semantics.json.
@Suite struct Ex1_4_OverflowAndSpecialsTests {
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
        for (format, below, belowCode, at, atCode) in Self.thresholds {
            let signBit = format.signMask << UInt32(format.storageShift)
            for sign: UInt32 in [0, 0x8000_0000] {
                let codeSign = sign == 0 ? 0 : signBit
                let a = format.encode(Float(bitPattern: below | sign))
                let b = format.encode(Float(bitPattern: at | sign))
                #expect(
                    a == belowCode | codeSign,
                    "\(format.name) \(hex(below | sign)): expected \(hex(belowCode | codeSign)), got \(hex(a))"
                )
                #expect(
                    b == atCode | codeSign,
                    "\(format.name) \(hex(at | sign)): expected \(hex(atCode | codeSign)), got \(hex(b))"
                )
            }
        }
    }

    /// ±inf in: ±inf where the format has it, NaN (sign kept) in E4M3, ±6 in FP4.
    @Test func infinitiesFollowTheFormat() {
        let expected: [(FloatFormat, UInt32, UInt32)] = [
            (.fp32, 0x7f80_0000, 0xff80_0000), (.fp16, 0x7c00, 0xfc00), (.bf16, 0x7f80, 0xff80),
            (.tf32, 0x7f80_0000, 0xff80_0000), (.fp8E4M3, 0x7f, 0xff), (.fp8E5M2, 0x7c, 0xfc),
            (.fp4E2M1, 0x7, 0xf),
        ]
        for (format, plus, minus) in expected {
            #expect(
                format.encode(.infinity) == plus,
                "\(format.name) +inf → \(hex(format.encode(.infinity)))")
            #expect(
                format.encode(-.infinity) == minus,
                "\(format.name) −inf → \(hex(format.encode(-.infinity)))")
        }
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
        for (format, codes) in expected {
            for (input, code) in zip(inputs, codes) {
                let actual = format.encode(Float(bitPattern: input))
                #expect(
                    actual == code,
                    "\(format.name) NaN \(hex(input)): expected \(hex(code)), got \(hex(actual))")
            }
        }
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
        for x: Float in [.infinity, .greatestFiniteMagnitude, format.largestFinite.nextUp * 2]
        where x > format.largestFinite {
            #expect(format.encode(x, overflow: .saturate) == maxCode, "\(format.name) \(x)")
            #expect(
                format.encode(-x, overflow: .saturate) == maxCode | signBit, "\(format.name) −\(x)")
        }
        let nan = format.decode(format.encode(.nan, overflow: .saturate))
        #expect(nan.isNaN == format.hasNaN, "\(format.name) NaN in saturating mode → \(nan)")
        for x in samplePatterns(for: format, count: 3000, seed: 14) where x.isFinite {
            let (bits, overflowed) = format.encodeReportingOverflow(x, overflow: .ieee)
            if !overflowed {
                #expect(
                    format.encode(x, overflow: .saturate) == bits, "\(format.name) \(x) (\(hex(x)))"
                )
            }
        }
    }
}
