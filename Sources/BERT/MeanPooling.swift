import Core

/// From token vectors to one sentence vector: the mean over the sentence's real tokens, then
/// scaled to length 1 (Reimers & Gurevych 2019, arXiv:1908.10084, §3 "MEAN-strategy";
/// sentence-transformers' `Pooling(pooling_mode_mean_tokens=True)` and `Normalize`, the two
/// modules after the Transformer in all-MiniLM-L6-v2's `modules.json`).
///
/// ```
/// h: [count · length][hidden]      mask(b, t) = t < lengths[b]
/// mean[b] = Σ_t mask(b,t) · h[b][t] / max(Σ_t mask(b,t), 1e-9)       [count][hidden]
/// e[b]    = mean[b] / max(‖mean[b]‖₂, 1e-12)                         (F.normalize)
/// ```
///
/// [CLS] and [SEP] are real tokens and count in the mean, as in sentence-transformers.
/// Unit length makes the cosine of two embeddings their dot product.
public enum MeanPooling {
    /// [count][hidden]: each sentence's mean over its real tokens (padding rows ignored).
    public static func mean(_ h: Tensor, batch: TokenBatch) -> Tensor {
        let c = h.cols
        precondition(h.rows == batch.count * batch.length, "pooling: \(h.rows) rows for the batch")
        var pooled = [Float](repeating: 0, count: batch.count * c)
        // BEGIN EXERCISE 12c — mean pooling over the mask
        for b in 0..<batch.count {
            var sum = [Float](repeating: 0, count: c)
            for t in 0..<batch.length where batch.isReal(b, t) {
                let row = (b * batch.length + t) * c
                for j in 0..<c { sum[j] += h.data[row + j] }
            }
            let count = max(Float(batch.lengths[b]), 1e-9)
            for j in 0..<c { pooled[b * c + j] = sum[j] / count }
        }
        // END EXERCISE 12c
        return Tensor(shape: [batch.count, c], data: pooled)
    }

    /// Each row divided by its Euclidean length (rows of zeros stay zero).
    public static func l2Normalized(_ x: Tensor) -> Tensor {
        var y = x
        let c = x.cols
        for r in 0..<x.rows {
            var squares: Float = 0
            for j in 0..<c { squares += x.data[r * c + j] * x.data[r * c + j] }
            let norm = max(squares.squareRoot(), 1e-12)
            for j in 0..<c { y.data[r * c + j] = x.data[r * c + j] / norm }
        }
        return y
    }
}
