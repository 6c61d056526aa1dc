import Core
import NN

/// A frozen `Linear` plus a trainable low-rank update — peft's `lora.Linear` for one adapter.
///
/// ```
/// x:  [rows][in]           (leading dimensions folded into rows, as NN.Linear)
/// W₀: [out][in], b: [out]  the base layer's parameters, frozen (isTrainable = false)
/// A:  [r][in]              lora_A.weight, Kaiming-uniform: U(−1/√in, 1/√in)
/// B:  [out][r]             lora_B.weight, zeros
/// x̃ = dropout(x)          (training only, p = config.dropout, survivors scaled by 1/(1 − p))
/// u = x̃ · Aᵀ              [rows][r]      — the cache for backward, with x̃
/// y = x · W₀ᵀ + b + s · (u · Bᵀ)          [rows][out]
/// ```
///
/// Why this init bound: `nn.init.kaiming_uniform_(A, a=√5)` draws U(−bound, bound) with
/// bound = gain · √(3 / fan_in) and gain = √(2 / (1 + a²)) = √(1/3), so bound = 1/√in —
/// the same as `nn.Linear`'s default, which is why peft's comment says "initialize A the same
/// way as the default for nn.Linear". (The draws come from our `SeededRNG`, so the numbers
/// differ from PyTorch's but not their distribution.)
///
/// The order of operations follows peft's `result + lora_B(lora_A(dropout(x))) * scaling`:
/// first u = x̃Aᵀ, then uBᵀ, then one multiplication by s, then the addition. The low-rank
/// path itself is `LoRAAdapter` (exercises 6d, 6e and 6f live there); this class is that adapter
/// beside a frozen float `Linear`, as `QLoRALinear` is the same adapter beside a 4-bit base.
public final class LoRALinear: Layer {
    /// The wrapped layer: W₀ and b, frozen.
    public let base: Linear
    /// The trainable low-rank path: A, B, s and dropout.
    public let adapter: LoRAAdapter
    /// True after `merge()`: W holds W₀ + s·B·A and the forward runs the base layer alone.
    public internal(set) var isMerged = false

    /// A: [r][in].
    public var loraA: Parameter { adapter.loraA }
    /// B: [out][r].
    public var loraB: Parameter { adapter.loraB }
    public var rank: Int { adapter.rank }
    public var alpha: Double { adapter.alpha }
    /// s = α/r, or α/√r with rsLoRA (stored as Float: the factor the forward multiplies by).
    public var scaling: Float { adapter.scaling }
    /// Dropout probability on the adapter's input.
    public var dropout: Double { adapter.dropout }
    /// Dropout is applied only while training (PyTorch's `module.train()` / `.eval()`).
    public var isTraining: Bool {
        get { adapter.isTraining }
        set { adapter.isTraining = newValue }
    }

    /// Wraps `base` with A ~ U(−1/√in, 1/√in) drawn from `rng` and B = 0 (peft's default
    /// `init_lora_weights=True`). Freezes the base layer's parameters.
    public convenience init(base: Linear, config: LoRAConfig, rng: inout SeededRNG) {
        let adapter = LoRAAdapter(
            inFeatures: base.inFeatures, outFeatures: base.outFeatures, name: Self.prefix(of: base), config: config,
            rng: &rng)
        self.init(base: base, adapter: adapter)
    }

    /// Wraps `base` with given A ([r][in]) and B ([out][r]) — for loading adapters and for
    /// the reference tests.
    public convenience init(base: Linear, config: LoRAConfig, a: [Float], b: [Float], dropoutSeed: UInt64 = 0) {
        let adapter = LoRAAdapter(
            inFeatures: base.inFeatures, outFeatures: base.outFeatures, name: Self.prefix(of: base), config: config,
            a: a, b: b, dropoutSeed: dropoutSeed)
        self.init(base: base, adapter: adapter)
    }

    /// `base` and an adapter of matching shape. Freezes the base layer's parameters.
    public init(base: Linear, adapter: LoRAAdapter) {
        precondition(
            adapter.inFeatures == base.inFeatures && adapter.outFeatures == base.outFeatures,
            "LoRA: adapter is \(adapter.outFeatures) × \(adapter.inFeatures), base is \(base.outFeatures) × \(base.inFeatures)")
        self.base = base
        self.adapter = adapter
        for p in base.parameters { p.isTrainable = false }
    }

    /// `blocks.0.attn.query` for a base whose weight is `blocks.0.attn.query.weight`.
    static func prefix(of base: Linear) -> String { String(base.weight.name.dropLast(".weight".count)) }

    public var inFeatures: Int { base.inFeatures }
    public var outFeatures: Int { base.outFeatures }

    /// W₀, b (frozen), then A and B — the order a checkpoint stores them in.
    public var parameters: [Parameter] { base.parameters + adapter.parameters }

    /// Restarts the dropout masks from `seed` (so a finite-difference check sees the same mask
    /// in every forward pass).
    public func reseedDropout(_ seed: UInt64) { adapter.reseedDropout(seed) }

    /// y = x · W₀ᵀ + b + s · (x̃ Aᵀ) Bᵀ.
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.cols == inFeatures, "LoRA \(loraA.name): input has \(x.cols) features, expected \(inFeatures)")
        var y = base.forward(x)  // x · W₀ᵀ + b  (after merge, W₀ + s·B·A)
        if isMerged { return y }
        let update = adapter.forward(x)  // s · (x̃ Aᵀ) Bᵀ
        for i in y.data.indices { y.data[i] += update.data[i] }
        return y
    }

    /// dx for dy, accumulating dA and dB only — W₀ and b are frozen and get no gradient:
    /// dx = dy · W₀ + the adapter's share (see `LoRAAdapter.backward`).
    public func backward(_ dy: Tensor) -> Tensor {
        precondition(!isMerged, "LoRA \(loraA.name): backward through a merged layer; unmerge() before training")
        let dxAdapter = adapter.backward(dy)
        let rows = dxAdapter.count / inFeatures
        var dx = Matmul.product(dy.data, base.weight.value, m: rows, k: outFeatures, n: inFeatures)
        for i in dx.indices { dx[i] += dxAdapter.data[i] }
        return Tensor(shape: dxAdapter.shape, data: dx)
    }
}
