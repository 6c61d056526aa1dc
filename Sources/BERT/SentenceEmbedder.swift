import Core
import Foundation

/// Sentences in, unit-length 384-dimensional vectors out: the whole sentence-transformers
/// pipeline of all-MiniLM-L6-v2 (`Transformer` → `Pooling` (mean) → `Normalize`; Reimers &
/// Gurevych 2019 §3).
///
/// ```
/// sentences [n] → BERTTokenizer → batches of ≤ batchSize, each padded to its longest
///           → BERTEncoder → MeanPooling.mean → MeanPooling.l2Normalized → [n][hidden]
/// ```
///
/// Like sentence-transformers' `encode`, sentences are sorted by length before they are cut
/// into batches, so each batch holds sentences of similar length and little padding; rows
/// come back in the caller's order. Padding never changes a sentence's embedding (the
/// attention mask gives padded keys exactly zero weight), so the result is the one-by-one
/// result — `BatchingTests` checks both.
public struct SentenceEmbedder: Sendable {
    public let tokenizer: BERTTokenizer
    public let encoder: BERTEncoder

    public init(tokenizer: BERTTokenizer, encoder: BERTEncoder) {
        self.tokenizer = tokenizer
        self.encoder = encoder
    }

    /// The float32 embedder of a model folder (`ModelFolder.miniLM`, or any BERT-family
    /// sentence-transformers folder).
    public init(folder: URL) throws {
        let checkpoint = try BERTCheckpoint.load(folder: folder)
        self.init(
            tokenizer: try BERTTokenizer(checkpoint: checkpoint),
            encoder: try BERTEncoder(checkpoint: checkpoint))
    }

    /// The same tokenizer with another encoder (a quantized one).
    public func with(encoder: BERTEncoder) -> SentenceEmbedder {
        SentenceEmbedder(tokenizer: tokenizer, encoder: encoder)
    }

    /// [n][hidden], row i = the unit-length embedding of sentences[i].
    public func embed(_ sentences: [String], batchSize: Int = 32) throws -> Tensor {
        precondition(batchSize > 0, "batchSize must be positive")
        let ids = sentences.map(tokenizer.encode)
        let hidden = encoder.config.hiddenSize
        var result = [Float](repeating: 0, count: sentences.count * hidden)
        // Longest first, ties in input order (a stable, deterministic order).
        let order = ids.indices.sorted { ids[$0].count != ids[$1].count
            ? ids[$0].count > ids[$1].count : $0 < $1 }
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let members = Array(order[start..<min(start + batchSize, order.count)])
            let vectors = try embed(TokenBatch(members.map { ids[$0] }, paddingID: tokenizer.paddingID))
            for (row, i) in members.enumerated() {
                result.replaceSubrange(
                    (i * hidden)..<((i + 1) * hidden),
                    with: vectors.data[(row * hidden)..<((row + 1) * hidden)])
            }
        }
        return Tensor(shape: [sentences.count, hidden], data: result)
    }

    /// [count][hidden] for one ready-made batch.
    public func embed(_ batch: TokenBatch) throws -> Tensor {
        let h = try encoder.lastHiddenState(batch)
        return MeanPooling.l2Normalized(MeanPooling.mean(h, batch: batch))
    }
}
