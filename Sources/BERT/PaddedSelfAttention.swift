import Core
import NN

/// BERT's multi-head self-attention over a padded batch: every token attends to every *real*
/// token of its own sentence, before and after it (Vaswani et al. 2017 §3.2.1–3.2.2; Devlin
/// et al. 2018 §3: a bidirectional Transformer, no causal mask; Hugging Face's
/// `BertSelfAttention` with its "extended attention mask").
///
/// ```
/// q, k, v, context: [count · length][hidden]   head h owns columns h·d ..< (h+1)·d, d = 32
/// per sentence b and head h (L = length, n = real tokens of b):
///   S = Q_h K_hᵀ / √d                        [L][L]   (Matmul.productTransposingB)
///   S[t][s] = −3.4e38 for every key s ≥ n    the padding mask: padded keys get no weight
///   P = softmax of each row of S             [L][L]
///   context_h = P · V_h                      [L][d]   (Matmul.product)
/// ```
///
/// The mask acts on keys (columns), never on queries: a padding row still attends to the
/// real tokens and produces a vector, which later layers carry along and mean pooling drops.
/// Hugging Face adds the float32 minimum, −3.4028235e38, to masked scores; e^(that − max) is
/// exactly 0, so a masked key contributes exactly nothing, and a sentence's result does not
/// depend on how much padding the batch gave it (`PaddingTests` checks it).
///
/// `NN.ScaledDotProductAttention` is the causal, trainable version (GPT); this one has no
/// backward pass and runs the products through the tiled matmul, one (sentence, head) at a
/// time: the heads' columns are copied into contiguous [L][d] blocks first.
public enum PaddedSelfAttention {
    /// The score a masked key gets: the float32 minimum, as Hugging Face uses.
    public static let maskedScore = -Float.greatestFiniteMagnitude

    /// context [count · length][hidden] from q, k, v of the same shape.
    public static func forward(
        query: Tensor, key: Tensor, value: Tensor, batch: TokenBatch, heads: Int
    ) -> Tensor {
        let hidden = query.cols, length = batch.length
        let d = hidden / heads
        precondition(hidden == heads * d && query.rows == batch.count * length, "attention: shapes")
        let scale = 1 / Float(d).squareRoot()
        var context = [Float](repeating: 0, count: query.count)
        context.withUnsafeMutableBufferPointer { context in
            guard let out = context.baseAddress else { return }  // an empty batch
            // (sentence, head) pairs write disjoint blocks of `context`: on a large batch they
            // are shared out over the cores, each computed exactly as it would be alone.
            let work = batch.count * heads * length * length * d * 2
            KernelThreads.forEachPiece(items: batch.count * heads, work: work) { pairs in
                for pair in pairs {
                    let (b, h) = (pair / heads, pair % heads)
                    let rows = (b * length)..<((b + 1) * length)
                    let q = columns(query, rows: rows, from: h * d, width: d)
                    let k = columns(key, rows: rows, from: h * d, width: d)
                    let v = columns(value, rows: rows, from: h * d, width: d)
                    var scores = Matmul.productTransposingB(q, k, m: length, k: d, n: length)
                    for i in scores.indices { scores[i] *= scale }
                    maskPaddedKeys(&scores, length: length, realLength: batch.lengths[b])
                    softmaxRows(&scores, rows: length, columns: length)
                    let heads = Matmul.product(scores, v, m: length, k: length, n: d)
                    for t in 0..<length {
                        let target = out + (rows.lowerBound + t) * hidden + h * d
                        for j in 0..<d { target[j] = heads[t * d + j] }
                    }
                }
            }
        }
        return Tensor(shape: query.shape, data: context)
    }

    /// The padding mask on one sentence's scores [length][length] (row t = query t, column
    /// s = key s): every key at a position ≥ `realLength` gets `maskedScore`, in every row.
    public static func maskPaddedKeys(_ scores: inout [Float], length: Int, realLength: Int) {
        precondition(scores.count == length * length && realLength <= length, "mask: shapes")
        // BEGIN EXERCISE 12b — the attention padding mask
        for t in 0..<length {
            for s in realLength..<length { scores[t * length + s] = maskedScore }
        }
        // END EXERCISE 12b
    }

    /// Softmax of each row in place: e^(x − max) / Σ e^(x − max), the exponentials through
    /// NN's `FastExp` (Float(exp(Double(·))) bit for bit).
    static func softmaxRows(_ x: inout [Float], rows: Int, columns: Int) {
        var shifted = x
        for r in 0..<rows {
            let row = r * columns
            var maximum = -Float.infinity
            for s in 0..<columns { maximum = max(maximum, x[row + s]) }
            for s in 0..<columns { shifted[row + s] = x[row + s] - maximum }
        }
        shifted.withUnsafeBufferPointer { shifted in
            x.withUnsafeMutableBufferPointer { x in
                FastExp.apply(shifted.baseAddress!, count: shifted.count, into: x.baseAddress!)
            }
        }
        for r in 0..<rows {
            let row = r * columns
            var sum: Float = 0
            for s in 0..<columns { sum += x[row + s] }
            for s in 0..<columns { x[row + s] /= sum }
        }
    }

    /// Columns `from ..< from + width` of the given rows of x, as a contiguous [rows][width].
    static func columns(_ x: Tensor, rows: Range<Int>, from: Int, width: Int) -> [Float] {
        let c = x.cols
        return x.data.withUnsafeBufferPointer { x in
            uninitializedFloats(count: rows.count * width) { out in
                for (i, r) in rows.enumerated() {
                    for j in 0..<width { out[i * width + j] = x[r * c + from + j] }
                }
            }
        }
    }
}
