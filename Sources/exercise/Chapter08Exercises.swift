/// Chapter 8 — Mixture of Experts (module MoE).
let chapter8Exercises: [Exercise] = [
    Exercise(
        id: "8a", title: "softmax top-k routing", section: "§8.1",
        file: "Sources/MoE/TopKRouter.swift", suite: "Ex8a_RoutingTests",
        teaches: "Mixtral's router: softmax over all experts, keep the K most probable, renormalise their weights",
        reading: "Mixtral of Experts (Jiang et al. 2024) §2.1; transformers' `MixtralTopKRouter.forward`",
        difficulty: 2, needs: [], dependents: [
            "ContractMatrixTests",
            "Ex8b_LoadBalancingLossTests", "Ex8e_RoutingBackwardTests", "GoldenOutputTests", "MoEBadInputTests",
            "MoEReferenceTests", "MoERouteCommandTests", "RouterZLossTests", "SparseMoELayerTests", "TopKTieTests",
        ],
        blanks: [
            """
            // TODO(Exercise 8a): per token: p = softmax(row, token: t), the topK most probable (TopK.indices), w = their p / their sum.
            for i in probabilities.indices { probabilities[i] = 1 / Float(experts) }
            for i in selected.indices { selected[i] = i % topK }
            for i in weights.indices { weights[i] = 1 / Float(topK) }
            """
        ],
        hint: """
            Mixtral §2.1, G(x) = Softmax(TopK(x · W_g)), and transformers' MixtralTopKRouter: the
            softmax over *all* experts first (softmax(row, token: t) — it also throws for NaN, +∞
            and all −∞ logits), then TopK.indices(of: p, k: topK, tieBreaking: tieBreaking) on the
            probabilities, then divide the K kept probabilities by their sum — in Float, adding
            them in the order chosen. Why is this a softmax over the chosen logits alone?
            """),
    Exercise(
        id: "8b", title: "the load-balancing loss", section: "§8.2",
        file: "Sources/MoE/LoadBalancingLoss.swift", suite: "Ex8b_LoadBalancingLossTests",
        teaches: "the Switch Transformer's auxiliary loss in transformers' normalisation: K for a uniform router, E for a collapsed one",
        reading: "Switch Transformers (Fedus et al. 2021) §2.2, eqs. 4–6; transformers' `load_balancing_loss_func`",
        difficulty: 2, needs: ["8a"],
        dependents: [
            "ContractMatrixTests",
            "GoldenOutputTests", "MoEReferenceTests", "MoERouteCommandTests", "SparseMoELayerTests"],
        blanks: [
            """
            // TODO(Exercise 8b): over the real tokens: f_e = slots that chose e / M, P_e = Σ p_t,e / M, value = E · Σ f_e · P_e (0 when M = 0).
            value = 0  // f, P and L_aux stay zero: the right shapes, the wrong values
            """
        ],
        hint: """
            Switch Transformer §2.2: L_aux = E · Σ_e f_e · P_e. transformers counts *every* top-K
            slot in f_e (so Σ f_e = K) and averages p over the tokens for P_e. Only tokens whose
            mask is true count, in both averages (M of them); no real tokens means a loss of 0.
            Keep the order of the doc comment: counts / M, sums of p in token order / M, then the
            sum over experts times E, all in Double.
            """),
    Exercise(
        id: "8c", title: "SwiGLU backward", section: "§8.4",
        file: "Sources/MoE/SwiGLUExpert.swift", suite: "Ex8c_SwiGLUBackwardTests",
        teaches: "the product rule through a gated unit: the gradient splits between silu(a) and b",
        reading: "Shazeer, \"GLU Variants Improve Transformer\" (2020), eq. 6",
        difficulty: 2, needs: ["6a"], dependents: [
            "ContractMatrixTests",
            "GoldenOutputTests", "SparseMoELayerTests"],
        blanks: [
            """
            // TODO(Exercise 8c): da = dh ⊙ b ⊙ silu′(a), db = dh ⊙ silu(a); dx = gate.backward(da) + up.backward(db).
            return Tensor(shape: dy.shape)
            """
        ],
        hint: """
            h = silu(a) ⊙ b, so by the product rule db = dh ⊙ silu(a) and da = dh ⊙ b ⊙ silu′(a),
            with silu′(a) = σ(a) · (1 + a · (1 − σ(a))). Evaluate per element in Double
            (Self.sigmoid), round da and db to Float once, then let the two Linear layers
            accumulate their weight gradients: dx = gate.backward(da), plus up.backward(db).
            """),
    Exercise(
        id: "8d", title: "capacity and token dropping", section: "§8.3",
        file: "Sources/MoE/ExpertDispatch.swift", suite: "Ex8d_CapacityTests",
        teaches: "expert capacity: fixed-size expert batches, first choices first, and what a dropped token loses",
        reading: "Switch Transformers §2.2 (\"expert capacity\"); GShard (Lepikhin et al. 2020) §2.2",
        difficulty: 2, needs: ["8a"], dependents: [
            "ContractMatrixTests",
            "GoldenOutputTests", "MoEReferenceTests", "SparseMoELayerTests"],
        blanks: [
            """
            // TODO(Exercise 8d): slot by slot, token by token: add (token, slot) to its expert's group, or drop it if the group holds `capacity`.
            return ExpertDispatch(groups: groups, dropped: dropped, capacity: capacity, fullyDroppedTokens: [])
            """
        ],
        hint: """
            Switch Transformer §2.2, "expert capacity". Fill slots first choices first: loop over
            the slot, then over the token. An assignment whose expert already holds `capacity`
            assignments is dropped (nil capacity: nothing is). Sort each group by token at the
            end; a token is fully dropped when all K of its slots were.
            """),
    Exercise(
        id: "8e", title: "routing backward: renormalisation, then softmax", section: "§8.4",
        file: "Sources/MoE/RoutingBackward.swift", suite: "Ex8e_RoutingBackwardTests",
        teaches: "why the task loss never pushes the router toward an expert it did not pick, and L_aux does",
        reading: "Switch Transformers §2.2 (the differentiable load-balancing loss); the softmax Jacobian",
        difficulty: 3, needs: ["8a"], dependents: [
            "ContractMatrixTests",
            "GoldenOutputTests", "SparseMoELayerTests"],
        blanks: [
            """
            // TODO(Exercise 8e): per token: through w = p / S to ∂L/∂p of the chosen experts, then through the softmax to ∂L/∂z.
            return [Float](repeating: 0, count: t * e)
            """
        ],
        hint: """
            The chain rule through w_k = p_k / S (S = sum of the chosen p):
            ∂L/∂p_k += (∂L/∂w_k − Σ_j w_j ∂L/∂w_j) / S for the chosen experts only, on top of any
            direct ∂L/∂p; then the softmax Jacobian, ∂L/∂z_e = p_e (∂L/∂p_e − Σ_j p_j ∂L/∂p_j).
            Accumulate in Double in the order of the doc comment and round once.
            """),
    Exercise(
        id: "8f", title: "Mixtral's parameter arithmetic", section: "§8.6",
        file: "Sources/MoE/MixtralArithmetic.swift", suite: "Ex8f_MixtralArithmeticTests",
        teaches: "why 8x7B is 46.7B and not 56B, and why it computes like a 13B model but needs a 47B one's memory",
        reading: "Mixtral of Experts, §1 (\"47B parameters … 13B active\") and Table 1",
        difficulty: 1, needs: [], dependents: [
            "ContractMatrixTests",
            "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 8f): W_q, W_o: H × (query heads · head dim); W_k, W_v: H × (KV heads · head dim).
            return 0
            """,
            """
            // TODO(Exercise 8f): W1 and W3 are I × H, W2 is H × I.
            return 0
            """,
            """
            // TODO(Exercise 8f): input embedding and output head V × H each (not tied), plus the final norm's H.
            return 0
            """,
            """
            // TODO(Exercise 8f): L · (attention + E experts + router + norms) + embeddings and head.
            return 0
            """,
            """
            // TODO(Exercise 8f): as the total, with only K experts per layer.
            return 0
            """,
        ],
        hint: """
            Mixtral's Table 1 and config.json. W_k and W_v are hidden × (KV heads · head dim), not
            hidden × hidden (grouped-query attention); each expert has three matrices of
            hidden × intermediate; the embedding and the output head are separate matrices. The
            total counts all E experts of every layer, the active count only K of them.
            """),
]
