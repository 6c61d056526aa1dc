import Core

/// Causal multi-head scaled dot-product attention, the core of a GPT block (Vaswani et al.,
/// "Attention Is All You Need", 2017, §3.2.1–3.2.2; llm.c's `attention_forward/backward`).
///
/// ```
/// q, k, v, out: [B][T][C]      C = heads · D; head h owns the columns h·D ..< (h+1)·D
/// probabilities: [B][heads][T][T]   p[t][s], zero for s > t (the causal mask)
///
/// score[t][s] = (q_t · k_s) / √D                 for s ≤ t   (s > t is masked: −∞)
/// p[t][·]     = softmax over s ≤ t of score[t][·]
/// out_t       = Σ_{s ≤ t} p[t][s] · v_s
/// ```
///
/// Backward, per batch row and head, for dL/dout given:
///
/// ```
/// dv_s       += Σ_t p[t][s] · dout_t
/// dp[t][s]    = dout_t · v_s
/// dscore[t][s] = p[t][s] · (dp[t][s] − Σ_{s'} p[t][s'] · dp[t][s'])     (softmax Jacobian)
/// dq_t       += Σ_s dscore[t][s] · k_s / √D
/// dk_s       += Σ_t dscore[t][s] · q_t / √D
/// ```
///
/// The mask is applied by never looking at s > t: a masked score would be −∞, its
/// probability exactly 0, and it would contribute nothing to any sum above.
/// No dropout (GPT-2 trained with attention dropout; a model this small does not need it).
///
/// **Readable first, fast beside it.** `referenceForward` and `referenceBackward` below are
/// the loops to read. `forward` and `backward` run the same arithmetic in
/// `ScaledDotProductAttention+Fast.swift`,
/// vectorised across independent outputs (keys s for the dot products, channels j for the
/// weighted sums); every sum keeps its order, so the results are identical bit for bit
/// (`AttentionFastPathTests` checks it).
public final class ScaledDotProductAttention {
    public let heads: Int

    /// Cache for backward: q, k, v ([B][T][C] each) and the probabilities [B][heads][T][T].
    var q: [Float] = [], k: [Float] = [], v: [Float] = []
    var probabilities: [Float] = []
    var shape: (batch: Int, time: Int, channels: Int) = (0, 0, 0)

    public init(heads: Int) {
        precondition(heads > 0, "attention needs at least one head")
        self.heads = heads
    }

    /// [B][T][C] from a rank-3 tensor, or B = 1 for a rank-2 [T][C] tensor.
    static func batchTimeChannels(_ x: Tensor) -> (batch: Int, time: Int, channels: Int) {
        precondition(x.rank == 2 || x.rank == 3, "attention input must be [T][C] or [B][T][C], got \(x.shape)")
        return x.rank == 3 ? (x.shape[0], x.shape[1], x.shape[2]) : (1, x.shape[0], x.shape[1])
    }

    /// The attention output [B][T][C] (the fast path; caches q, k, v and the probabilities).
    public func forward(query: Tensor, key: Tensor, value: Tensor) -> Tensor {
        let (b, t, c) = cacheInputs(query: query, key: key, value: value)
        return Tensor(shape: query.shape, data: fastForward(batch: b, time: t, channels: c))
    }

    /// dL/dq, dL/dk, dL/dv from dL/dout (the fast path).
    public func backward(_ dOut: Tensor) -> (query: Tensor, key: Tensor, value: Tensor) {
        let (b, t, c) = shape
        precondition(
            dOut.count == b * t * c && b * t * c > 0,
            "attention: backward before forward, or dOut has shape \(dOut.shape)")
        let (dq, dk, dv) = fastBackward(dOut.data)
        let s = dOut.shape
        return (Tensor(shape: s, data: dq), Tensor(shape: s, data: dk), Tensor(shape: s, data: dv))
    }

    /// Checks the shapes, fills the cache with q, k, v and fresh zero probabilities.
    func cacheInputs(query: Tensor, key: Tensor, value: Tensor) -> (batch: Int, time: Int, channels: Int) {
        precondition(query.shape == key.shape && key.shape == value.shape, "attention: q, k, v shapes differ")
        let (b, t, c) = Self.batchTimeChannels(query)
        precondition(c % heads == 0, "attention: \(c) channels do not split into \(heads) heads")
        (q, k, v, shape) = (query.data, key.data, value.data, (b, t, c))
        probabilities = [Float](repeating: 0, count: b * heads * t * t)
        return (b, t, c)
    }

    /// The reference forward pass: the plain loops of the formulas above.
    public func referenceForward(query: Tensor, key: Tensor, value: Tensor) -> Tensor {
        let (b, t, c) = cacheInputs(query: query, key: key, value: value)
        let d = c / heads
        let scale = 1 / Float(d).squareRoot()
        var out = [Float](repeating: 0, count: b * t * c)
        var scores = [Float](repeating: 0, count: t)
        for bi in 0..<b {
            for h in 0..<heads {
                let pBase = (bi * heads + h) * t * t
                for ti in 0..<t {
                    let qRow = (bi * t + ti) * c + h * d
                    // Scores for s ≤ t, and their maximum for a stable softmax.
                    var maxScore = -Float.infinity
                    for s in 0...ti {
                        let kRow = (bi * t + s) * c + h * d
                        var dot: Float = 0
                        for j in 0..<d { dot += q[qRow + j] * k[kRow + j] }
                        scores[s] = dot * scale
                        maxScore = max(maxScore, scores[s])
                    }
                    var sum: Float = 0
                    for s in 0...ti {
                        scores[s] = Float(Math.exp(Double(scores[s] - maxScore)))
                        sum += scores[s]
                    }
                    for s in 0...ti {
                        let p = scores[s] / sum
                        probabilities[pBase + ti * t + s] = p
                        let vRow = (bi * t + s) * c + h * d
                        for j in 0..<d { out[qRow + j] += p * v[vRow + j] }
                    }
                }
            }
        }
        return Tensor(shape: query.shape, data: out)
    }

    /// The reference backward pass: dL/dq, dL/dk, dL/dv from dL/dout, in plain loops — the
    /// ones to read. The models run `backward`, the same arithmetic vectorised, so this
    /// function prescribes the order of every operation (the fast path and the chapters'
    /// printed numbers depend on it bit for bit). For each batch row, head h and query t in
    /// order (all sums start from 0):
    ///
    /// ```
    /// for s = 0 … t:  dp[s] = Σⱼ dout_t[j] · v_s[j]  (j in order);  dv_s[j] += p[t][s] · dout_t[j]
    ///                 weighted += p[t][s] · dp[s]
    /// for s = 0 … t:  dscore = (p[t][s] · (dp[s] − weighted)) · (1/√D)
    ///                 dq_t[j] += dscore · k_s[j];  dk_s[j] += dscore · q_t[j]
    /// ```
    ///
    /// p, q, k, v come from the cache of the last forward (either one).
    public func referenceBackward(_ dOut: Tensor) -> (query: Tensor, key: Tensor, value: Tensor) {
        let (b, t, c) = shape
        precondition(
            dOut.count == b * t * c && b * t * c > 0,
            "attention: backward before forward, or dOut has shape \(dOut.shape)")
        // BEGIN EXERCISE 6c — attention backward
        let d = c / heads
        let scale = 1 / Float(d).squareRoot()
        var dq = [Float](repeating: 0, count: q.count)
        var dk = [Float](repeating: 0, count: k.count)
        var dv = [Float](repeating: 0, count: v.count)
        var dp = [Float](repeating: 0, count: t)
        for bi in 0..<b {
            for h in 0..<heads {
                let pBase = (bi * heads + h) * t * t
                for ti in 0..<t {
                    let row = (bi * t + ti) * c + h * d
                    // dp[s] = dout_t · v_s, and dv_s += p[t][s] · dout_t.
                    var weighted: Float = 0  // Σ_s p[t][s] · dp[s]
                    for s in 0...ti {
                        let p = probabilities[pBase + ti * t + s]
                        let vRow = (bi * t + s) * c + h * d
                        var dot: Float = 0
                        for j in 0..<d {
                            dot += dOut.data[row + j] * v[vRow + j]
                            dv[vRow + j] += p * dOut.data[row + j]
                        }
                        dp[s] = dot
                        weighted += p * dot
                    }
                    // Through the softmax, then through score = q·k / √D.
                    for s in 0...ti {
                        let dScore = probabilities[pBase + ti * t + s] * (dp[s] - weighted) * scale
                        let kRow = (bi * t + s) * c + h * d
                        for j in 0..<d {
                            dq[row + j] += dScore * k[kRow + j]
                            dk[kRow + j] += dScore * q[row + j]
                        }
                    }
                }
            }
        }
        let s = dOut.shape
        return (Tensor(shape: s, data: dq), Tensor(shape: s, data: dk), Tensor(shape: s, data: dv))
        // END EXERCISE 6c
    }
}
