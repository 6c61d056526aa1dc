import FloatFormats
import Testing

/// Exercise 1.5 — range and precision derived from the fields (DerivedProperties.swift).
@Suite struct Ex1_5_DerivedPropertiesTests {
    /// (format, largest finite, smallest normal, smallest subnormal, epsilon, decimal digits)
    /// from the specs: IEEE 754 Table 3.5, OCP OFP8 Table 1, OCP MX Table 2, A100 whitepaper.
    static let specNumbers: [(FloatFormat, Float, Float, Float, Float, Double)] = [
        (
            .fp32, .greatestFiniteMagnitude, .leastNormalMagnitude, .leastNonzeroMagnitude,
            .ulpOfOne, 7.22
        ),
        (.fp16, 65504, 6.103_515_6e-5, 5.960_464_5e-8, 9.765_625e-4, 3.31),
        (.bf16, 3.389_531_4e38, 1.175_494_4e-38, Float(bitPattern: 0x0001_0000), 0.007_812_5, 2.41),
        (
            .tf32, 3.401_162_1e38, 1.175_494_4e-38, Float(bitPattern: 0x0000_2000), 9.765_625e-4,
            3.31
        ),
        (.fp8E4M3, 448, 0.015_625, 0.001_953_125, 0.125, 1.20),
        (.fp8E5M2, 57344, 6.103_515_6e-5, 1.525_878_9e-5, 0.25, 0.90),
        (.fp4E2M1, 6, 1, 0.5, 0.5, 0.60),
    ]

    @Test func rangeAndPrecisionMatchTheSpecs() {
        for (format, largest, normal, subnormal, epsilon, digits) in Self.specNumbers {
            #expect(
                format.largestFinite == largest,
                "\(format.name) largestFinite \(format.largestFinite)")
            #expect(
                format.smallestNormal == normal,
                "\(format.name) smallestNormal \(format.smallestNormal)")
            #expect(
                format.smallestSubnormal == subnormal,
                "\(format.name) smallestSubnormal \(format.smallestSubnormal)")
            #expect(
                format.machineEpsilon == epsilon,
                "\(format.name) machineEpsilon \(format.machineEpsilon)")
            #expect(
                abs(format.decimalDigits - digits) < 0.005,
                "\(format.name) decimalDigits \(format.decimalDigits)")
        }
    }

    /// The formulas agree with decoding the codes they name: largest finite is the code
    /// below the first non-finite one, epsilon is the gap above 1, and so on.
    @Test(arguments: FloatFormat.all)
    func propertiesAgreeWithDecodedCodes(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        let m = UInt32(format.mantissaBits)
        #expect(format.decode(format.largestFiniteCode << shift) == format.largestFinite)
        if format.largestFiniteCode + 1 < format.signMask {  // FP4's largest code is its last
            #expect(!format.decode((format.largestFiniteCode + 1) << shift).isFinite)
        }
        #expect(format.decode((1 << m) << shift) == format.smallestNormal)
        #expect(format.decode(1 << shift) == format.smallestSubnormal)
        let one = format.encode(1)
        #expect(format.decode(one + (1 << shift)) - 1 == format.machineEpsilon)
        #expect(format.codeCount == 1 << format.codeBits)
    }

    /// Cross-check with Swift's own IEEE half precision where it exists.
    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        @Test func fp16MatchesSwiftFloat16() {
            let fp16 = FloatFormat.fp16
            #expect(fp16.largestFinite == Float(Float16.greatestFiniteMagnitude))
            #expect(fp16.smallestNormal == Float(Float16.leastNormalMagnitude))
            #expect(fp16.smallestSubnormal == Float(Float16.leastNonzeroMagnitude))
            #expect(fp16.machineEpsilon == Float(Float16.ulpOfOne))
        }
    #endif

    /// The grid the chapter plots: ascending, no duplicates, symmetric, ending at ±max.
    @Test(arguments: [FloatFormat.fp16, .bf16, .fp8E4M3, .fp8E5M2, .fp4E2M1])
    func allFiniteValuesIsTheSortedGrid(format: FloatFormat) {
        let values = format.allFiniteValues
        let nonFinite =
            format == .fp16
            ? 2048 : format == .bf16 ? 256 : format == .fp8E5M2 ? 8 : format == .fp8E4M3 ? 2 : 0
        #expect(values.count == format.codeCount - nonFinite - 1, "−0 left out, +0 kept")
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "strictly ascending")
        #expect(values.first == -format.largestFinite && values.last == format.largestFinite)
        #expect(values.elementsEqual(values.reversed().map { -$0 }), "symmetric about 0")
    }

    @Test func fp4GridIsTheSpecTable() {
        let positive: [Float] = [0, 0.5, 1, 1.5, 2, 3, 4, 6]
        let expected = positive.dropFirst().reversed().map { -$0 } + positive
        #expect(FloatFormat.fp4E2M1.allFiniteValues == expected)
    }
}
