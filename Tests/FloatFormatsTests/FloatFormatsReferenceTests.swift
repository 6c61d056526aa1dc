import FloatFormats
import TensorIO
import TestSupport
import Testing

/// Bit-for-bit agreement with NumPy 2.4.6 / ml_dtypes 0.6.0 on the 4508 reference inputs
/// (Fixtures/conversions: specials, every format's edges and midpoints, random values).
/// (The encoder's part of this is also in Exercise 1d's suite, so a learner whose 1d suite
/// passes passes this one too.)
@Suite struct FloatFormatsReferenceTests {
    static let inputs: [Float] = referenceInputs

    /// Every input, NaN bit patterns included — except NaN into FP4, where ml_dtypes'
    /// sign-flipped zero is an artefact and we keep the sign instead (Exercise 1d tests our rule).
    @Test(arguments: [FloatFormat.fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2, .fp4E2M1])
    func encodingMatchesReferenceBitForBit(format: FloatFormat) throws {
        let inputs = Self.inputs
        try #require(inputs.count == 4508, "input.npy missing or wrong size")
        var expected = try referenceBits(format)
        var actual = inputs.map { format.encode($0) }
        if !format.hasNaN {
            let skipped = inputs.indices.filter { inputs[$0].isNaN }
            #expect(skipped.count == 4, "the reference has 4 NaN inputs")
            for i in skipped {
                expected[i] = 0
                actual[i] = 0
            }
        }
        let message = firstMismatch(
            inputs: inputs, expected: expected, actual: actual, what: format.name)
        #expect(message == nil, "\(message ?? "")")
    }

    /// decode(encode(x)) against the reference's float32 values: bitwise, NaN ↔ isnan.
    @Test(arguments: [FloatFormat.fp16, .bf16, .tf32, .fp8E4M3, .fp8E5M2, .fp4E2M1])
    func roundTripMatchesReferenceValues(format: FloatFormat) throws {
        let inputs = Self.inputs
        let values = try fixture("conversions/\(referenceName[format.name]!)_values.npy").floats()
        try #require(values.count == inputs.count)
        var log = MismatchLog("\(format.name) round trip")
        for i in inputs.indices where !(inputs[i].isNaN && !format.hasNaN) {
            let actual = format.roundTrip(inputs[i])
            let agree = values[i].isNaN ? actual.isNaN : actual.bitPattern == values[i].bitPattern
            if !agree {
                log.add("index \(i): input \(inputs[i]) (\(hex(inputs[i]))), expected \(values[i]), got \(actual)")
            }
        }
        log.expectEmpty()
    }

    /// The bulk, typed paths (fast kernels for fp16/bf16) reproduce the reference too.
    @Test func bulkPathsMatchTheReference() throws {
        let inputs = Self.inputs
        for format in [FloatFormat.fp16, .bf16] {
            let expected = try referenceBits(format)
            let actual = format.encodeUInt16(inputs).map { UInt32($0) }
            let message = firstMismatch(
                inputs: inputs, expected: expected, actual: actual, what: "\(format.name) bulk")
            #expect(message == nil, "\(message ?? "")")
        }
        for format in [FloatFormat.fp8E4M3, .fp8E5M2] {
            let expected = try referenceBits(format)
            let actual = format.encodeUInt8(inputs).map { UInt32($0) }
            let message = firstMismatch(
                inputs: inputs, expected: expected, actual: actual, what: "\(format.name) bulk")
            #expect(message == nil, "\(message ?? "")")
        }
        let tf32 = try referenceBits(.tf32)
        let message = firstMismatch(
            inputs: inputs, expected: tf32, actual: FloatFormat.tf32.encode(inputs),
            what: "tf32 bulk")
        #expect(message == nil, "\(message ?? "")")
    }
}
