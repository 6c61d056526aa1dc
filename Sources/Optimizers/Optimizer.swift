import NN

/// # Optimizers — AdamW in 32 bits, 8-bit blockwise Adam, and paged optimizer states (Chapter 5)
///
/// Sources: Kingma & Ba, "Adam" (ICLR 2015), Algorithm 1; Loshchilov & Hutter, "Decoupled
/// Weight Decay Regularization" (ICLR 2019), Algorithm 2 (AdamW); Dettmers, Lewis, Shleifer &
/// Zettlemoyer, "8-bit Optimizers via Block-wise Quantization" (ICLR 2022), §2 (block-wise
/// quantization, dynamic quantization) and §2.3 (the 8-bit optimizer loop); Dettmers et al.,
/// "QLoRA" (2023), §3 ("Paged Optimizers"). Arithmetic follows bitsandbytes 0.50.2's CPU
/// kernel (`backends/cpu/ops.py`, `_optimizer_update_8bit_blockwise_cpu`) and
/// `torch.optim.AdamW`.
///
/// Adam keeps two running averages per parameter — the first moment m (a signed mean of
/// gradients) and the second moment v (a mean of squared gradients) — and AdamW decays the
/// weights separately from the gradient:
///
/// ```
/// m ← β₁ m + (1 − β₁) g                   v ← β₂ v + (1 − β₂) g²
/// c₁ = 1 − β₁ᵗ                            c₂ = √(1 − β₂ᵗ)          (bias corrections)
/// θ ← θ · (1 − lr · λ)                                             (decoupled weight decay)
/// θ ← θ − (lr / c₁) · m / (√v / c₂ + ε)
/// ```
///
/// In 32 bits m and v cost 8 bytes per parameter — twice the weights themselves. The 8-bit
/// optimizer stores each of them blockwise-quantized (blocks of 256, one float32 absmax per
/// block; m with the *signed* dynamic map, v ≥ 0 with the *unsigned* one) and runs
///
/// ```
/// m, v  = dequantize(codes₁, absmax₁), dequantize(codes₂, absmax₂)
/// update θ, m, v in float32 exactly as above
/// codes₁, absmax₁ = quantize(m);  codes₂, absmax₂ = quantize(v)        (fresh absmax)
/// ```
///
/// for 2 + 8/256 ≈ 2.03 bytes per parameter. Tensors with fewer than 4096 values keep 32-bit
/// states (`min_8bit_size`): they are cheap, and biases and norms are the most sensitive.
///
/// ## Properties (each one is tested in `OptimizersTests`)
/// - One AdamW step equals a hand-computed step; five steps track `torch.optim.Adam`.
/// - 8-bit Adam reproduces bitsandbytes' state codes and absmax **bit for bit** over five
///   steps of the reference case, and its parameters to within one float32 ulp per step.
/// - On the MLP task, 8-bit Adam's loss curve stays within a stated margin of 32-bit Adam's.
/// - Paging never changes a number: a paged run under a tight budget ends with the same
///   parameters, bit for bit, as an unpaged run under a generous one.
///
/// ## What bitsandbytes does differently
/// It fuses dequantize-update-requantize into one GPU kernel (one thread block per 2048- or
/// 256-value block, the states never leave registers in float32); we call three loops so each
/// step is visible. Percentile clipping, `max_unorm`, and the LAMB/LARS trust ratios are left
/// out. Its 32-bit CUDA kernel writes the update as (lr·c₂/c₁)·m / (√v + ε·c₂), algebraically
/// the same; we use the form of its 8-bit CPU kernel and of PyTorch everywhere.
///
/// ### See Also
/// `AdamUpdate`, `AdamOptimizer` (`AdamW`, `Adam8bit`), `BlockwiseAdamState`,
/// `OptimizerMemory`, `AcceleratorMemory`, `PagedStateStore`, `PagedAdam`, `PagingSimulation`;
/// `Blockwise8` for the dynamic map and the block quantizer.
public protocol Optimizer: AnyObject {
    /// The parameters this optimizer updates, in the order given at creation.
    var parameters: [Parameter] { get }
    /// Steps taken so far (t in the bias corrections; the first step is t = 1).
    var stepCount: Int { get }
    /// Updates every trainable parameter from its `grad`. Only paged optimizers can throw
    /// (when simulated accelerator memory runs out).
    func step() throws
    /// Bytes of optimizer state, for the memory tables.
    var stateBytes: Int { get }
}

/// Adam's hyperparameters, as Double like the Python floats bitsandbytes and PyTorch take.
/// The defaults are `torch.optim.Adam`'s; `torch.optim.AdamW` defaults to weight decay 0.01.
public struct AdamHyperparameters: Equatable, Sendable {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// λ of decoupled weight decay: θ ← θ · (1 − lr · λ) before each update.
    public var weightDecay: Double

    public init(
        learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, weightDecay: Double = 0
    ) {
        precondition(
            learningRate >= 0 && epsilon >= 0 && weightDecay >= 0, "Adam: negative hyperparameter")
        precondition(
            (0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam: betas must be in [0, 1)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
}
