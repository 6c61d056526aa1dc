import Foundation

/// The shape of a BERT encoder, read from a Hugging Face `config.json` and, for the sequence
/// limit, sentence-transformers' `sentence_bert_config.json`.
///
/// all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads of 32, MLP 1536, vocabulary 30 522,
/// 512 positions, 2 token types, LayerNorm ε = 1e-12, and sentences truncated at 256 tokens
/// ([CLS] and [SEP] included). Devlin et al. 2018 (arXiv:1810.04805) §3 describes the
/// architecture; Reimers & Gurevych 2019 (arXiv:1908.10084) §3 the mean pooling on top.
public struct BERTConfig: Equatable, Sendable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var tokenTypeCount: Int
    public var layerNormEpsilon: Float
    /// Longest input in tokens, [CLS] and [SEP] included (sentence-transformers'
    /// `max_seq_length`; `maxPositions` when the folder does not say).
    public var maxSequenceLength: Int

    public init(
        vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int,
        intermediateSize: Int, maxPositions: Int, tokenTypeCount: Int,
        layerNormEpsilon: Float, maxSequenceLength: Int
    ) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.tokenTypeCount = tokenTypeCount
        self.layerNormEpsilon = layerNormEpsilon
        self.maxSequenceLength = maxSequenceLength
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    /// Reads `config.json` (and `sentence_bert_config.json` when present) from a model folder.
    /// Only BERT with GELU and absolute positions is accepted; anything else is an error that
    /// names the key.
    public static func load(folder: URL) throws -> BERTConfig {
        let object = try jsonObject(folder.appendingPathComponent("config.json"))
        func int(_ key: String) throws -> Int {
            guard let value = object[key] as? Int, value > 0, value <= 1 << 24 else {
                throw BERTError.badConfig("config.json: \(key) is missing or not a positive integer")
            }
            return value
        }
        if let type = object["model_type"] as? String, type != "bert" {
            throw BERTError.badConfig("config.json: model_type \"\(type)\" is not \"bert\"")
        }
        if let act = object["hidden_act"] as? String, act != "gelu" {
            throw BERTError.badConfig("config.json: hidden_act \"\(act)\" is not \"gelu\"")
        }
        if let position = object["position_embedding_type"] as? String, position != "absolute" {
            throw BERTError.badConfig(
                "config.json: position_embedding_type \"\(position)\" is not \"absolute\"")
        }
        let epsilon = (object["layer_norm_eps"] as? Double) ?? 1e-12
        var config = BERTConfig(
            vocabularySize: try int("vocab_size"), hiddenSize: try int("hidden_size"),
            layerCount: try int("num_hidden_layers"), headCount: try int("num_attention_heads"),
            intermediateSize: try int("intermediate_size"),
            maxPositions: try int("max_position_embeddings"),
            tokenTypeCount: (object["type_vocab_size"] as? Int) ?? 2,
            layerNormEpsilon: Float(epsilon), maxSequenceLength: 0)
        guard config.hiddenSize % config.headCount == 0 else {
            throw BERTError.badConfig("config.json: hidden_size is not a multiple of the heads")
        }
        config.maxSequenceLength = config.maxPositions
        let sbert = folder.appendingPathComponent("sentence_bert_config.json")
        if FileManager.default.fileExists(atPath: sbert.path),
            let length = try jsonObject(sbert)["max_seq_length"] as? Int
        {
            guard length >= 2, length <= config.maxPositions else {
                throw BERTError.badConfig("sentence_bert_config.json: max_seq_length \(length)")
            }
            config.maxSequenceLength = length
        }
        return config
    }

    private static func jsonObject(_ url: URL) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw BERTError.missingFile(url.path)
        }
        guard data.count <= 1 << 24,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw BERTError.badConfig("\(url.lastPathComponent) is not a JSON object") }
        return object
    }
}
