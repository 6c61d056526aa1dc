import Core
import Foundation
import NN
import TensorIO

/// Saving and loading a `TinyGPTModel` as `.safetensors`, so later chapters reuse the model
/// Chapter 6 trained instead of training it again.
///
/// ```
/// tensors:  one float32 tensor per parameter, named as the parameter (`blocks.0.attn.query.weight`),
///           shaped as the parameter ([out][in] for Linear weights, as PyTorch stores them)
/// metadata: "format"   = "lowbit-tinygpt"
///           "config"   = GPTConfig as JSON, keys sorted  {"channels":64,"contextLength":64,…}
///           "alphabet" = the vocabulary's characters in id order
///           + any extra string pairs the caller adds (seed, steps, final loss, …)
/// ```
///
/// A model with LoRA adapters saves its adapters too (their names end in `lora_A.weight` and
/// `lora_B.weight`); loading needs a model of the same structure. Loading is strict: a
/// missing tensor, an extra one, a shape or element-type mismatch all throw.
public enum TinyGPTCheckpoint {
    public static let format = "lowbit-tinygpt"

    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case notATinyGPTCheckpoint(String)
        case badConfig(String)
        case missingTensor(String)
        case unexpectedTensor(String)
        case shapeMismatch(name: String, expected: [Int], found: [Int])
        case notFloat32(String)

        public var description: String {
            switch self {
            case .notATinyGPTCheckpoint(let why): "not a TinyGPT checkpoint: \(why)"
            case .badConfig(let why): "unreadable config: \(why)"
            case .missingTensor(let name): "checkpoint has no tensor \(name)"
            case .unexpectedTensor(let name): "checkpoint has a tensor \(name) the model does not"
            case .shapeMismatch(let name, let expected, let found):
                "\(name): model expects \(expected), file has \(found)"
            case .notFloat32(let name): "\(name) is not float32"
            }
        }
    }

    /// The file's contents as a `SafetensorsFile` (what `save` writes).
    public static func encode(
        _ model: TinyGPTModel, vocabulary: CharacterVocabulary, metadata extra: [String: String] = [:]
    ) throws -> SafetensorsFile {
        precondition(vocabulary.count == model.config.vocabularySize,
                     "checkpoint: vocabulary size differs from the model's")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let config = String(decoding: try encoder.encode(model.config), as: UTF8.self)
        var metadata = extra
        metadata["format"] = format
        metadata["config"] = config
        metadata["alphabet"] = vocabulary.alphabet
        let tensors = model.parameters.map { (name: $0.name, tensor: RawTensor(float32: $0.value, shape: $0.shape)) }
        return SafetensorsFile(tensors: tensors, metadata: metadata)
    }

    /// Writes `model` (every parameter, frozen or not) and its vocabulary to `path`.
    public static func save(
        _ model: TinyGPTModel, vocabulary: CharacterVocabulary, to path: String, metadata: [String: String] = [:]
    ) throws {
        try Safetensors.write(encode(model, vocabulary: vocabulary, metadata: metadata), to: path)
    }

    /// A new model built from the checkpoint's config, with its weights; the vocabulary; and
    /// the metadata (including the caller's extra pairs).
    public static func load(from path: String) throws
        -> (model: TinyGPTModel, vocabulary: CharacterVocabulary, metadata: [String: String])
    {
        let file = try Safetensors.read(contentsOf: path)
        guard file.metadata["format"] == format else {
            throw LoadError.notATinyGPTCheckpoint("metadata format is \(file.metadata["format"] ?? "missing")")
        }
        guard let json = file.metadata["config"], let alphabet = file.metadata["alphabet"] else {
            throw LoadError.badConfig("config or alphabet missing")
        }
        let config: GPTConfig
        do { config = try JSONDecoder().decode(GPTConfig.self, from: Data(json.utf8)) } catch {
            throw LoadError.badConfig("\(error)")
        }
        let vocabulary = CharacterVocabulary(alphabet)
        guard vocabulary.count == config.vocabularySize else {
            throw LoadError.badConfig(
                "alphabet has \(vocabulary.count) characters, config says \(config.vocabularySize)")
        }
        var rng = SeededRNG(seed: 0)  // every value is overwritten below
        let model = TinyGPTModel(config: config, rng: &rng)
        try loadWeights(file, into: model)
        return (model, vocabulary, file.metadata)
    }

    /// Copies every tensor of `file` into the parameter of the same name, strictly.
    public static func loadWeights(_ file: SafetensorsFile, into model: TinyGPTModel) throws {
        let parameters = model.parameters
        let names = Set(parameters.map(\.name))
        if let extra = file.tensors.first(where: { !names.contains($0.name) }) {
            throw LoadError.unexpectedTensor(extra.name)
        }
        for p in parameters {
            guard let raw = file[p.name] else { throw LoadError.missingTensor(p.name) }
            guard raw.shape == p.shape else {
                throw LoadError.shapeMismatch(name: p.name, expected: p.shape, found: raw.shape)
            }
            guard raw.elementType == .float32 else { throw LoadError.notFloat32(p.name) }
            p.value = try raw.floats()
        }
    }
}
