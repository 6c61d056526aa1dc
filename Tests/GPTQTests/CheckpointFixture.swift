import Foundation
import GPTQ
import TensorIO
import TestSupport

/// One case of Fixtures/checkpoint (made once by scripts/fixtures/gptq-packing.py with
/// auto-gptq 0.7.1's `QuantLinear.pack`; see Fixtures/checkpoint/README.md).
///
/// ```
/// layer.safetensors     model.layers.0.mlp.up_proj.{qweight, qzeros, scales, g_idx}, as packed
/// codes.npy             uint8   [out, in]       the packer's inputs …
/// scales.npy            float32 [out, groups]
/// zeros.npy             int32   [out, groups]   the zero points themselves
/// g_idx.npy             int32   [in]
/// dequantized.npy       float32 [out, in]       scales16 · (code − zero), computed by the script
/// quantize_config.json  bits, group_size, desc_act, sym, checkpoint_format
/// ```
struct CheckpointFixture: CustomStringConvertible, Sendable {
    /// w4_* and w3_* hold the authors' GPTQ output for ../shared/reference/gptq cases of the
    /// same name; w2_g16 and w8_g32 are synthetic (the reference has no 2- or 8-bit case).
    static let names = [
        "w4_g32", "w4_g32_actorder", "w4_perchannel", "w4_g32_sym", "w3_perchannel_actorder",
        "w2_g16", "w8_g32",
    ]
    static let layerName = "model.layers.0.mlp.up_proj"

    let name: String
    var description: String { name }

    init(_ name: String) { self.name = name }

    func path(_ file: String) throws -> String {
        try Fixtures(.module).path("checkpoint/\(name)/\(file)")
    }
    func raw(_ file: String) throws -> RawTensor { try NPY.read(contentsOf: path(file)) }

    func config() throws -> CheckpointConfig {
        try CheckpointConfig.read(contentsOf: path("quantize_config.json"))
    }
    func file() throws -> SafetensorsFile {
        try Safetensors.read(contentsOf: path("layer.safetensors"))
    }
    func packedTensors() throws -> CheckpointTensors {
        try CheckpointTensors(from: file(), prefix: Self.layerName)
    }

    /// The packer's inputs as a CheckpointLayer (scales still float32).
    func inputLayer() throws -> CheckpointLayer {
        let codes = try raw("codes.npy")
        let scales = try raw("scales.npy")
        return try CheckpointLayer(
            bits: config().bits, outFeatures: codes.shape[0], inFeatures: codes.shape[1],
            codes: codes.uint8s(), scales: scales.floats(),
            zeros: raw("zeros.npy").int32s().map { UInt8($0) },
            groupIndex: raw("g_idx.npy").int32s())
    }
}

/// How many 32-bit words differ between two tensors' bytes, and the first one (nil if equal).
func wordMismatch(_ expected: RawTensor, _ actual: RawTensor) -> String? {
    guard expected.elementType == actual.elementType, expected.shape == actual.shape else {
        let want = "\(expected.elementType) \(expected.shape)"
        return "expected \(want), got \(actual.elementType) \(actual.shape)"
    }
    return firstMismatch(expected.bytes, actual.bytes).map { "bytes: \($0)" }
}
