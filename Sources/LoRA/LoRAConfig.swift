/// # LoRA — low-rank adaptation of a frozen linear layer (Chapter 6)
///
/// Sources: Hu, Shen, Wallis, Allen-Zhu, Li, Wang, Wang & Chen, "LoRA: Low-Rank Adaptation of
/// Large Language Models" (ICLR 2022; arXiv 2106.09685), §4.1 and §7; Kalajdzievski,
/// "A Rank Stabilization Scaling Factor for Fine-Tuning with LoRA" (rsLoRA, 2023), §3;
/// Hugging Face **peft** 0.21.2, `tuners/lora/layer.py` (`LoraLayer.update_layer`,
/// `reset_lora_parameters`, `Linear.forward`, `merge`, `unmerge`, `get_delta_weight`).
///
/// Fine-tuning changes a pretrained weight W₀ by some ΔW. LoRA bets that ΔW has low rank and
/// trains it in factored form, leaving W₀ frozen (the paper's symbols, peft's layout):
///
/// ```
/// W₀: [out][in]  frozen      A: [r][in]  trainable      B: [out][r]  trainable, r ≪ min(in, out)
/// h  = W₀ x + b + s · B A x                        s = α / r       (LoRA, §4.1)
///                                                  s = α / √r      (rsLoRA)
/// A ~ U(−1/√in, 1/√in)   (kaiming_uniform_(a = √5), as nn.Linear — peft's default)
/// B = 0                   so ΔW = s·B·A = 0 and training starts exactly at W₀
/// merge:    W ← W₀ + s · (B A)        one Linear again, no extra latency at inference (§4.1)
/// unmerge:  W ← W − s · (B A)
/// ```
///
/// Trainable parameters per adapted layer: r · (in + out) instead of in · out. With Adam, the
/// optimizer states (8 bytes per trainable parameter in 32 bits) shrink by the same factor —
/// the paper's main memory saving (§4.2: GPT-3 175B, 1.2 TB → 350 GB of VRAM).
///
/// **Why α/r.** With A's init fixed, the size of s·B·A x grows with r; dividing by r lets
/// the paper set α once and stop retuning hyperparameters when r changes (§4.1). rsLoRA
/// shows (§3) that 1/r shrinks the update too fast for large r — higher ranks then learn no
/// better than low ones — and that only 1/√r keeps the adapter's outputs and gradients of
/// the same order as r grows.
///
/// ## Properties (each one is tested in `LoRATests`)
/// - With B = 0 the adapted layer computes exactly what the base layer does.
/// - Forward and merged weights match peft 0.21.2 on the reference cases (r = 4, α = 8, with
///   and without rsLoRA); the merged layer's output equals the adapter layer's.
/// - Backward agrees with finite differences for A, B and the input; W₀ and b get no gradient.
/// - Merge then unmerge restores W₀ to within one float32 ulp of |W₀| + |s·B·A|.
/// - Trainable-parameter counts for LLaMA-7B and GPT-3 follow from the shapes and match the
///   numbers the papers print.
///
/// ## What peft does differently
/// peft keeps several named adapters per layer (`lora_A["default"]`), supports embeddings,
/// convolutions, DoRA, quantized bases and `fan_in_fan_out` (GPT-2's Conv1D layout), and
/// merges with a NaN check (`safe_merge`). We keep one adapter per Linear and the default
/// `init_lora_weights=True`. peft names the frozen weight `…query.base_layer.weight`; we
/// keep the base layer's own parameter names, so a merged model saves like the original.
///
/// ### See Also
/// `LoRAAdapter` (the low-rank path: forward, backward, ΔW — exercises 6d, 6e, 6f) and
/// `LoRALinear` (a frozen `Linear` beside one adapter; `merge()`/`unmerge()` in
/// LoRAMerge.swift), `LoRAInjection`, `AdapterBudget`, `TransformerShape`; `NN.Linear`,
/// `NN.CausalSelfAttention`.
public struct LoRAConfig: Equatable, Sendable {
    /// r: the rank of the update.
    public var rank: Int
    /// α: the scale numerator (`lora_alpha`).
    public var alpha: Double
    /// rsLoRA: s = α/√r instead of α/r (`use_rslora`).
    public var useRSLoRA: Bool
    /// Dropout probability on the adapter's input while training (`lora_dropout`).
    public var dropout: Double
    /// The layers to adapt, matched against the end of each linear layer's dotted name the way
    /// peft matches a list of `target_modules` (`"query"` matches `blocks.0.attn.query`).
    public var targetModules: [String]

    public init(rank: Int, alpha: Double, useRSLoRA: Bool = false, dropout: Double = 0,
                targetModules: [String] = LoRAConfig.attentionQueryValue) {
        precondition(rank > 0, "LoRA: the rank must be positive, got \(rank)")
        precondition(dropout >= 0 && dropout < 1, "LoRA: dropout must be in [0, 1), got \(dropout)")
        self.rank = rank
        self.alpha = alpha
        self.useRSLoRA = useRSLoRA
        self.dropout = dropout
        self.targetModules = targetModules
    }

    /// s = α/r, or α/√r with rsLoRA — exactly peft's `scaling[adapter]`.
    public var scaling: Double { Self.scaling(rank: rank, alpha: alpha, useRSLoRA: useRSLoRA) }

    public static func scaling(rank: Int, alpha: Double, useRSLoRA: Bool) -> Double {
        useRSLoRA ? alpha / Double(rank).squareRoot() : alpha / Double(rank)
    }

    /// W_q and W_v: the pair the LoRA paper adapts in most of its experiments (§7.1, Table 5).
    public static let attentionQueryValue = ["query", "value"]
    /// All four attention projections.
    public static let attention = ["query", "key", "value", "output"]
    /// Every linear layer of a block (QLoRA's choice, Dettmers et al. 2023, §4), the output
    /// head excluded — the names of `CausalSelfAttention`'s and `TinyGPT`'s layers.
    public static let allLinear = attention + ["fc", "proj"]

    /// True when `name` is one of the targets: equal to one, or ending in "." + one.
    public func targets(_ name: String) -> Bool {
        targetModules.contains { name == $0 || name.hasSuffix("." + $0) }
    }
}
