import Core
import Foundation
import GPTQ
import TensorIO
import TestSupport
import Testing

/// GPTQ checkpoints as the Hub stores them, checked against AutoGPTQ 0.7.1's own packing
/// (Fixtures/checkpoint). Every comparison with a fixture is exact: packing is integer work and
/// float16 rounding, both deterministic.
@Suite struct GPTQCheckpointTests {
    @Test(arguments: CheckpointFixture.names.map(CheckpointFixture.init))
    func packingEqualsAutoGPTQBytes(_ fixture: CheckpointFixture) throws {
        let config = try fixture.config()
        let ours = CheckpointTensors(packing: try fixture.inputLayer(), format: try config.format())
        let theirs = try fixture.packedTensors()
        #expect(
            wordMismatch(theirs.qweight, ours.qweight) == nil,
            "qweight: \(wordMismatch(theirs.qweight, ours.qweight) ?? "")")
        #expect(
            wordMismatch(theirs.qzeros, ours.qzeros) == nil,
            "qzeros: \(wordMismatch(theirs.qzeros, ours.qzeros) ?? "")")
        #expect(
            wordMismatch(theirs.scales, ours.scales) == nil,
            "scales: \(wordMismatch(theirs.scales, ours.scales) ?? "")")
        #expect(
            wordMismatch(theirs.groupIndex, ours.groupIndex) == nil,
            "g_idx: \(wordMismatch(theirs.groupIndex, ours.groupIndex) ?? "")")
    }

    @Test(arguments: CheckpointFixture.names.map(CheckpointFixture.init))
    func writtenFileEqualsSafetensorsSaveFile(_ fixture: CheckpointFixture) throws {
        let config = try fixture.config()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gptq-\(fixture.name)-\(getpid()).safetensors"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try CheckpointFile.write(
            [(CheckpointFixture.layerName, try fixture.inputLayer())], format: try config.format(),
            to: path)
        let ours = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let theirs = [UInt8](
            try Data(contentsOf: URL(fileURLWithPath: fixture.path("layer.safetensors"))))
        #expect(firstMismatch(theirs, ours) == nil, "\(firstMismatch(theirs, ours) ?? "")")
    }

    @Test(arguments: CheckpointFixture.names.map(CheckpointFixture.init))
    func readingTheFixtureGivesBackCodesScalesZeros(_ fixture: CheckpointFixture) throws {
        let config = try fixture.config()
        let read = try CheckpointFile.read(
            contentsOf: fixture.path("layer.safetensors"), prefix: CheckpointFixture.layerName,
            bits: config.bits, format: config.format())
        let input = try fixture.inputLayer()
        let codes = firstMismatch(input.codes, read.codes)
        let zeros = firstMismatch(input.zeros, read.zeros)
        let gIdx = firstMismatch(input.groupIndex, read.groupIndex)
        #expect(codes == nil, "codes: \(codes ?? "")")
        #expect(zeros == nil, "zeros: \(zeros ?? "")")
        #expect(gIdx == nil, "g_idx: \(gIdx ?? "")")
        // The file holds float16 scales: the float32 inputs rounded to nearest, ties to even.
        let rounded = input.scales.map { Float(Float16($0)) }
        #expect(
            firstBitMismatch(rounded, read.scales) == nil,
            "scales: \(firstBitMismatch(rounded, read.scales) ?? "")")
    }

    @Test(arguments: CheckpointFixture.names.map(CheckpointFixture.init))
    func dequantizingThePackedFormMatchesTheScript(_ fixture: CheckpointFixture) throws {
        let config = try fixture.config()
        let read = try CheckpointTensors(from: fixture.file(), prefix: CheckpointFixture.layerName)
            .unpacked(bits: config.bits, format: config.format())
        // dequantized.npy: float32(scale16) · (code − zero) by numpy; exact in float32, so bitwise.
        let expected = try fixture.raw("dequantized.npy").floats()
        let actual = read.dequantized()
        #expect(
            firstBitMismatch(expected, actual) == nil, "\(firstBitMismatch(expected, actual) ?? "")"
        )
    }

    @Test(arguments: CheckpointFixture.names.map(CheckpointFixture.init))
    func quantizeConfigSaysHowToRead(_ fixture: CheckpointFixture) throws {
        let config = try fixture.config()
        let layer = try fixture.inputLayer()
        // Every fixture is AutoGPTQ's v1 layout; group_size −1 is one group per row.
        #expect(try config.format() == .v1)
        #expect(
            config.groupSize == -1
                ? layer.groupCount == 1 : layer.groupCount == layer.inFeatures / config.groupSize)
        // desc_act (act-order) is exactly when g_idx is not the plain column / group_size.
        let plain = (0..<layer.inFeatures).map {
            Int32($0 / (config.groupSize == -1 ? layer.inFeatures : config.groupSize))
        }
        #expect((layer.groupIndex != plain) == (config.descAct && config.groupSize != -1))
        // sym: every zero is 2^(bits−1) (the reference quantizer's (maxq + 1) / 2).
        if config.sym { #expect(layer.zeros.allSatisfy { Int($0) == 1 << (config.bits - 1) }) }
    }

    @Test func layersOfOneFileAreFoundByTheirNames() throws {
        // A model file holds many layers: write two (4-bit from a fixture, 8-bit synthetic)
        // and a truncated copy; each reads back by its prefix, the truncated file is refused.
        let four = try CheckpointFixture("w4_g32_actorder").inputLayer()
        let eight = try CheckpointFixture("w8_g32").inputLayer()
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("gptq-two-layers-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try CheckpointFile.write(
            [("model.layers.0.self_attn.q_proj", four), ("model.layers.0.mlp.down_proj", eight)],
            to: path)
        let readFour = try CheckpointFile.read(
            contentsOf: path, prefix: "model.layers.0.self_attn.q_proj", bits: 4)
        let readEight = try CheckpointFile.read(
            contentsOf: path, prefix: "model.layers.0.mlp.down_proj", bits: 8)
        #expect(firstMismatch(four.codes, readFour.codes) == nil, "4-bit codes")
        #expect(firstMismatch(eight.codes, readEight.codes) == nil, "8-bit codes")
        #expect(firstMismatch(four.groupIndex, readFour.groupIndex) == nil, "4-bit g_idx")

        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        try Data(bytes.dropLast(4)).write(to: URL(fileURLWithPath: path))
        #expect(throws: TensorFileError.self) {
            try CheckpointFile.read(
                contentsOf: path, prefix: "model.layers.0.mlp.down_proj", bits: 8)
        }
    }

    @Test(arguments: [2, 3, 4, 8], CheckpointFormat.allCases)
    func roundTripIsExact(bits: Int, format: CheckpointFormat) throws {
        var rng = SeededRNG(seed: UInt64(100 + bits))
        let (out, inputs, groups) = (32, 64, 4)
        let maxq = (1 << bits) - 1
        // Scales already float16 values, so the round trip must return them bit for bit;
        // zeros cover 0 and maxq, the ends of the v1 offset's wrap.
        let scales = (0..<(out * groups)).map { _ in Float(Float16(Float(rng.uniform(0.001, 0.1))))
        }
        var zeros = (0..<(out * groups)).map { _ in UInt8(rng.index(below: maxq + 1)) }
        zeros[0] = 0
        zeros[1] = UInt8(maxq)
        let layer = try CheckpointLayer(
            bits: bits, outFeatures: out, inFeatures: inputs,
            codes: (0..<(out * inputs)).map { _ in UInt8(rng.index(below: maxq + 1)) },
            scales: scales, zeros: zeros,
            groupIndex: (0..<inputs).map { _ in Int32(rng.index(below: groups)) })
        let back = try CheckpointTensors(packing: layer, format: format).unpacked(
            bits: bits, format: format)
        // Field by field, so that a failure names the array and the first index, not 4 kB.
        #expect(firstMismatch(layer.codes, back.codes) == nil, "codes")
        #expect(firstMismatch(layer.zeros, back.zeros) == nil, "zeros")
        #expect(firstBitMismatch(layer.scales, back.scales) == nil, "scales")
        #expect(firstMismatch(layer.groupIndex, back.groupIndex) == nil, "g_idx")
        #expect(back.groupCount == groups && back.inFeatures == inputs && back.outFeatures == out)
    }
}
