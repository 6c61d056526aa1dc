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
/// first u = x̃Aᵀ, then uBᵀ, then one multiplication by s, then the addition.
public final class LoRALinear: Layer {
    /// The wrapped layer: W₀ and b, frozen.
    public let base: Linear
    /// A: [r][in].
    public let loraA: Parameter
    /// B: [out][r].
    public let loraB: Parameter
    public let rank: Int
    public let alpha: Double
    /// s = α/r, or α/√r with rsLoRA (stored as Float: the factor the forward multiplies by).
    public let scaling: Float
    /// Dropout probability on the adapter's input.
    public let dropout: Double
    /// Dropout is applied only while training (PyTorch's `module.train()` / `.eval()`).
    public var isTraining = true
    /// True after `merge()`: W holds W₀ + s·B·A and the forward runs the base layer alone.
    public internal(set) var isMerged = false

    /// The generator of the dropout masks (seeded from the init's generator).
    private var dropoutRNG: SeededRNG
    /// Cache for backward: x̃ [rows][in], u [rows][r], the dropout mask [rows][in] (empty when
    /// no dropout ran) and the input's shape.
    private var droppedInput: [Float] = []
    private var projected: [Float] = []
    private var mask: [Float] = []
    private var inputShape: [Int] = []

    /// Wraps `base` with A ~ U(−1/√in, 1/√in) drawn from `rng` and B = 0 (peft's default
    /// `init_lora_weights=True`). Freezes the base layer's parameters.
    public convenience init(base: Linear, config: LoRAConfig, rng: inout SeededRNG) {
        let bound = 1 / Double(base.inFeatures).squareRoot()
        let a = rng.uniformFloats(config.rank * base.inFeatures, -bound, bound)
        let b = [Float](repeating: 0, count: base.outFeatures * config.rank)
        self.init(base: base, config: config, a: a, b: b, dropoutSeed: rng.next())
    }

    /// Wraps `base` with given A ([r][in]) and B ([out][r]) — for loading adapters and for
    /// the reference tests.
    public init(base: Linear, config: LoRAConfig, a: [Float], b: [Float], dropoutSeed: UInt64 = 0) {
        let r = config.rank
        precondition(a.count == r * base.inFeatures,
                     "LoRA: A must be \(r) × \(base.inFeatures), got \(a.count) values")
        precondition(b.count == base.outFeatures * r,
                     "LoRA: B must be \(base.outFeatures) × \(r), got \(b.count) values")
        self.base = base
        let prefix = String(base.weight.name.dropLast(".weight".count))
        loraA = Parameter(name: prefix + ".lora_A.weight", shape: [r, base.inFeatures], value: a)
        loraB = Parameter(name: prefix + ".lora_B.weight", shape: [base.outFeatures, r], value: b)
        rank = r
        alpha = config.alpha
        scaling = Float(config.scaling)
        dropout = config.dropout
        dropoutRNG = SeededRNG(seed: dropoutSeed)
        for p in base.parameters { p.isTrainable = false }
    }

    public var inFeatures: Int { base.inFeatures }
    public var outFeatures: Int { base.outFeatures }

    /// W₀, b (frozen), then A and B — the order a checkpoint stores them in.
    public var parameters: [Parameter] { base.parameters + [loraA, loraB] }

    /// Restarts the dropout masks from `seed` (so a finite-difference check sees the same mask
    /// in every forward pass).
    public func reseedDropout(_ seed: UInt64) { dropoutRNG = SeededRNG(seed: seed) }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.cols == inFeatures, "LoRA \(loraA.name): input has \(x.cols) features, expected \(inFeatures)")
        var y = base.forward(x)  // x · W₀ᵀ + b  (after merge, W₀ + s·B·A)
        if isMerged { return y }
        let rows = x.rows
        inputShape = x.shape
        droppedInput = applyDropout(x.data)
        // BEGIN EXERCISE 6.4 — LoRA forward
        // u = x̃ · Aᵀ: [rows][in] · ([r][in])ᵀ → [rows][r].
        projected = Matmul.productTransposingB(droppedInput, loraA.value, m: rows, k: inFeatures, n: rank)
        // v = u · Bᵀ: [rows][r] · ([out][r])ᵀ → [rows][out]; then y += s · v.
        let update = Matmul.productTransposingB(projected, loraB.value, m: rows, k: rank, n: outFeatures)
        for i in y.data.indices { y.data[i] += update[i] * scaling }
        // END EXERCISE 6.4
        return y
    }

    /// dx for dy, accumulating dA and dB only — W₀ and b are frozen and get no gradient.
    ///
    /// ```
    /// g   = s · dy                              [rows][out]
    /// dB += gᵀ · u                              [out][r]
    /// du  = g · B                               [rows][r]
    /// dA += duᵀ · x̃                            [r][in]
    /// dx  = dy · W₀ + (du · A) ⊙ mask/(1 − p)   [rows][in]   (the mask only if dropout ran)
    /// ```
    public func backward(_ dy: Tensor) -> Tensor {
        precondition(!isMerged, "LoRA \(loraA.name): backward through a merged layer; unmerge() before training")
        precondition(!inputShape.isEmpty, "LoRA \(loraA.name): backward called before forward")
        let rows = Tensor.elementCount(inputShape) / inFeatures
        precondition(dy.count == rows * outFeatures, "LoRA \(loraA.name): dy has shape \(dy.shape)")
        var dx = Matmul.product(dy.data, base.weight.value, m: rows, k: outFeatures, n: inFeatures)
        // BEGIN EXERCISE 6.5 — LoRA backward
        let g = dy.data.map { $0 * scaling }
        Matmul.accumulateTransposingA(into: &loraB.grad, g, projected, m: outFeatures, k: rows, n: rank)
        let du = Matmul.product(g, loraB.value, m: rows, k: outFeatures, n: rank)
        Matmul.accumulateTransposingA(into: &loraA.grad, du, droppedInput, m: rank, k: rows, n: inFeatures)
        var dxAdapter = Matmul.product(du, loraA.value, m: rows, k: rank, n: inFeatures)
        if !mask.isEmpty {
            for i in dxAdapter.indices { dxAdapter[i] *= mask[i] }
        }
        for i in dx.indices { dx[i] += dxAdapter[i] }
        // END EXERCISE 6.5
        return Tensor(shape: inputShape, data: dx)
    }

    /// x̃ = x ⊙ mask, mask[i] = 0 with probability p, else 1/(1 − p) (inverted dropout, as
    /// `nn.Dropout`). Without dropout (p = 0, or not training) x̃ is x and no mask is kept.
    private func applyDropout(_ x: [Float]) -> [Float] {
        guard isTraining && dropout > 0 else {
            mask = []
            return x
        }
        let keep = Float(1 / (1 - dropout))
        mask = x.indices.map { _ in dropoutRNG.uniform() < dropout ? 0 : keep }
        return zip(x, mask).map { $0 * $1 }
    }
}
