import FloatFormats
import TestSupport
import Testing

/// Exercise 1e — range and precision derived from the fields (`maxFiniteExponent`,
/// `largestFinite`, `smallestNormal`, `smallestSubnormal`, `machineEpsilon`, `decimalDigits`
/// in DerivedProperties.swift). The cross-checks use the tests' own decoder
/// (`exactValue(ofCode:in:)`), so this suite needs no other exercise.
@Suite struct Ex1e_DerivedPropertiesTests {
    /// (format, max finite exponent, largest finite, smallest normal, smallest subnormal,
    /// epsilon, decimal digits) from the specs: IEEE 754 Table 3.5, OCP OFP8 Table 1, OCP MX
    /// Table 2, A100 whitepaper.
    static let specNumbers: [(FloatFormat, Int, Float, Float, Float, Float, Double)] = [
        (
            .fp32, 127, .greatestFiniteMagnitude, .leastNormalMagnitude, .leastNonzeroMagnitude,
            .ulpOfOne, 7.22
        ),
        (.fp16, 15, 65504, 6.103_515_6e-5, 5.960_464_5e-8, 9.765_625e-4, 3.31),
        (.bf16, 127, 3.389_531_4e38, 1.175_494_4e-38, Float(bitPattern: 0x0001_0000), 0.007_812_5, 2.41),
        (
            .tf32, 127, 3.401_162_1e38, 1.175_494_4e-38, Float(bitPattern: 0x0000_2000), 9.765_625e-4,
            3.31
        ),
        (.fp8E4M3, 8, 448, 0.015_625, 0.001_953_125, 0.125, 1.20),
        (.fp8E5M2, 15, 57344, 6.103_515_6e-5, 1.525_878_9e-5, 0.25, 0.90),
        (.fp4E2M1, 2, 6, 1, 0.5, 0.5, 0.60),
    ]

    @Test func rangeAndPrecisionMatchTheSpecs() {
        var log = MismatchLog("spec numbers", shown: 6)
        for (format, emax, largest, normal, subnormal, epsilon, digits) in Self.specNumbers {
            let name = format.name
            if format.maxFiniteExponent != emax { log.add("\(name) maxFiniteExponent: expected \(emax), got \(format.maxFiniteExponent)") }
            if format.largestFinite != largest { log.add("\(name) largestFinite: expected \(largest), got \(format.largestFinite)") }
            if format.smallestNormal != normal { log.add("\(name) smallestNormal: expected \(normal), got \(format.smallestNormal)") }
            if format.smallestSubnormal != subnormal {
                log.add("\(name) smallestSubnormal: expected \(subnormal), got \(format.smallestSubnormal)")
            }
            if format.machineEpsilon != epsilon { log.add("\(name) machineEpsilon: expected \(epsilon), got \(format.machineEpsilon)") }
            if !(abs(format.decimalDigits - digits) < 0.005) {
                log.add("\(name) decimalDigits: expected \(digits) (±0.005), got \(format.decimalDigits)")
            }
        }
        log.expectEmpty()
    }

    /// The formulas agree with the codes they name: the largest finite value is the value of
    /// the code just below the first special one, the smallest normal is code 2^m, the
    /// smallest subnormal code 1, epsilon the gap between the code of 1 and the next.
    @Test(arguments: FloatFormat.all)
    func propertiesAgreeWithTheCodesTheyName(format: FloatFormat) {
        let m = UInt32(format.mantissaBits)
        func value(_ code: UInt32) -> Float { Float(exactValue(ofCode: code, in: format)) }
        let one = UInt32(format.bias) << m  // exponent field = bias, mantissa 0
        let checks: [(String, Float, Float)] = [
            ("largestFinite", value(format.largestFiniteCode), format.largestFinite),
            ("smallestNormal", value(1 << m), format.smallestNormal),
            ("smallestSubnormal", value(1), format.smallestSubnormal),
            ("machineEpsilon", value(one + 1) - value(one), format.machineEpsilon),
        ]
        var log = MismatchLog("\(format.name) properties vs codes")
        for (name, expected, actual) in checks where actual != expected {
            log.add("\(name): the code says \(expected), the property \(actual)")
        }
        let emaxField = Int(format.largestFiniteCode >> m)
        if format.maxFiniteExponent != emaxField - format.bias {
            log.add("maxFiniteExponent: the largest finite code's exponent is \(emaxField - format.bias), got \(format.maxFiniteExponent)")
        }
        log.expectEmpty()
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
}
