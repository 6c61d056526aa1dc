import Core

/// BERT's input representation: for token t of a sentence, its word vector plus the vector
/// of its position plus the vector of its segment (always segment 0 here), then LayerNorm
/// (Devlin et al. 2018 §3, Figure 2; Hugging Face's `BertEmbeddings`).
///
/// ```
/// word: [vocabulary][hidden]   position: [maxPositions][hidden]   tokenType: [2][hidden]
/// e[b][t] = LayerNorm( (word[ids[b][t]] + tokenType[0]) + position[t] )
///                       (HF adds in this order: inputs + token types, then positions)
/// ```
///
/// Padding rows get an embedding too ([PAD]'s word vector); the attention mask keeps them
/// from influencing real tokens, and pooling ignores them.
public struct BERTEmbeddings: Sendable {
    public let word: Tensor
    public let position: Tensor
    public let tokenType: Tensor
    public let norm: LayerNormWeights

    public init(checkpoint: BERTCheckpoint) throws {
        func tensor(_ name: String) throws -> Tensor {
            guard let t = checkpoint.tensors["embeddings." + name] else {
                throw BERTError.badTensor("no tensor embeddings.\(name)")
            }
            return t
        }
        word = try tensor("word_embeddings.weight")
        position = try tensor("position_embeddings.weight")
        tokenType = try tensor("token_type_embeddings.weight")
        norm = try LayerNormWeights(checkpoint, "embeddings.LayerNorm")
    }

    public var hiddenSize: Int { word.cols }

    /// [count · length][hidden]: the embedded, normalised batch. Ids outside the vocabulary
    /// and batches longer than the position table are errors.
    public func forward(_ batch: TokenBatch) throws -> Tensor {
        let h = hiddenSize, vocabulary = word.rows
        guard batch.length <= position.rows else {
            throw BERTError.badInput(
                "\(batch.length) tokens, but the model has only \(position.rows) positions")
        }
        if let bad = batch.ids.first(where: { $0 < 0 || $0 >= vocabulary }) {
            throw BERTError.badInput("token id \(bad) outside the vocabulary 0..<\(vocabulary)")
        }
        var x = [Float](repeating: 0, count: batch.ids.count * h)
        word.data.withUnsafeBufferPointer { word in
        position.data.withUnsafeBufferPointer { position in
        tokenType.data.withUnsafeBufferPointer { tokenType in
        x.withUnsafeMutableBufferPointer { x in
            for (row, id) in batch.ids.enumerated() {
                let t = row % batch.length
                let (out, w, p) = (row &* h, id &* h, t &* h)
                for j in 0..<h { x[out &+ j] = (word[w &+ j] + tokenType[j]) + position[p &+ j] }
            }
        }}}}
        return norm.apply(Tensor(shape: [batch.ids.count, h], data: x))
    }
}
