import Foundation
import GPTQ
import TensorIO
import TestSupport
import Testing

/// Malformed checkpoints are rejected with the error that names the problem, never a trap.
@Suite struct CheckpointValidationTests {
    /// A valid 4-bit layer: out 8, in 16, two groups of 8 input columns.
    static func validTensors() throws -> CheckpointTensors {
        let layer = try CheckpointLayer(
            bits: 4, outFeatures: 8, inFeatures: 16,
            codes: (0..<128).map { UInt8($0 * 7 % 16) },
            scales: (0..<16).map { Float($0 + 1) / 64 },
            zeros: (0..<16).map { UInt8($0 % 15 + 1) }, groupIndex: (0..<16).map { Int32($0 / 8) })
        return CheckpointTensors(packing: layer)
    }

    /// Expects `body` to throw `CheckpointError.badShape` (whatever its wording).
    static func expectBadShape(_ what: String, _ body: () throws -> Any) {
        let error = #expect(throws: CheckpointError.self, "\(what)") { try body() }
        if let error, case .badShape = error { return }
        if let error { Issue.record("\(what): expected badShape, got \(error)") }
    }

    @Test func validTensorsAreAccepted() throws {
        // The baseline every malformed variant below departs from by one change.
        #expect(try Self.validTensors().unpacked(bits: 4).inFeatures == 16)
    }

    @Test func unsupportedBitsAreRejected() throws {
        #expect(throws: CheckpointError.unsupportedBits(5)) {
            try Self.validTensors().unpacked(bits: 5)
        }
        #expect(throws: CheckpointError.unsupportedBits(16)) {
            try CheckpointLayer(
                bits: 16, outFeatures: 2, inFeatures: 2, codes: [0, 0, 0, 0],
                scales: [1, 1], zeros: [0, 0], groupIndex: [0, 0])
        }
    }

    @Test func wrongElementTypesAreRejected() throws {
        var tensors = try Self.validTensors()
        tensors.scales = RawTensor(
            float32: try tensors.scales.floats(), shape: tensors.scales.shape)
        #expect(
            throws: CheckpointError.wrongElementType(
                tensor: "scales", expected: .float16, actual: .float32)
        ) {
            try tensors.unpacked(bits: 4)
        }
        var unsigned = try Self.validTensors()
        unsigned.qweight = RawTensor(
            uint32: try unsigned.qweight.int32s().map { UInt32(bitPattern: $0) },
            shape: unsigned.qweight.shape)
        #expect(
            throws: CheckpointError.wrongElementType(
                tensor: "qweight", expected: .int32, actual: .uint32)
        ) {
            try unsigned.unpacked(bits: 4)
        }
    }

    @Test func groupIndexOutOfRangeIsRejected() throws {
        var tensors = try Self.validTensors()
        var gIdx = try tensors.groupIndex.int32s()
        gIdx[3] = 2  // the layer has groups 0 and 1
        tensors.groupIndex = RawTensor(int32: gIdx, shape: [16])
        #expect(throws: CheckpointError.groupIndexOutOfRange(column: 3, group: 2, groups: 2)) {
            try tensors.unpacked(bits: 4)
        }
        gIdx[3] = 0
        gIdx[0] = -1
        tensors.groupIndex = RawTensor(int32: gIdx, shape: [16])
        #expect(throws: CheckpointError.groupIndexOutOfRange(column: 0, group: -1, groups: 2)) {
            try tensors.unpacked(bits: 4)
        }
    }

    @Test func shapesThatDisagreeAreRejected() throws {
        let valid = try Self.validTensors()
        var shortGIdx = valid
        shortGIdx.groupIndex = RawTensor(int32: Array(repeating: 0, count: 15), shape: [15])
        var wideZeros = valid
        wideZeros.qzeros = RawTensor(int32: [0, 0, 0, 0], shape: [2, 2])
        var otherOut = valid
        otherOut.scales = RawTensor(float16Bits: Array(repeating: 0x3C00, count: 8), shape: [2, 4])
        var flat = valid
        flat.qweight = RawTensor(int32: try valid.qweight.int32s(), shape: [16])
        for (what, tensors) in [
            ("g_idx", shortGIdx), ("qzeros", wideZeros), ("scales", otherOut), ("qweight", flat),
        ] {
            Self.expectBadShape(what) { try tensors.unpacked(bits: 4) }
        }
    }

    @Test func readingWithTheWrongBitsIsCaughtByTheShapes() throws {
        // qweight [2, 8] read as 8-bit implies in = 8, but g_idx has 16 entries; as 3-bit,
        // 2 rows are 64 bits, not a whole number of 3-bit codes.
        let tensors = try Self.validTensors()
        Self.expectBadShape("8-bit") { try tensors.unpacked(bits: 8) }
        Self.expectBadShape("3-bit") { try tensors.unpacked(bits: 3) }
    }

    @Test func nonFiniteScalesAreRejected() throws {
        var tensors = try Self.validTensors()
        var bits = try tensors.scales.float16Bits()
        bits[5] = 0x7C00  // +inf in float16
        tensors.scales = RawTensor(float16Bits: bits, shape: tensors.scales.shape)
        #expect(throws: CheckpointError.nonFiniteScale(index: 5)) { try tensors.unpacked(bits: 4) }
    }

    @Test func missingTensorsAreNamed() throws {
        let named = try Self.validTensors().named(prefix: "layer").filter {
            $0.name != "layer.g_idx"
        }
        #expect(throws: CheckpointError.missingTensor("layer.g_idx")) {
            try CheckpointTensors(from: SafetensorsFile(tensors: named), prefix: "layer")
        }
        #expect(throws: CheckpointError.missingTensor("other.qweight")) {
            try CheckpointTensors(from: SafetensorsFile(tensors: named), prefix: "other")
        }
    }

    @Test func layersWhoseValuesDoNotFitAreRejected() throws {
        // A 4-bit code of 16, a zero of 16, and in = 12 (12 · 4 bits do not fill words).
        let codes = (0..<128).map { UInt8($0 % 16) }
        let scales = [Float](repeating: 1, count: 8)
        let zeros = [UInt8](repeating: 8, count: 8)
        let gIdx = [Int32](repeating: 0, count: 16)
        var badCodes = codes
        badCodes[7] = 16
        #expect(throws: CheckpointError.valueOutOfRange("code 16 at 7 exceeds 15")) {
            try CheckpointLayer(
                bits: 4, outFeatures: 8, inFeatures: 16, codes: badCodes, scales: scales,
                zeros: zeros, groupIndex: gIdx)
        }
        #expect(throws: CheckpointError.valueOutOfRange("zero 16 at 0 exceeds 15")) {
            try CheckpointLayer(
                bits: 4, outFeatures: 8, inFeatures: 16, codes: codes, scales: scales,
                zeros: [16] + zeros.dropFirst(), groupIndex: gIdx)
        }
        Self.expectBadShape("in 12") {
            try CheckpointLayer(
                bits: 4, outFeatures: 8, inFeatures: 12, codes: Array(codes.prefix(96)),
                scales: scales, zeros: zeros, groupIndex: Array(gIdx.prefix(12)))
        }
    }

    @Test func quantizeConfigErrorsAreOneLine() throws {
        let good = #"{"bits": 4, "group_size": 128, "desc_act": true, "sym": true, "#
            + #""checkpoint_format": "gptq"}"#
        let config = try CheckpointConfig.decode(Array(good.utf8))
        #expect(config == CheckpointConfig(bits: 4, groupSize: 128, descAct: true, sym: true))
        // AutoGPTQ ≤ 0.7 writes no checkpoint_format: v1.
        let old = try CheckpointConfig.decode(
            Array(#"{"bits": 3, "group_size": -1, "desc_act": false, "sym": false}"#.utf8))
        #expect(try old.format() == .v1)
        let marlin = try CheckpointConfig.decode(
            Array(good.replacingOccurrences(of: "\"gptq\"", with: "\"marlin\"").utf8))
        #expect(throws: CheckpointError.unsupportedFormat("marlin")) { try marlin.format() }
        #expect(throws: CheckpointError.badConfig("missing \"bits\"")) {
            try CheckpointConfig.decode(
                Array(#"{"group_size": 128, "desc_act": true, "sym": true}"#.utf8))
        }
        #expect(throws: CheckpointError.badConfig("not JSON")) {
            try CheckpointConfig.decode(Array("bits=4".utf8))
        }
    }
}
