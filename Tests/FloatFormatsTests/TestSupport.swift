import Core
import FloatFormats
import Foundation
import TensorIO
import Testing

// MARK: Fixtures

/// Reads `Fixtures/<relativePath>` (copied from shared/reference; see Fixtures/README.md).
func fixture(_ relativePath: String) throws -> RawTensor {
    let url = try #require(Bundle.module.resourceURL, "test bundle has no resources")
        .appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
    return try NPY.read(contentsOf: url.path)
}

/// The reference name of each format in the fixture files (ml_dtypes / numpy dtype names).
let referenceName: [String: String] = [
    "fp16": "fp16", "bf16": "bf16", "tf32": "tf32", "fp8-e4m3": "float8_e4m3fn",
    "fp8-e5m2": "float8_e5m2", "fp4-e2m1": "float4_e2m1fn",
]

/// The formats that have fixture files (every catalogued one except fp32).
let referenceFormats: [FloatFormat] = [.fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2, .fp4E2M1]

/// The 4508 reference inputs (Fixtures/conversions/input.npy): specials, every format's
/// edges and midpoints, random values. Empty if the fixture is missing (the tests say so).
let referenceInputs: [Float] = (try? fixture("conversions/input.npy").floats()) ?? []

/// The reference's codes for `referenceInputs`, widened to UInt32 (as `encode` returns them).
func referenceBits(_ format: FloatFormat) throws -> [UInt32] {
    let tensor = try fixture("conversions/\(referenceName[format.name]!)_bits.npy")
    switch format.storageBits {
    case 32: return try tensor.uint32s()
    case 16: return try tensor.uint16s().map { UInt32($0) }
    default: return try tensor.uint8s().map { UInt32($0) }
    }
}

/// `format.fields(of: bits)` for a code an encoder under test returned — or nil when the
/// code has bits above the format's storage width (where `fields` would stop the process).
func fieldsIfValid(_ format: FloatFormat, _ bits: UInt32) -> (sign: UInt32, exponent: UInt32, mantissa: UInt32)? {
    guard format.storageBits == 32 || bits >> UInt32(format.storageBits) == 0 else { return nil }
    return format.fields(of: bits)
}

// MARK: A second decoder

/// The value of a finite code (sign, exponent and mantissa fields, without TF32's storage
/// shift), computed in Double straight from the field formula:
///
/// ```
/// E > 0:  (−1)^s × (2^m + M) × 2^(E − bias − m)        E = 0:  (−1)^s × M × 2^(1 − bias − m)
/// ```
///
/// A second implementation beside `decode`, so the encoder's tests (Exercises 1c, 1d) and the
/// derived-property tests (1e) do not depend on Exercise 1a. Every catalogued value is exact
/// in Double. Only for finite codes: the caller excludes infinity and NaN.
func exactValue(ofCode code: UInt32, in format: FloatFormat) -> Double {
    let m = format.mantissaBits
    let negative = (code >> UInt32(format.codeBits - 1)) & 1 == 1
    let exponentField = Int((code >> UInt32(m)) & format.exponentFieldMax)
    let mantissa = Int(code & format.mantissaMask)
    let significand = exponentField == 0 ? mantissa : (1 << m) + mantissa
    let exponent = max(exponentField, 1) - format.bias - m
    return Double(sign: negative ? .minus : .plus, exponent: exponent, significand: Double(significand))
}

/// The largest finite value of `format` by the second decoder (no Exercise 1e, no 1a).
func exactLargestFinite(_ format: FloatFormat) -> Float {
    Float(exactValue(ofCode: format.largestFiniteCode, in: format))
}

/// Every NaN code of `format` (as stored, shifted into place) with its sign, and the float32
/// NaN the decoder's doc comment promises for it: the code's sign, the mantissa field shifted
/// to the top of float32's 23 bits.
func nanCodes(of format: FloatFormat) -> [(bits: UInt32, sign: UInt32, float32: UInt32)] {
    let m = UInt32(format.mantissaBits)
    return (0..<UInt32(format.codeCount)).compactMap { code in
        let bits = code << UInt32(format.storageShift)
        let (sign, exponent, mantissa) = format.fields(of: bits)
        guard format.isNaN(exponentField: exponent, mantissaField: mantissa) else { return nil }
        return (bits, sign, sign << 31 | 0x7f80_0000 | mantissa << (23 - m))
    }
}

// MARK: Reporting

func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
func hex(_ value: Float) -> String { hex(value.bitPattern) }

/// Compares two bit-pattern arrays and returns a message naming the first mismatch
/// (index, input, expected, actual) and how many there were, or nil if all agree.
func firstMismatch(
    inputs: [Float], expected: [UInt32], actual: [UInt32], what: String
) -> String? {
    var count = 0
    var first: Int?
    for i in expected.indices where expected[i] != actual[i] {
        count += 1
        if first == nil { first = i }
    }
    guard let i = first else { return nil }
    return "\(what): \(count) of \(expected.count) differ; first at index \(i): input \(inputs[i]) "
        + "(\(hex(inputs[i]))), expected \(hex(expected[i])), got \(hex(actual[i]))"
}

// MARK: Deterministic inputs

/// `count` float32 bit patterns: one third uniform over all 2^32 patterns (NaNs, infinities
/// and subnormals included), two thirds with exponents near `format`'s range, where the
/// interesting rounding happens.
func samplePatterns(for format: FloatFormat, count: Int, seed: UInt64) -> [Float] {
    // Core's seeded generator: the same inputs on every platform and Swift version.
    var rng = SeededRNG(seed: seed)
    let low = max(1, 127 + format.minNormalExponent - format.mantissaBits - 3)
    // The largest finite exponent, read off the largest finite code (not `maxFiniteExponent`,
    // which is Exercise 1e: blanking it must not change every other test's inputs).
    let maxFiniteExponent = Int(format.largestFiniteCode >> UInt32(format.mantissaBits)) - format.bias
    let high = min(254, 127 + maxFiniteExponent + 2)
    return (0..<count).map { i in
        let raw = UInt32(truncatingIfNeeded: rng.next() >> 32)
        if i % 3 == 0 { return Float(bitPattern: raw) }
        let exponent = UInt32(low + Int(UInt32(truncatingIfNeeded: rng.next() >> 32) % UInt32(high - low + 1)))
        return Float(bitPattern: (raw & 0x807f_ffff) | exponent << 23)
    }
}
