/// Chapter 6 — LoRA from scratch (modules NN and LoRA): the backward passes a tiny GPT
/// trains with, then the adapter's forward, backward and merge.
let chapter6Exercises: [Exercise] = [
    Exercise(
        id: "6a", title: "Linear backward", section: "§6.1",
        file: "Sources/NN/Linear.swift", suite: "Ex6a_LinearBackwardTests",
        teaches: "the chain rule for y = x·Wᵀ + b: dW = dyᵀ·x, db = Σ dy, dx = dy·W — and no gradient for a frozen W",
        reading: "Karpathy, llm.c train_gpt2.c, matmul_backward; Goodfellow, Bengio & Courville, Deep Learning, §6.5.6",
        difficulty: 1, needs: [], dependents: [
            "Adam8bitTrainingTests", "AttentionTests", "Ex7b_BackwardThroughNF4Tests",
            "Ex8c_SwiGLUBackwardTests", "GoldenOutputTests", "InjectionTests", "LinearFastPathTests",
            "MLPTests", "ModelTests", "QLoRALayerTests", "SparseMoELayerTests", "TrainingTests",
        ],
        blanks: [
            """
            // TODO(Exercise 6a): dW += dyᵀ·x and db += Σ dy (trainable ones only); return dx = dy·W.
            return Tensor(shape: x.shape, data: [Float](repeating: 0, count: x.count))
            """
        ],
        hint: """
            Write y[r][o] = Σᵢ x[r][i]·W[o][i] + b[o] and ask which outputs each W[o][i], b[o] and
            x[r][i] touches: dW = dyᵀ·x, db = the column sums of dy, dx = dy·W. Gradients
            accumulate (+=) and a parameter with isTrainable == false gets none.
            Matmul.accumulateTransposingA and Matmul.product are the two products you need, in
            the order the doc comment prescribes.
            """),
    Exercise(
        id: "6b", title: "LayerNorm backward", section: "§6.1",
        file: "Sources/NN/LayerNorm.swift", suite: "Ex6b_LayerNormBackwardTests",
        teaches: "why LayerNorm's input gradient loses its mean and its component along x̂",
        reading: "Ba, Kiros & Hinton, \"Layer Normalization\" (2016), §3; Karpathy, llm.c layernorm_backward",
        difficulty: 2, needs: [], dependents: ["GoldenOutputTests", "LayerNormFastPathTests"],
        blanks: [
            """
            // TODO(Exercise 6b): dβ += dy, dγ += dy·x̂, dx = r·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·γ, row by row.
            return Tensor(shape: inputShape, data: [Float](repeating: 0, count: dy.count))
            """
        ],
        hint: """
            dβ += dy and dγ += dy·x̂ are direct. For x, with g = dy·γ (the gradient reaching x̂),
            every x̂ⱼ depends on every xₖ through the mean and r; the three paths collapse to
            dxⱼ = r·(gⱼ − mean(g) − x̂ⱼ·mean(g·x̂)). The cache holds x̂ (normalized) and r (rstd).
            Why must every row of dx sum to zero? The models run the fast backward, so follow
            the doc comment's order to match it bit for bit.
            """),
    Exercise(
        id: "6c", title: "attention backward", section: "§6.1",
        file: "Sources/NN/ScaledDotProductAttention.swift", suite: "Ex6c_AttentionBackwardTests",
        teaches: "backward through attention: the weighted sum, the softmax Jacobian and the scaled dot product",
        reading: "Vaswani et al., \"Attention Is All You Need\" (2017), §3.2.1; Karpathy, llm.c attention_backward",
        difficulty: 3, needs: [], dependents: ["AttentionFastPathTests", "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 6c): back through out = Σ p·v, the softmax and score = q·k/√D; return dq, dk, dv.
            let zeros = Tensor(shape: dOut.shape, data: [Float](repeating: 0, count: dOut.count))
            return (zeros, zeros, zeros)
            """
        ],
        hint: """
            Go backwards one formula at a time, per batch row, head and query t. out_t = Σₛ p·v_s
            gives dv_s += p[t][s]·dout_t and dp[s] = dout_t·v_s; the softmax gives
            dscore = p·(dp − Σ p·dp); score = q·k/√D gives dq_t += dscore·k_s/√D and
            dk_s += dscore·q_t/√D. Only s ≤ t exists: masked scores have p = 0. The models run
            the fast backward, so follow the doc comment's order to match it bit for bit.
            """),
    Exercise(
        id: "6d", title: "LoRA forward", section: "§6.2",
        file: "Sources/LoRA/LoRAAdapter.swift", suite: "Ex6d_LoRAForwardTests",
        teaches: "LoRA's update s·B·A·x as two thin products, never the full out × in matrix",
        reading: "Hu et al., \"LoRA\" (ICLR 2022), §4.1, equation (3); peft tuners/lora/layer.py, Linear.forward",
        difficulty: 1, needs: [], dependents: [
            "Ex6e_LoRABackwardTests", "Ex6f_LoRAMergeTests", "Ex7b_BackwardThroughNF4Tests",
            "GoldenOutputTests", "InjectionTests", "LoRADropoutTests", "MarginTests", "MergeTests",
        ],
        blanks: [
            """
            // TODO(Exercise 6d): cache u = x̃·Aᵀ in `projected` ([rows][r]); return Δy = s·(u·Bᵀ), [rows][out].
            projected = [Float](repeating: 0, count: rows * rank)
            let zeros = [Float](repeating: 0, count: rows * outFeatures)
            return Tensor(shape: Array(x.shape.dropLast()) + [outFeatures], data: zeros)
            """
        ],
        hint: """
            Equation (3): h = W₀x + BAx, scaled by s = α/r; peft writes the update as
            lora_B(lora_A(dropout(x))) * scaling. The dropout is done (droppedInput). First
            u = x̃·Aᵀ with Matmul.productTransposingB (keep it in `projected`: backward needs
            it), then u·Bᵀ, then multiply each value by s. Why is that cheaper than forming B·A
            when there are few rows?
            """),
    Exercise(
        id: "6e", title: "LoRA backward", section: "§6.3",
        file: "Sources/LoRA/LoRAAdapter.swift", suite: "Ex6e_LoRABackwardTests",
        teaches: "only A and B learn: the chain rule through two bias-free Linear layers, scaled by s",
        reading: "Hu et al., \"LoRA\" (ICLR 2022), §4.1; peft tuners/lora/layer.py",
        difficulty: 2, needs: ["6d"], dependents: [
            "Ex7b_BackwardThroughNF4Tests", "GoldenOutputTests", "InjectionTests", "MarginTests",
        ],
        blanks: [
            """
            // TODO(Exercise 6e): g = s·dy; dB += gᵀ·u; du = g·B; dA += duᵀ·x̃; return dx = du·A times the dropout mask.
            return Tensor(shape: inputShape, data: [Float](repeating: 0, count: rows * inFeatures))
            """
        ],
        hint: """
            Exercise 6a twice, without biases, with the scale applied to dy first: g = s·dy,
            dB += gᵀ·u (u is `projected`), du = g·B, dA += duᵀ·x̃ (x̃ is `droppedInput`),
            dx = du·A, then times the dropout mask when it is not empty. W₀ is frozen: its share
            of dx is added by LoRALinear. Why does A get no gradient on the very first step,
            when B = 0?
            """),
    Exercise(
        id: "6f", title: "merge", section: "§6.4",
        file: "Sources/LoRA/LoRAAdapter.swift", suite: "Ex6f_LoRAMergeTests",
        teaches: "after training an adapter folds into its weight: W = W₀ + s·B·A, no extra latency",
        reading: "Hu et al., \"LoRA\" (ICLR 2022), §4.1 \"No Additional Inference Latency\"; peft get_delta_weight",
        difficulty: 1, needs: ["6d"], dependents: ["GoldenOutputTests", "LoRACommandTests", "MergeTests"],
        blanks: [
            """
            // TODO(Exercise 6f): return ΔW = (B·A)·s, [out][in].
            return [Float](repeating: 0, count: outFeatures * inFeatures)
            """
        ],
        hint: """
            peft's get_delta_weight is (B @ A) * scaling in the weight's own [out][in] layout:
            Matmul.product(B, A) with m = out, k = r, n = in, then each value times s. Merging
            adds it to W₀ and unmerging subtracts it again — why does W₀ come back only to
            within an ulp, and not always bit for bit?
            """),
]
