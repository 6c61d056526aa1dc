import BERT
import Foundation
import GGUF

/// The key-value metadata of a BERT GGUF file, as llama.cpp's `convert_hf_to_gguf.py`
/// (`BertModel.set_gguf_parameters` and `set_vocab`, gguf-py's `SpecialVocab`) writes it for a
/// sentence-transformers folder, in the converter's order:
///
/// ```
/// general.architecture "bert", general.type "model"
/// bert.block_count, context_length (max positions), embedding_length, feed_forward_length,
///   attention.head_count (UINT32), attention.layer_norm_epsilon (FLOAT32)
/// general.file_type (see BERTGGUFTypes.swift), bert.attention.causal = false,
/// bert.pooling_type (1 MEAN, 2 CLS, 3 LAST; from the folder's Pooling module),
/// general.quantization_version = 2 (GGML_QNT_VERSION)
/// tokenizer.ggml.token_type_count (type_vocab_size), model "bert" (WordPiece), pre,
///   tokens, token_type, the special token ids, add_bos/add_eos/add_sep, normalizer.lowercase
/// ```
///
/// **Tokens in "phantom space" form.** llama.cpp's WordPiece tokenizer marks the start of a
/// word with U+2581 "▁" (as SentencePiece does) instead of marking continuations with "##":
/// a CONTROL token ([PAD], [UNK], [CLS], [SEP], [MASK]; token type 3) is kept as it is, a
/// continuation "##s" becomes "s", every other token (type 1, NORMAL) gets "▁" in front:
/// "the" → "▁the". An id whose string occurs again later in vocab.txt is lost from the HF
/// tokenizer's dictionary (the later line wins); the converter writes "[PAD<id>]" there with
/// type 5 (UNUSED) — and, not being CONTROL, phantom-spaced: "▁[PAD<id>]". So do we.
///
/// **Left out on purpose:** the model-card keys (`general.name`, `organization`,
/// `size_label`, `license`, `tags`, `languages`, `dataset.*`), which gguf-py guesses from the
/// folder's README.md. llama.cpp reads none of them (gguf_bert/metadata.json, required_keys).
/// `tokenizer.ggml.pre` is "jina-v2-en": the converter picks it from a hash of the HF
/// tokenizer's output on a test text, and uncased BERT WordPiece gives that hash; llama.cpp
/// ignores `pre` for a "bert" vocabulary (the file loads bit-identically without it, ibid.).
extension PostTraining {

    /// llama.cpp's `LLAMA_TOKEN_TYPE_NORMAL`, `CONTROL`, `UNUSED` (llama.h, gguf-py TokenType).
    public static let tokenTypeNormal: Int32 = 1
    public static let tokenTypeControl: Int32 = 3
    public static let tokenTypeUnused: Int32 = 5

    /// The metadata of a BERT GGUF file for `checkpoint` whose weights were asked to be `type`.
    public static func bertGGUFMetadata(
        _ checkpoint: BERTCheckpoint, type: GGMLType
    ) throws -> [(String, GGUFValue)] {
        guard let fileType = llamaFileType(type) else { throw GGUFError.noQuantizer(type) }
        let c = checkpoint.config
        let folder = checkpoint.folder
        var metadata: [(String, GGUFValue)] = [
            ("general.architecture", .string("bert")),
            ("general.type", .string("model")),
            ("bert.block_count", .uint32(UInt32(c.layerCount))),
            ("bert.context_length", .uint32(UInt32(c.maxPositions))),
            ("bert.embedding_length", .uint32(UInt32(c.hiddenSize))),
            ("bert.feed_forward_length", .uint32(UInt32(c.intermediateSize))),
            ("bert.attention.head_count", .uint32(UInt32(c.headCount))),
            ("bert.attention.layer_norm_epsilon", .float32(c.layerNormEpsilon)),
            ("general.file_type", .uint32(fileType)),
            ("bert.attention.causal", .bool(false)),
        ]
        if let pooling = try poolingType(folder) {
            metadata.append(("bert.pooling_type", .uint32(pooling)))
        }
        metadata.append(("general.quantization_version", .uint32(2)))

        let special = try specialTokens(folder)
        let (tokens, types) = phantomSpaceVocabulary(
            checkpoint.vocabulary, control: Set(special.values))
        metadata += [
            ("tokenizer.ggml.token_type_count", .uint32(UInt32(c.tokenTypeCount))),
            ("tokenizer.ggml.model", .string("bert")),
            ("tokenizer.ggml.pre", .string("jina-v2-en")),
            ("tokenizer.ggml.tokens", .array(.string, tokens.map { .string($0) })),
            ("tokenizer.ggml.token_type", .array(.int32, types.map { .int32($0) })),
        ]
        // SpecialVocab: [CLS] … [SEP] is the post-processor's template, so BOS is [CLS] and
        // EOS is [SEP]; gguf-py spells "separator" as "seperator".
        var lastID: [[UInt8]: Int] = [:]
        for (id, token) in checkpoint.vocabulary.enumerated() { lastID[Array(token.utf8)] = id }
        let ids: [(String, String)] = [
            ("bos", "cls"), ("eos", "sep"), ("unknown", "unk"), ("seperator", "sep"),
            ("padding", "pad"), ("mask", "mask"),
        ]
        for (key, role) in ids {
            if let token = special[role], let id = lastID[Array(token.utf8)] {
                metadata.append(("tokenizer.ggml.\(key)_token_id", .uint32(UInt32(id))))
            }
        }
        metadata += [
            ("tokenizer.ggml.add_bos_token", .bool(true)),
            ("tokenizer.ggml.add_eos_token", .bool(true)),
            ("tokenizer.ggml.add_sep_token", .bool(false)),
            ("tokenizer.ggml.normalizer.lowercase", .bool(try lowercases(folder))),
        ]
        return metadata
    }

    /// Tokens in phantom-space form and their token types (see the doc comment above).
    ///
    /// Byte-wise, as Python compares strings: Swift's `String` works in grapheme clusters and
    /// canonical equivalence, so `"##ा".hasPrefix("##")` is false (the second "#" and the
    /// combining vowel sign form one Character) and an NFC and an NFD spelling would count as
    /// one token. vocab.txt has 16 such continuations (Devanagari and Bengali vowel signs).
    public static func phantomSpaceVocabulary(
        _ vocabulary: [String], control: Set<String>
    ) -> (tokens: [String], types: [Int32]) {
        var lastID: [[UInt8]: Int] = [:]
        for (id, token) in vocabulary.enumerated() { lastID[Array(token.utf8)] = id }
        let controlBytes = Set(control.map { Array($0.utf8) })
        let hashes = Array("##".utf8)
        var tokens: [String] = []
        var types: [Int32] = []
        for (id, token) in vocabulary.enumerated() {
            let bytes = Array(token.utf8)
            if lastID[bytes] != id {
                tokens.append("\u{2581}[PAD\(id)]")
                types.append(tokenTypeUnused)
            } else if controlBytes.contains(bytes) {
                tokens.append(token)
                types.append(tokenTypeControl)
            } else if bytes.starts(with: hashes) {
                tokens.append(String(decoding: bytes.dropFirst(2), as: UTF8.self))
                types.append(tokenTypeNormal)
            } else {
                tokens.append("\u{2581}" + token)
                types.append(tokenTypeNormal)
            }
        }
        return (tokens, types)
    }

    /// Role ("cls", "sep", "unk", "pad", "mask") → token string, from
    /// `special_tokens_map.json` (a string or `{"content": …}` per `<role>_token`), BERT's
    /// defaults for roles it does not name.
    static func specialTokens(_ folder: URL) throws -> [String: String] {
        var special = ["cls": "[CLS]", "sep": "[SEP]", "unk": "[UNK]", "pad": "[PAD]",
                       "mask": "[MASK]"]
        guard let map = try optionalJSON(folder.appendingPathComponent("special_tokens_map.json"))
        else { return special }
        for role in Array(special.keys) {
            if let token = map["\(role)_token"] as? String {
                special[role] = token
            } else if let token = (map["\(role)_token"] as? [String: Any])?["content"] as? String {
                special[role] = token
            }
        }
        return special
    }

    /// `do_lower_case` of `tokenizer_config.json` (true when absent, as for uncased BERT).
    static func lowercases(_ folder: URL) throws -> Bool {
        let config = try optionalJSON(folder.appendingPathComponent("tokenizer_config.json"))
        return (config?["do_lower_case"] as? Bool) ?? true
    }

    /// `_try_set_pooling_type`: the Pooling module named in `modules.json` and the mode its
    /// `config.json` switches on (MEAN 1, CLS 2, LAST 3); nil without a `modules.json`.
    static func poolingType(_ folder: URL) throws -> UInt32? {
        let url = folder.appendingPathComponent("modules.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path),
            let modules = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { throw BERTError.badConfig("modules.json is not a JSON list") }
        guard let pooling = modules.first(where: { ($0["type"] as? String)?.hasSuffix("Pooling")
            == true }), let path = pooling["path"] as? String
        else { return nil }
        let configURL = folder.appendingPathComponent(path).appendingPathComponent("config.json")
        guard let config = try optionalJSON(configURL) else {
            throw BERTError.missingFile(configURL.path)
        }
        let modes: [(String, UInt32)] = [
            ("pooling_mode_mean_tokens", 1), ("pooling_mode_cls_token", 2),
            ("pooling_mode_lasttoken", 3),
        ]
        for (key, value) in modes where config[key] as? Bool == true { return value }
        throw BERTError.badConfig("\(path)/config.json: no pooling mode llama.cpp knows")
    }

    /// A JSON object file, nil when the file does not exist.
    private static func optionalJSON(_ url: URL) throws -> [String: Any]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path), data.count <= 1 << 24,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw BERTError.badConfig("\(url.lastPathComponent) is not a JSON object") }
        return object
    }
}
