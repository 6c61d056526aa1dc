extension TopKRouter {
    /// dL/dz ([T][E]) from the gradient reaching the routing weights and, optionally, a
    /// gradient reaching the probabilities directly (α · ∂L_aux/∂p).
    ///
    /// Two steps of the chain rule, per token, with S = Σ_{j chosen} p_j and w_k = p_{e_k} / S:
    ///
    /// ```
    /// renormalisation:  ∂L/∂p_{e_k} += (∂L/∂w_k − Σ_j w_j · ∂L/∂w_j) / S      (chosen experts only)
    /// softmax:          ∂L/∂z_e      = p_e · (∂L/∂p_e − Σ_j p_j · ∂L/∂p_j)
    /// ```
    ///
    /// The renormalised weights do not depend on the logits of experts that were not chosen
    /// (w is a softmax over the chosen logits alone), and the two steps reproduce that: for an
    /// expert outside the top K with no direct ∂L/∂p, the result is p_e · (0 − 0) = 0 up to
    /// rounding. So the *task* loss never tells the router to try an expert it did not pick;
    /// only L_aux (through P_e, which covers all experts) does.
    ///
    /// The order of evaluation (exercise 8e; the chapter's training reproduces bit for bit
    /// only with it), per token, everything in Double, the result rounded to Float once:
    ///
    /// ```
    /// ∂L/∂p_e = probabilityGradient[t][e] (or 0)
    /// S = Σ_slots p_{e_k},  G = Σ_slots w_k · ∂L/∂w_k        both summed in slot order
    /// ∂L/∂p_{e_k} += (∂L/∂w_k − G) / S                        in slot order
    /// A = Σ_e p_e · ∂L/∂p_e                                   in expert order
    /// ∂L/∂z_e = Float(p_e · (∂L/∂p_e − A))
    /// ```
    ///
    /// - Parameters:
    ///   - weightGradient: [T][K], ∂L/∂w in the order of `routing.selectedExperts`.
    ///   - probabilityGradient: [T][E], an extra ∂L/∂p, or nil.
    public static func backward(
        _ routing: Routing, weightGradient: [Float], probabilityGradient: [Float]? = nil
    ) -> [Float] {
        let (t, e, k) = (routing.tokens, routing.experts, routing.topK)
        precondition(weightGradient.count == t * k, "TopKRouter.backward: weightGradient must be [\(t)][\(k)]")
        precondition(
            probabilityGradient.map { $0.count == t * e } ?? true,
            "TopKRouter.backward: probabilityGradient must be [\(t)][\(e)]")
        // BEGIN EXERCISE 8e — routing backward: renormalisation, then softmax
        var dLogits = [Float](repeating: 0, count: t * e)
        var dp = [Double](repeating: 0, count: e)
        for token in 0..<t {
            let p = routing.probabilities[(token * e)..<((token + 1) * e)]
            for expert in 0..<e { dp[expert] = Double(probabilityGradient?[token * e + expert] ?? 0) }
            var sum = 0.0  // S
            var weighted = 0.0  // Σ_j w_j · ∂L/∂w_j
            for slot in 0..<k {
                sum += Double(p[p.startIndex + routing.selectedExperts[token * k + slot]])
                weighted += Double(routing.weights[token * k + slot]) * Double(weightGradient[token * k + slot])
            }
            for slot in 0..<k {
                dp[routing.selectedExperts[token * k + slot]] += (Double(weightGradient[token * k + slot]) - weighted) / sum
            }
            var average = 0.0  // Σ_j p_j · ∂L/∂p_j
            for expert in 0..<e { average += Double(p[p.startIndex + expert]) * dp[expert] }
            for expert in 0..<e {
                dLogits[token * e + expert] = Float(Double(p[p.startIndex + expert]) * (dp[expert] - average))
            }
        }
        return dLogits
        // END EXERCISE 8e
    }
}
