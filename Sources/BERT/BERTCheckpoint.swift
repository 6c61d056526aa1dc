import Core
import Foundation
import TensorIO

/// A sentence-transformers BERT folder as it lies on disk: `config.json` (+
/// `sentence_bert_config.json`), `vocab.txt` (one WordPiece token per line, id = line number)
/// and `model.safetensors` (float32 weights named as Hugging Face's `BertModel` names them:
/// `embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, …).
///
/// Linear weights are stored as PyTorch stores them, `[out, in]`.
public struct BERTCheckpoint: Sendable {
    public let folder: URL
    public let config: BERTConfig
    /// Token strings by id.
    public let vocabulary: [String]
    /// Every float tensor of `model.safetensors` by name (integer buffers such as
    /// `embeddings.position_ids` are left out).
    public let tensors: [String: Tensor]

    public init(folder: URL, config: BERTConfig, vocabulary: [String], tensors: [String: Tensor]) {
        self.folder = folder
        self.config = config
        self.vocabulary = vocabulary
        self.tensors = tensors
    }

    /// Loads a model folder; every file and tensor shape the encoder needs is checked here, so
    /// a folder that loads is one the encoder can run.
    public static func load(folder: URL) throws -> BERTCheckpoint {
        let config = try BERTConfig.load(folder: folder)
        let vocabulary = try loadVocabulary(folder.appendingPathComponent("vocab.txt"))
        guard vocabulary.count == config.vocabularySize else {
            throw BERTError.badVocabulary(
                "\(vocabulary.count) tokens but config.json says vocab_size \(config.vocabularySize)")
        }
        let path = folder.appendingPathComponent("model.safetensors").path
        guard FileManager.default.fileExists(atPath: path) else { throw BERTError.missingFile(path) }
        let file = try Safetensors.read(contentsOf: path)
        var tensors: [String: Tensor] = [:]
        for (name, raw) in file.tensors where raw.elementType.isFloatingPoint {
            tensors[name] = Tensor(shape: raw.shape, data: try raw.floats())
        }
        let checkpoint = BERTCheckpoint(
            folder: folder, config: config, vocabulary: vocabulary, tensors: tensors)
        for (name, shape) in BERTCheckpoint.expectedShapes(config) {
            guard let tensor = tensors[name] else { throw BERTError.badTensor("no tensor \(name)") }
            guard tensor.shape == shape else {
                throw BERTError.badTensor("\(name) has shape \(tensor.shape), expected \(shape)")
            }
        }
        return checkpoint
    }

    /// Reads `vocab.txt`: one token per line, the line's index is the token's id.
    public static func loadVocabulary(_ url: URL) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw BERTError.missingFile(url.path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BERTError.badVocabulary("not UTF-8")
        }
        // Split on the scalar LF: in Swift "\r\n" is one Character, so a CRLF file would not
        // split on the Character "\n" at all.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line[...]))
            }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw BERTError.badVocabulary("empty") }
        return lines
    }

    /// The name and shape of every tensor the encoder reads.
    public static func expectedShapes(_ c: BERTConfig) -> [(String, [Int])] {
        let h = c.hiddenSize
        var shapes: [(String, [Int])] = [
            ("embeddings.word_embeddings.weight", [c.vocabularySize, h]),
            ("embeddings.position_embeddings.weight", [c.maxPositions, h]),
            ("embeddings.token_type_embeddings.weight", [c.tokenTypeCount, h]),
            ("embeddings.LayerNorm.weight", [h]), ("embeddings.LayerNorm.bias", [h]),
        ]
        for layer in 0..<c.layerCount {
            for linear in BERTLinearSlot.allCases {
                let (outF, inF) = linear.shape(c)
                shapes.append((linear.name(layer: layer) + ".weight", [outF, inF]))
                shapes.append((linear.name(layer: layer) + ".bias", [outF]))
            }
            for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
                shapes.append(("encoder.layer.\(layer).\(norm).weight", [h]))
                shapes.append(("encoder.layer.\(layer).\(norm).bias", [h]))
            }
        }
        return shapes
    }
}

/// The six dense layers of one encoder layer, in the order they run.
public enum BERTLinearSlot: String, CaseIterable, Sendable {
    case query = "attention.self.query"
    case key = "attention.self.key"
    case value = "attention.self.value"
    case attentionOutput = "attention.output.dense"
    case intermediate = "intermediate.dense"
    case output = "output.dense"

    /// The module name Hugging Face gives it, e.g. `encoder.layer.3.attention.self.query`.
    public func name(layer: Int) -> String { "encoder.layer.\(layer).\(rawValue)" }

    /// (out, in) features.
    public func shape(_ c: BERTConfig) -> (Int, Int) {
        switch self {
        case .query, .key, .value, .attentionOutput: return (c.hiddenSize, c.hiddenSize)
        case .intermediate: return (c.intermediateSize, c.hiddenSize)
        case .output: return (c.hiddenSize, c.intermediateSize)
        }
    }
}
