import FloatFormats
import TestSupport
import Testing

/// The properties stated in Encode.swift's doc comment, checked on every code or on large
/// deterministic samples.
@Suite struct EncodingPropertyTests {
    /// decode then encode gives back the code, for every code: ±0 keep their sign; NaN codes
    /// come back as a NaN of the same sign (the payload may be canonicalised).
    @Test(arguments: [FloatFormat.fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2, .fp4E2M1])
    func everyCodeRoundTripsExactly(format: FloatFormat) {
        let shift = UInt32(format.storageShift)
        var log = MismatchLog("\(format.name) codes that do not round-trip")
        for code in 0..<UInt32(format.codeCount) {
            let bits = code << shift
            let value = format.decode(bits)
            let again = format.encode(value)
            let ok: Bool
            if value.isNaN, let fields = fieldsIfValid(format, again) {
                ok =
                    format.isNaN(exponentField: fields.exponent, mantissaField: fields.mantissa)
                    && fields.sign == code >> UInt32(format.codeBits - 1)
            } else {
                ok = again == bits
            }
            if !ok { log.add("code \(hex(bits)) → \(value) → \(hex(again))") }
        }
        log.expectEmpty()
    }

    /// Sorting inputs sorts outputs: x ≤ y implies roundTrip(x) ≤ roundTrip(y) on finite
    /// inputs (and on overflow, since ±inf/±max sit at the ends; E4M3 overflow is NaN and
    /// skipped).
    @Test(arguments: FloatFormat.all)
    func encodingIsMonotone(format: FloatFormat) {
        let inputs = samplePatterns(for: format, count: 30_000, seed: 21).filter(\.isFinite)
            .sorted()
        let outputs = inputs.map { format.roundTrip($0) }
        var previous = -Float.infinity
        var failure: String?
        for (x, y) in zip(inputs, outputs) where !y.isNaN {
            if y < previous && failure == nil {
                failure = "input \(x) (\(hex(x))) → \(y), below the previous output \(previous)"
            }
            previous = y
        }
        #expect(failure == nil, "\(format.name): \(failure ?? "")")
    }

    /// encode(−x) == encode(x) with only the sign bit flipped, for every input — NaN,
    /// infinities and overflow included (FP4's NaN → ±0 rule was chosen to keep this true).
    @Test(arguments: FloatFormat.all)
    func negationFlipsOnlyTheSignBit(format: FloatFormat) {
        let signBit = format.signMask << UInt32(format.storageShift)
        let inputs = samplePatterns(for: format, count: 20_000, seed: 22)
        for mode in [OverflowMode.ieee, .saturate] {
            let expected = inputs.map { format.encode($0, overflow: mode) ^ signBit }
            let actual = inputs.map { format.encode(-$0, overflow: mode) }
            let message = firstMismatch(
                inputs: inputs, expected: expected, actual: actual, what: "\(format.name) \(mode)")
            #expect(message == nil, "\(message ?? "")")
        }
    }

    /// fp32 → fp32 is the identity, NaN payloads included.
    @Test func fp32EncodingIsTheIdentity() {
        let inputs = samplePatterns(for: .fp32, count: 50_000, seed: 23)
        let expected = inputs.map(\.bitPattern)
        let actual = inputs.map { FloatFormat.fp32.encode($0) }
        let message = firstMismatch(
            inputs: inputs, expected: expected, actual: actual, what: "fp32")
        #expect(message == nil, "\(message ?? "")")
        let decoded = inputs.map { FloatFormat.fp32.decode($0.bitPattern).bitPattern }
        let decodeMessage = firstMismatch(inputs: inputs, expected: expected, actual: decoded, what: "fp32 decode")
        #expect(decodeMessage == nil, "\(decodeMessage ?? "")")
    }

    /// TF32 by our general encoder equals the one-line bit trick of the reference generator
    /// (for finite x: (bits + 0xfff + odd) & ~0x1fff; the carry may run into the exponent).
    @Test func tf32EqualsTheBitTrick() {
        let inputs = samplePatterns(for: .tf32, count: 50_000, seed: 24).filter(\.isFinite)
        let expected = inputs.map { x -> UInt32 in
            let bits = x.bitPattern
            return (bits &+ 0xfff &+ ((bits >> 13) & 1)) & 0xffff_e000
        }
        let actual = inputs.map { FloatFormat.tf32.encode($0) }
        let message = firstMismatch(
            inputs: inputs, expected: expected, actual: actual, what: "tf32")
        #expect(message == nil, "\(message ?? "")")
    }
}
