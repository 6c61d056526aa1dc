import FloatFormats
import TensorIO
import Testing

/// Exercise 1.1 — decode a bit pattern (`FloatFormat.decode(_:)` in Decode.swift).
@Suite struct Ex1_1_DecodeTests {
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
        for (format, code, expected) in Self.handChecked {
            let actual = format.decode(code)
            #expect(
                actual.bitPattern == expected.bitPattern,
                "\(format.name) \(hex(code)): expected \(expected), got \(actual)")
        }
    }

    @Test func signedZerosKeepTheirSign() {
        for format in FloatFormat.all {
            let negativeZero = format.signMask << UInt32(format.storageShift)
            #expect(format.decode(0).bitPattern == 0, "\(format.name) +0")
            #expect(format.decode(negativeZero).bitPattern == 0x8000_0000, "\(format.name) −0")
        }
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
        #expect(table.count == format.codeCount)
        let payloadsMatch = format == .fp16 || format == .bf16
        var mismatches: [String] = []
        for code in 0..<UInt32(format.codeCount) {
            let expected = table[Int(code)]
            let actual = format.decode(code)
            let agree =
                expected.isNaN && !payloadsMatch
                ? actual.isNaN : actual.bitPattern == expected.bitPattern
            if !agree {
                mismatches.append(
                    "code \(hex(code)): expected \(hex(expected)) (\(expected)), got \(hex(actual)) (\(actual))"
                )
            }
        }
        #expect(
            mismatches.isEmpty,
            "\(format.name): \(mismatches.count) codes differ, first: \(mismatches.first ?? "")")
    }
}
