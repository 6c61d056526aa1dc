import BERT
import Core
import Foundation
import Testing
import TestSupport

/// The reference group `minilm/embeddings` (reference README, group J), copied into
/// `Fixtures/minilm/`: three sentences run through sentence-transformers 6.2.0 /
/// transformers 5.24.0 with all-MiniLM-L6-v2.
enum MiniLMReference {
    static var fixtures: Fixtures { Fixtures(.module) }

    static func sentences() throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: try fixtures.path("minilm/sentences.json")))
        return try JSONDecoder().decode([String].self, from: data)
    }

    static func tokens() throws -> [[String]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: try fixtures.path("minilm/tokens.json")))
        return try JSONDecoder().decode([[String]].self, from: data)
    }

    /// int64 [3, 10] padded ids, and the mask's row sums (real tokens per sentence).
    static func inputIDs() throws -> (ids: [[Int]], lengths: [Int]) {
        let ids = try fixtures.raw("minilm/input_ids.npy")
        let mask = try fixtures.raw("minilm/attention_mask.npy").int64s()
        let (rows, cols) = (ids.shape[0], ids.shape[1])
        let flat = try ids.int64s().map(Int.init)
        let matrix = (0..<rows).map { Array(flat[($0 * cols)..<(($0 + 1) * cols)]) }
        let lengths = (0..<rows).map { r in Int(mask[(r * cols)..<((r + 1) * cols)].reduce(0, +)) }
        return (matrix, lengths)
    }

    /// float32 [n, 384] L2-normalised embeddings.
    static func embeddings() throws -> Tensor { try fixtures.tensor("minilm/embeddings.npy") }
}

/// The shared model and tokenizer: model.safetensors (90 MB) is read once per test run.
enum MiniLM {
    static let checkpoint: BERTCheckpoint? = try? BERTCheckpoint.load(folder: ModelFolder.miniLM)

    /// The checkpoint; without the model, the error says how to fetch it.
    static func load() throws -> BERTCheckpoint {
        let folder = try miniLMFolder()
        return try checkpoint ?? BERTCheckpoint.load(folder: folder)  // (the load's own error)
    }

    static func tokenizer() throws -> BERTTokenizer { try BERTTokenizer(checkpoint: try load()) }
}
