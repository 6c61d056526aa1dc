import FloatFormats
import TensorIO
import TestSupport
import Testing

/// Exercise 1a — decode a bit pattern (`FloatFormat.decode(_:)` in Decode.swift), and the
/// finite grid that decoding every code gives (`allFiniteValues`).
@Suite struct Ex1a_DecodeTests {
    /// Codes worked out by hand from the field layout; asymmetric values on purpose.
    static let handChecked: [(FloatFormat, UInt32, Float)] = [
        (.fp16, 0x3c00, 1), (.fp16, 0x4900, 10), (.fp16, 0xc248, -3.140625),
        (.fp16, 0x0001, 5.960_464_5e-8), (.fp16, 0x03ff, 6.097_555e-5), (.fp16, 0x7bff, 65504),
        (.bf16, 0x3f80, 1), (.bf16, 0x4049, 3.140625),
        (.bf16, 0x0001, Float(bitPattern: 0x0001_0000)),
        (.tf32, 0x3f80_2000, 1.000_976_6), (.tf32, 0x0000_2000, Float(bitPattern: 0x0000_2000)),
        (.fp8E4M3, 0x38, 1), (.fp8E4M3, 0x7e, 448), (.fp8E4M3, 0x78, 256),
        (.fp8E4M3, 0x01, 0.001_953_125), (.fp8E4M3, 0xdb, -22),
        (.fp8E5M2, 0x3c, 1), (.fp8E5M2, 0x7b, 57344), (.fp8E5M2, 0x01, 1.525_878_9e-5),
        (.fp4E2M1, 0x1, 0.5), (.fp4E2M1, 0x5, 3), (.fp4E2M1, 0xf, -6),
        (.fp32, 0x4049_0fdb, 3.141_592_7),  // nearest float to π (Float.pi rounds toward zero)
    ]

    @Test func decodesHandCheckedCodes() {
        var log = MismatchLog("hand-checked codes")
        for (format, code, expected) in Self.handChecked {
            let actual = format.decode(code)
            if actual.bitPattern != expected.bitPattern {
                log.add("\(format.name) \(hex(code)): expected \(expected), got \(actual)")
            }
        }
        log.expectEmpty()
    }

    @Test func signedZerosKeepTheirSign() {
        var log = MismatchLog("signed zeros")
        for format in FloatFormat.all {
            let negativeZero = format.signMask << UInt32(format.storageShift)
            let plus = format.decode(0), minus = format.decode(negativeZero)
            if plus.bitPattern != 0 { log.add("\(format.name) +0 → \(hex(plus))") }
            if minus.bitPattern != 0x8000_0000 { log.add("\(format.name) −0 → \(hex(minus))") }
        }
        log.expectEmpty()
    }

    @Test func specialsDecodeToInfinityAndNaN() {
        #expect(FloatFormat.fp16.decode(0x7c00) == .infinity)
        #expect(FloatFormat.fp16.decode(0xfc00) == -.infinity)
        #expect(FloatFormat.fp16.decode(0x7c01).isNaN)
        #expect(FloatFormat.fp8E4M3.decode(0x7f).isNaN)
        #expect(FloatFormat.fp8E4M3.decode(0xff).isNaN)
        #expect(FloatFormat.fp8E4M3.decode(0x7e) == 448)  // same exponent field, a number
        #expect(FloatFormat.fp8E5M2.decode(0xfc) == -.infinity)
        #expect(FloatFormat.fp8E5M2.decode(0x7d).isNaN)
        #expect((0..<16).allSatisfy { FloatFormat.fp4E2M1.decode(UInt32($0)).isFinite })
    }

    /// Every code against the exhaustive decode tables of NumPy / ml_dtypes. Non-NaN values
    /// must agree bit for bit; NaN codes must give NaN. fp16 and bf16 NaN payloads must agree
    /// too (the library shifts the payload up, as we do); ml_dtypes' fp8 returns 0x7fc00000.
    @Test(arguments: [FloatFormat.fp16, .bf16, .fp8E4M3, .fp8E5M2, .fp4E2M1])
    func decodeMatchesReferenceTableForEveryCode(format: FloatFormat) throws {
        let table = try fixture("decode_tables/\(referenceName[format.name]!)/values.npy").floats()
        try #require(table.count == format.codeCount)
        let payloadsMatch = format == .fp16 || format == .bf16
        var log = MismatchLog("\(format.name) decode table")
        for code in 0..<UInt32(format.codeCount) {
            let expected = table[Int(code)]
            let actual = format.decode(code)
            let agree =
                expected.isNaN && !payloadsMatch
                ? actual.isNaN : actual.bitPattern == expected.bitPattern
            if !agree {
                log.add("code \(hex(code)): expected \(hex(expected)) (\(expected)), got \(hex(actual)) (\(actual))")
            }
        }
        log.expectEmpty()
    }

    /// What the doc comment promises for NaN codes, in every format that has them: a float32
    /// NaN with the code's sign and the mantissa field shifted to the top of float32's 23 bits
    /// (so decode then encode keeps a NaN's sign, which the encoder's tests rely on).
    @Test(arguments: [FloatFormat.fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2])
    func nanCodesKeepTheirSignAndPayload(format: FloatFormat) {
        var log = MismatchLog("\(format.name) NaN codes")
        for (bits, _, expected) in nanCodes(of: format) {
            let actual = format.decode(bits).bitPattern
            if actual != expected { log.add("code \(hex(bits)): expected \(hex(expected)), got \(hex(actual))") }
        }
        log.expectEmpty()
    }

    /// TF32 and fp32 codes *are* float32 bit patterns (TF32's low 13 bits are zero), so
    /// decoding must give back the very same bits — NaN payloads, subnormals and all. TF32:
    /// every one of its 2^19 codes; fp32: 200 000 patterns from the whole range.
    @Test func tf32AndFP32CodesDecodeToThemselves() {
        var log = MismatchLog("tf32/fp32 decode")
        for code in 0..<UInt32(FloatFormat.tf32.codeCount) {
            let bits = code << 13
            let actual = FloatFormat.tf32.decode(bits).bitPattern
            if actual != bits { log.add("tf32 \(hex(bits)) → \(hex(actual))") }
        }
        for x in samplePatterns(for: .fp32, count: 200_000, seed: 11) {
            let actual = FloatFormat.fp32.decode(x.bitPattern).bitPattern
            if actual != x.bitPattern { log.add("fp32 \(hex(x)) → \(hex(actual))") }
        }
        log.expectEmpty()
    }

    /// The grid the chapter plots: ascending, no duplicates, symmetric, ending at ±max
    /// (the largest finite code's value, by the tests' own decoder).
    @Test(arguments: [FloatFormat.fp16, .bf16, .fp8E4M3, .fp8E5M2, .fp4E2M1])
    func allFiniteValuesIsTheSortedGrid(format: FloatFormat) {
        let values = format.allFiniteValues
        let nonFinite =
            format == .fp16
            ? 2048 : format == .bf16 ? 256 : format == .fp8E5M2 ? 8 : format == .fp8E4M3 ? 2 : 0
        let largest = exactLargestFinite(format)
        #expect(values.count == format.codeCount - nonFinite - 1, "−0 left out, +0 kept")
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "strictly ascending")
        #expect(
            values.first == -largest && values.last == largest,
            "ends \(values.first ?? .nan), \(values.last ?? .nan); expected ±\(largest)")
        #expect(values.elementsEqual(values.reversed().map { -$0 }), "symmetric about 0")
    }

    @Test func fp4GridIsTheSpecTable() {
        let positive: [Float] = [0, 0.5, 1, 1.5, 2, 3, 4, 6]
        let expected = positive.dropFirst().reversed().map { -$0 } + positive
        let actual = FloatFormat.fp4E2M1.allFiniteValues
        #expect(actual == expected, "\(firstMismatch(expected, actual) ?? "")")
    }
}
