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
    let high = min(254, 127 + format.maxFiniteExponent + 2)
    return (0..<count).map { i in
        let raw = UInt32(truncatingIfNeeded: rng.next() >> 32)
        if i % 3 == 0 { return Float(bitPattern: raw) }
        let exponent = UInt32(low + Int(UInt32(truncatingIfNeeded: rng.next() >> 32) % UInt32(high - low + 1)))
        return Float(bitPattern: (raw & 0x807f_ffff) | exponent << 23)
    }
}
