import Core

/// The Switch Transformer's auxiliary load-balancing loss, normalised as transformers'
/// `load_balancing_loss_func` normalises it (Fedus et al. 2021, §2.2, eqs. 4–6).
///
/// ```
/// count_e = number of the T·K top-K slots that chose expert e
/// f_e     = count_e / T                   fraction of tokens sent to e        Σ_e f_e = K
/// P_e     = (1/T) Σ_t p_t,e               mean router probability of e       Σ_e P_e = 1
/// L_aux   = E · Σ_e f_e · P_e
/// ```
///
/// transformers builds `expert_mask = one_hot(selected_experts)` of shape [T][K][E] and takes
/// the mean over tokens, so `tokens_per_expert` is [K][E] — one row per slot — and the sum of
/// `tokens_per_expert * router_prob_per_expert` adds all K rows: f_e counts *both* choices.
/// The paper, with K = 1, has Σ f = 1 and a balanced value of 1; with transformers' K slots
/// the balanced value is K:
///
/// ```
/// uniform router, p_t,e = 1/E:   L_aux = E · Σ_e f_e · (1/E) = Σ_e f_e = K     (whatever the top-K picked)
/// collapsed, all tokens on the same K experts with all probability there: L_aux = E
/// ```
///
/// **Gradient.** The counts come from an argmax and are constants; only P carries gradient:
///
/// ```
/// ∂L_aux/∂p_t,e = E · f_e / T          the same for every token: "lower the over-used experts"
/// ```
///
/// and `TopKRouter.backward` takes it through the softmax. With a token mask (transformers'
/// `attention_mask`, 1 = real token) both means run over the M real tokens only:
/// f_e = count_e(real) / M, P_e = (1/M) Σ_real p_t,e, and padded tokens get no gradient.
///
/// Over several layers transformers concatenates all layers' logits first (T becomes
/// layers · T); call this with the layers' routings stacked to get the same number.
public enum LoadBalancingLoss {
    /// The loss and the two vectors it multiplies.
    public struct Terms: Equatable, Sendable {
        /// f_e: [E], fraction of tokens routed to each expert, summed over the K slots (Σ = K).
        public let fractionPerExpert: [Double]
        /// P_e: [E], mean router probability of each expert (Σ = 1).
        public let meanProbability: [Double]
        /// L_aux = E · Σ_e f_e · P_e (0 for an empty batch).
        public let value: Double
    }

    /// f, P and L_aux for a routing, optionally over the tokens whose mask is `true` only
    /// (exercise 8b). In Double, over the M real tokens in token order:
    ///
    /// ```
    /// f_e = (number of real tokens' slots that chose e) / M        one division
    /// P_e = (Σ_t p_t,e) / M                                        summed in token order, one division
    /// L_aux = E · Σ_e f_e · P_e                                    summed in expert order
    /// ```
    ///
    /// No real tokens (an empty batch, or padding only): f = P = 0 and L_aux = 0.
    public static func compute(_ routing: Routing, tokenMask: [Bool]? = nil) throws(MoEError) -> Terms {
        let (t, e, k) = (routing.tokens, routing.experts, routing.topK)
        if let tokenMask, tokenMask.count != t { throw .maskLengthMismatch(mask: tokenMask.count, tokens: t) }
        var fraction = [Double](repeating: 0, count: e)
        var meanProbability = [Double](repeating: 0, count: e)
        var value = 0.0
        // BEGIN EXERCISE 8b — the load-balancing loss
        let real = (0..<t).filter { tokenMask?[$0] ?? true }
        guard !real.isEmpty else {
            return Terms(fractionPerExpert: fraction, meanProbability: meanProbability, value: 0)
        }
        for token in real {
            for slot in 0..<k { fraction[routing.selectedExperts[token * k + slot]] += 1 }
            for expert in 0..<e { meanProbability[expert] += Double(routing.probabilities[token * e + expert]) }
        }
        let m = Double(real.count)
        for expert in 0..<e {
            fraction[expert] /= m
            meanProbability[expert] /= m
            value += fraction[expert] * meanProbability[expert]
        }
        value *= Double(e)
        // END EXERCISE 8b
        return Terms(fractionPerExpert: fraction, meanProbability: meanProbability, value: value)
    }

    /// ∂L_aux/∂p: [T][E], E · f_e / M for real tokens, 0 for masked ones.
    public static func probabilityGradient(_ routing: Routing, tokenMask: [Bool]? = nil) throws(MoEError) -> [Float] {
        let terms = try compute(routing, tokenMask: tokenMask)
        let (t, e) = (routing.tokens, routing.experts)
        let m = tokenMask.map { $0.filter { $0 }.count } ?? t
        var gradient = [Float](repeating: 0, count: t * e)
        guard m > 0 else { return gradient }
        for token in 0..<t where tokenMask?[token] ?? true {
            for expert in 0..<e {
                gradient[token * e + expert] = Float(Double(e) * terms.fractionPerExpert[expert] / Double(m))
            }
        }
        return gradient
    }

    /// `load_balancing_loss_func((logits,), E, K, attention_mask)` for one layer's logits [T][E]:
    /// routes them (softmax, top-K) and returns L_aux.
    public static func value(
        logits: Tensor, topK: Int, tokenMask: [Bool]? = nil, tieBreaking: TopKTieBreaking = .torchCPU
    ) throws(MoEError) -> Double {
        try compute(TopKRouter.route(logits: logits, topK: topK, tieBreaking: tieBreaking), tokenMask: tokenMask).value
    }
}
