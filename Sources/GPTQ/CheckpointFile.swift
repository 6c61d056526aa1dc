import Foundation
import TensorIO

/// GPTQ layers in a `.safetensors` file, and the quantize_config.json beside it.
///
/// A GPTQ model on the Hub is a folder: `model.safetensors` with four tensors per quantized
/// Linear (`CheckpointTensors`) next to the float tensors it did not quantize, and
/// `quantize_config.json` (or the `quantization_config` entry of config.json) with the fields
/// a reader needs — bits, group_size, desc_act, sym, checkpoint_format. The tensors alone do not
/// say how many bits a code has, nor whether qzeros holds zero or zero − 1.
public enum CheckpointFile {
    /// Writes the layers' tensors (named `<prefix>.qweight`, …) with metadata
    /// `{"format": "pt"}`, as transformers' `save_pretrained` does. The bytes equal
    /// safetensors' `save_file` for the same tensors (tested against the fixtures).
    public static func write(
        _ layers: [(prefix: String, layer: CheckpointLayer)], format: CheckpointFormat = .v1,
        to path: String
    ) throws {
        let tensors = layers.flatMap {
            CheckpointTensors(packing: $0.layer, format: format).named(prefix: $0.prefix)
        }
        try Safetensors.write(
            SafetensorsFile(tensors: tensors, metadata: ["format": "pt"]), to: path)
    }

    /// Reads and validates the layer `<prefix>` (see `CheckpointTensors.unpacked`).
    public static func read(
        contentsOf path: String, prefix: String, bits: Int, format: CheckpointFormat = .v1
    ) throws -> CheckpointLayer {
        let file = try Safetensors.read(contentsOf: path)
        return try CheckpointTensors(from: file, prefix: prefix).unpacked(
            bits: bits, format: format)
    }
}

/// The fields of quantize_config.json that reading a GPTQ checkpoint depends on.
///
/// ```
/// {"bits": 4, "group_size": 128, "desc_act": true, "sym": true, "checkpoint_format": "gptq", …}
/// ```
///
/// group_size −1 means one group per output row; desc_act is act-order (g_idx not monotone);
/// checkpoint_format is absent in AutoGPTQ ≤ 0.7 files, and readers then assume "gptq" (v1).
public struct CheckpointConfig: Equatable, Sendable, Decodable {
    public var bits: Int
    public var groupSize: Int
    public var descAct: Bool
    public var sym: Bool
    public var checkpointFormat: String?

    enum CodingKeys: String, CodingKey {
        case bits, sym
        case groupSize = "group_size"
        case descAct = "desc_act"
        case checkpointFormat = "checkpoint_format"
    }

    public init(
        bits: Int, groupSize: Int, descAct: Bool, sym: Bool, checkpointFormat: String? = "gptq"
    ) {
        self.bits = bits
        self.groupSize = groupSize
        self.descAct = descAct
        self.sym = sym
        self.checkpointFormat = checkpointFormat
    }

    /// The zero-point layout: "gptq" or absent → v1, "gptq_v2" → v2, anything else throws.
    public func format() throws -> CheckpointFormat {
        guard let format = CheckpointFormat(rawValue: checkpointFormat ?? "gptq") else {
            throw CheckpointError.unsupportedFormat(checkpointFormat ?? "")
        }
        return format
    }

    public static func decode(_ bytes: [UInt8]) throws -> CheckpointConfig {
        do {
            return try JSONDecoder().decode(CheckpointConfig.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw CheckpointError.badConfig(Self.reason(error))
        } catch {
            throw CheckpointError.badConfig("not JSON")
        }
    }

    public static func read(contentsOf path: String) throws -> CheckpointConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TensorFileError.fileNotFound(path: path)
        }
        return try decode([UInt8](data))
    }

    /// One line for a decoding error: which key, and what was wrong with it.
    private static func reason(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "\"\(key)\" has the wrong type"
        case .dataCorrupted: return "not JSON"
        @unknown default: return "cannot decode"
        }
    }
}
