/// # MoE — a sparse Mixture-of-Experts layer as Mixtral runs it (Chapter 8)
///
/// Sources: Jiang et al., "Mixtral of Experts" (2024), §2.1 "Sparse Mixture of Experts";
/// Fedus, Zoph & Shazeer, "Switch Transformers" (2021), §2.1–2.2 (expert capacity, the
/// load-balancing loss, eqs. 4–6); Zoph et al., "ST-MoE: Designing Stable and Transferable
/// Sparse Expert Models" (2022), §3 (the router z-loss, eq. 5). The order of operations
/// follows transformers 5.24.0 (`MixtralTopKRouter`, `MixtralSparseMoeBlock`,
/// `load_balancing_loss_func`), checked against its output in `MoETests/MoEReferenceTests`.
///
/// A Mixtral block replaces the one feed-forward network of a transformer layer by E experts
/// (E = 8) and a router, a bias-free linear map hidden → E. Every token goes to the K = 2
/// experts its router likes best, and the layer returns their outputs mixed by the router:
///
/// ```
/// x: [T][H]  tokens × hidden            W_g: [E][H]  router ("gate"), no bias
/// logits   z = x · W_gᵀ                                          [T][E]
/// p_t      = softmax(z_t) over all E experts, in float32          [T][E]
/// e_t,1..K = topK(p_t)                 highest probability first  [T][K]
/// w_t,k    = p_t,e_k / Σ_j p_t,e_j     the K kept probabilities renormalised to sum 1
/// y_t      = Σ_k w_t,k · FFN_{e_t,k}(x_t)
/// FFN_e(x) = W2_e · (silu(W1_e · x) ⊙ W3_e · x)                  SwiGLU, W1, W3: [I][H], W2: [H][I]
/// ```
///
/// Training adds the Switch Transformer's load-balancing loss (transformers' normalisation,
/// which counts all K slots: the f_e sum to K, so a perfectly uniform router scores K) and,
/// optionally, ST-MoE's z-loss:
///
/// ```
/// f_e   = (number of the T·K top-K slots that chose e) / T           Σ_e f_e = K
/// P_e   = (1/T) Σ_t p_t,e                                             Σ_e P_e = 1
/// L_aux = E · Σ_e f_e · P_e                 gradient only through P (the counts are constant)
/// L_z   = (1/T) Σ_t (log Σ_e exp z_t,e)²
/// L     = L_task + α · L_aux + β · L_z      α = router_aux_loss_coef, β = z-loss weight
/// ```
///
/// Which α Mixtral used is not in its paper (Jiang et al. 2024 give no coefficient and do not
/// describe the balancing loss at all). transformers' `MixtralConfig` defaults to α = 0.001;
/// the `config.json` released with Mixtral-8x7B-v0.1 says `"router_aux_loss_coef": 0.02`; the
/// Switch Transformer used α = 0.01 (§2.2). transformers' Mixtral has no z-loss term — ST-MoE's
/// z-loss is offered here as an option (β = 0 by default), not as something Mixtral does.
///
/// ## Properties (each one is tested in `MoETests`)
/// - Routing weights are ≥ 0 and sum to 1 for every token; the chosen experts are the K most
///   probable, highest first; ties are broken as `torch.topk` on the CPU breaks them.
/// - The layer's output, chosen experts, weights and L_aux match transformers 5.24.0.
/// - Uniform router probabilities give L_aux = K exactly; a router that sends every token to
///   the same K experts gives L_aux = E (its maximum with all probability on those experts).
/// - Every backward pass (expert, routing, whole layer with both auxiliary losses) agrees
///   with central finite differences.
/// - Grouped dispatch computes the same output as running every expert on every token and
///   masking — it only skips the work whose weight would be zero.
/// - Bad input (K < 1 or K > E, NaN or +∞ logits, a token whose logits are all −∞, mismatched
///   shapes) is a typed `MoEError`; an empty batch routes to nothing and has losses 0.
///
/// ## What transformers (and production MoE kernels) do differently
/// transformers loops over the experts that were hit and uses `index_add_`, as we do; vLLM,
/// MegaBlocks and llama.cpp sort tokens by expert and run one grouped (block-sparse) matmul.
/// Neither transformers' Mixtral nor Mistral's reference code drops tokens (the Mixtral paper
/// says nothing of a capacity): capacity and dropping are the Switch Transformer's (and
/// GShard's) answer for fixed-shape accelerators, offered here as an option. We compute softmax exponentials in Double and round to float32, so
/// probabilities may differ from PyTorch's in the last bit.
///
/// ### See Also
/// `TopKRouter` (routing), `TopK` and `TorchCPUTopK` (selection and ties),
/// `LoadBalancingLoss`, `RouterZLoss`, `SwiGLUExpert`, `ExpertDispatch` (grouping, capacity),
/// `SparseMoE` (the layer), `MoEClassifier`, `ClusteredTokens` and `MoETraining` (the chapter's
/// tiny model, its data and its training loop), `MixtralArithmetic`; `NN` for `Linear`, `GradientCheck` and the
/// cross-entropy; `Optimizers` for the AdamW that `MoETraining` uses.
public struct MoEConfiguration: Equatable, Sendable {
    /// H: the width of a token.
    public var hidden: Int
    /// I: the width inside each expert (Mixtral: 14336 for H = 4096).
    public var intermediate: Int
    /// E: the number of experts (`num_local_experts`).
    public var experts: Int
    /// K: experts per token (`num_experts_per_tok`).
    public var topK: Int
    /// α, the weight of the load-balancing loss (`router_aux_loss_coef`). The default 0.001 is
    /// transformers' `MixtralConfig` default; Mixtral-8x7B-v0.1's released config.json says 0.02.
    public var auxLossCoefficient: Double
    /// β, the weight of the router z-loss (ST-MoE uses 0.001; transformers' Mixtral has no
    /// z-loss term, hence 0).
    public var zLossCoefficient: Double
    /// Switch-style expert capacity factor; `nil` = no capacity limit, no dropped tokens (Mixtral).
    public var capacityFactor: Double?
    /// How ties between equal probabilities are broken (default: as torch.topk on the CPU).
    public var tieBreaking: TopKTieBreaking
    /// Multiplies the router's freshly drawn weights (1: PyTorch's `nn.Linear` default,
    /// U(±1/√H)); a small router starts near uniform routing. The Switch Transformer (§2.4)
    /// draws *every* weight at a tenth of the usual scale, for stability; this scales the
    /// router alone. Only `SparseMoE(_:name:rng:)` uses it.
    public var routerInitScale: Float

    public init(
        hidden: Int, intermediate: Int, experts: Int = 8, topK: Int = 2, auxLossCoefficient: Double = 0.001,
        zLossCoefficient: Double = 0, capacityFactor: Double? = nil, tieBreaking: TopKTieBreaking = .torchCPU,
        routerInitScale: Float = 1
    ) {
        self.hidden = hidden
        self.intermediate = intermediate
        self.experts = experts
        self.topK = topK
        self.auxLossCoefficient = auxLossCoefficient
        self.zLossCoefficient = zLossCoefficient
        self.capacityFactor = capacityFactor
        self.tieBreaking = tieBreaking
        self.routerInitScale = routerInitScale
    }

    /// Checks the numbers that could otherwise crash a forward pass.
    public func validate() throws(MoEError) {
        guard hidden > 0, intermediate > 0 else {
            throw .invalidConfiguration("hidden (\(hidden)) and intermediate (\(intermediate)) must be positive")
        }
        guard experts > 0 else { throw .invalidConfiguration("a MoE layer needs at least one expert") }
        guard topK >= 1 && topK <= experts else { throw .invalidTopK(k: topK, experts: experts) }
        guard auxLossCoefficient.isFinite, auxLossCoefficient >= 0, zLossCoefficient.isFinite, zLossCoefficient >= 0
        else {
            throw .invalidConfiguration("loss coefficients must be finite and ≥ 0")
        }
        if let capacityFactor, !(capacityFactor.isFinite && capacityFactor > 0) {
            throw .invalidCapacityFactor(capacityFactor)
        }
        guard routerInitScale.isFinite, routerInitScale >= 0 else {
            throw .invalidConfiguration("routerInitScale (\(routerInitScale)) must be finite and ≥ 0")
        }
    }
}
