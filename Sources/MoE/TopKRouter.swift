import Core

/// The result of routing T tokens to K of E experts.
///
/// ```
/// logits:          [T][E]  z, as the router produced them
/// probabilities:   [T][E]  p = softmax(z) over all E experts, float32
/// selectedExperts: [T][K]  the K most probable experts, highest probability first
/// weights:         [T][K]  w, the K kept probabilities renormalised to sum to 1
/// ```
public struct Routing: Equatable, Sendable {
    public let tokens: Int
    public let experts: Int
    public let topK: Int
    public let logits: [Float]
    public let probabilities: [Float]
    public let selectedExperts: [Int]
    public let weights: [Float]

    public init(
        tokens: Int, experts: Int, topK: Int, logits: [Float], probabilities: [Float], selectedExperts: [Int],
        weights: [Float]
    ) {
        precondition(
            logits.count == tokens * experts && probabilities.count == tokens * experts
                && selectedExperts.count == tokens * topK && weights.count == tokens * topK,
            "Routing: arrays do not fit \(tokens) tokens × \(experts) experts, top-\(topK)")
        self.tokens = tokens
        self.experts = experts
        self.topK = topK
        self.logits = logits
        self.probabilities = probabilities
        self.selectedExperts = selectedExperts
        self.weights = weights
    }

    /// How many of the T·K slots chose each expert (sums to T·K).
    public var tokensPerExpert: [Int] {
        var counts = [Int](repeating: 0, count: experts)
        for e in selectedExperts { counts[e] += 1 }
        return counts
    }

    /// The experts of token t, highest weight first.
    public func experts(ofToken t: Int) -> ArraySlice<Int> { selectedExperts[(t * topK)..<((t + 1) * topK)] }
    /// The routing weights of token t, in the order of `experts(ofToken:)`.
    public func weights(ofToken t: Int) -> ArraySlice<Float> { weights[(t * topK)..<((t + 1) * topK)] }
}

/// Mixtral's router, after the linear map: softmax over all experts, top-K, renormalise
/// (transformers 5.24.0, `MixtralTopKRouter.forward`):
///
/// ```python
/// router_logits = F.linear(hidden_states, self.weight)
/// router_probs = F.softmax(router_logits.float(), dim=-1)
/// top_values, top_indices = torch.topk(router_probs, self.top_k, dim=-1)
/// top_values /= top_values.sum(dim=-1, keepdim=True)
/// ```
///
/// The order matters. Softmax-then-top-K-then-renormalise equals a softmax over just the K
/// chosen logits (w_k = exp z_k / Σ_chosen exp z_j), so the weights never see the experts that
/// were not chosen — but P_e in the load-balancing loss does, which is why the full softmax
/// is computed first. (Switch Transformer, K = 1, skips the renormalisation: its single weight
/// is p itself, which keeps a gradient to the router; with K = 1 here the weight is always 1.)
public enum TopKRouter {
    /// Routes every row of `logits` ([T][E]) to its `topK` most probable experts (exercise 8a).
    ///
    /// Throws for K outside 1…E, for NaN or +∞ logits, and for a token whose logits are all
    /// −∞. A −∞ logit is allowed and gives its expert probability 0. Zero tokens is allowed.
    ///
    /// The order of evaluation, for each token t (bit-exact with transformers' float32 routing
    /// as far as our Double softmax allows, and with the chapter's printed numbers):
    ///
    /// ```
    /// p = softmax(z_t, token: t)                          all E experts; throws for bad logits
    /// chosen = TopK.indices(of: p, k: topK, tieBreaking:)  highest first, ties as asked
    /// S = 0; S += p[e] for e in chosen                     Float, in the chosen order
    /// w_k = p[chosen[k]] / S                               one Float division each
    /// ```
    public static func route(
        logits: Tensor, topK: Int, tieBreaking: TopKTieBreaking = .torchCPU
    ) throws(MoEError) -> Routing {
        guard logits.rank == 2 else {
            throw .shapeMismatch("router logits must be 2-D (tokens × experts), got shape \(logits.shape)")
        }
        let (tokens, experts) = (logits.shape[0], logits.shape[1])
        guard topK >= 1 && topK <= experts else { throw .invalidTopK(k: topK, experts: experts) }
        var probabilities = [Float](repeating: 0, count: tokens * experts)
        var selected = [Int](repeating: 0, count: tokens * topK)
        var weights = [Float](repeating: 0, count: tokens * topK)
        // BEGIN EXERCISE 8a — softmax top-k routing
        for t in 0..<tokens {
            let row = Array(logits.data[(t * experts)..<((t + 1) * experts)])
            let p = try softmax(row, token: t)
            probabilities.replaceSubrange((t * experts)..<((t + 1) * experts), with: p)
            let chosen = TopK.indices(of: p, k: topK, tieBreaking: tieBreaking)
            // Renormalise in float32, summing in the order chosen (as torch's sum over K values).
            var sum: Float = 0
            for e in chosen { sum += p[e] }
            for (k, e) in chosen.enumerated() {
                selected[t * topK + k] = e
                weights[t * topK + k] = p[e] / sum
            }
        }
        // END EXERCISE 8a
        return Routing(
            tokens: tokens, experts: experts, topK: topK, logits: logits.data, probabilities: probabilities,
            selectedExperts: selected, weights: weights)
    }

    /// softmax(z) of one token's logits, exponentials in Double, rounded to Float:
    /// p_e = exp(z_e − max z) / Σ_j exp(z_j − max z).
    public static func softmax(_ z: [Float], token: Int = 0) throws(MoEError) -> [Float] {
        var maxLogit = -Float.infinity
        for (e, v) in z.enumerated() {
            if v.isNaN || v == .infinity { throw .nonFiniteLogit(token: token, expert: e, value: v) }
            maxLogit = max(maxLogit, v)
        }
        guard maxLogit > -.infinity else { throw .noRoutableExpert(token: token) }
        var exps = [Double](repeating: 0, count: z.count)
        var sum = 0.0
        for e in z.indices {
            exps[e] = Math.exp(Double(z[e] - maxLogit))  // exp(−∞) = 0: a masked expert
            sum += exps[e]
        }
        return exps.map { Float($0 / sum) }
    }

    /// log Σ_e exp z_e of one token (the quantity the z-loss squares), in Double.
    public static func logSumExp(_ z: ArraySlice<Float>) -> Double {
        let maxLogit = z.max() ?? 0
        guard maxLogit.isFinite else { return Double(maxLogit) }
        var sum = 0.0
        for v in z { sum += Math.exp(Double(v - maxLogit)) }
        return Double(maxLogit) + Math.log(sum)
    }
}
