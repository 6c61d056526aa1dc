import Core
import NN

/// The low-rank path of LoRA on its own, for a base layer that is not a plain `Linear` — peft's
/// `LoraLayer` with `base_layer` any module, as in `lora.Linear4bit` (peft's
/// `tuners/lora/bnb.py`), whose forward is `result = base_layer(x)` followed by
/// `result + lora_B(lora_A(dropout(x))) * scaling`.
///
/// ```
/// x:  [rows][in]          A: [r][in]  (lora_A.weight)      B: [out][r]  (lora_B.weight, zeros)
/// x̃ = dropout(x)          u = x̃ · Aᵀ  [rows][r]            Δy = s · (u · Bᵀ)  [rows][out]
/// ```
///
/// The arithmetic, the parameter names and the initialisation are `LoRALinear`'s exactly: built
/// from the same generator, an adapter draws the same A and the same dropout seed as a
/// `LoRALinear` would, and `base(x) + adapter(x)` rounds exactly as `LoRALinear.forward` does
/// (a test in `QLoRATests` checks both passes bit for bit). `LoRALinear` is this adapter beside a
/// frozen float `Linear`; `QLoRALinear` puts the same adapter on a 4-bit base without a float
/// copy of W.
///
/// Backward, for dL/dΔy given (the adapter half of `LoRALinear.backward`):
///
/// ```
/// g = s · dy;  dB += gᵀ · u;  du = g · B;  dA += duᵀ · x̃;  dx = (du · A) ⊙ mask/(1 − p)
/// ```
public final class LoRAAdapter: Layer {
    public let inFeatures: Int
    public let outFeatures: Int
    /// A: [r][in].
    public let loraA: Parameter
    /// B: [out][r].
    public let loraB: Parameter
    public let rank: Int
    public let alpha: Double
    /// s = α/r, or α/√r with rsLoRA, as the Float the forward multiplies by.
    public let scaling: Float
    public let dropout: Double
    /// Dropout runs only while training.
    public var isTraining = true

    private var dropoutRNG: SeededRNG
    /// Cache for backward: x̃ [rows][in], u = x̃ · Aᵀ [rows][r] (the forward pass stores it),
    /// the dropout mask [rows][in] (empty when no dropout ran) and the input's shape.
    private var droppedInput: [Float] = []
    public private(set) var projected: [Float] = []
    private var mask: [Float] = []
    private var inputShape: [Int] = []

    /// An adapter for an in → out layer named `name` (`blocks.0.attn.query`): A ~ U(−1/√in,
    /// 1/√in) from `rng`, B = 0, then one draw for the dropout seed — `LoRALinear`'s order.
    public convenience init(inFeatures: Int, outFeatures: Int, name: String, config: LoRAConfig, rng: inout SeededRNG) {
        let bound = 1 / Double(inFeatures).squareRoot()
        let a = rng.uniformFloats(config.rank * inFeatures, -bound, bound)
        let b = [Float](repeating: 0, count: outFeatures * config.rank)
        self.init(inFeatures: inFeatures, outFeatures: outFeatures, name: name, config: config, a: a, b: b,
                  dropoutSeed: rng.next())
    }

    /// An adapter with given A ([r][in]) and B ([out][r]).
    public init(inFeatures: Int, outFeatures: Int, name: String, config: LoRAConfig, a: [Float], b: [Float],
                dropoutSeed: UInt64 = 0) {
        let r = config.rank
        precondition(a.count == r * inFeatures, "LoRA adapter \(name): A must be \(r) × \(inFeatures), got \(a.count) values")
        precondition(b.count == outFeatures * r, "LoRA adapter \(name): B must be \(outFeatures) × \(r), got \(b.count) values")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        loraA = Parameter(name: name + ".lora_A.weight", shape: [r, inFeatures], value: a)
        loraB = Parameter(name: name + ".lora_B.weight", shape: [outFeatures, r], value: b)
        rank = r
        alpha = config.alpha
        scaling = Float(config.scaling)
        dropout = config.dropout
        dropoutRNG = SeededRNG(seed: dropoutSeed)
    }

    /// A, then B.
    public var parameters: [Parameter] { [loraA, loraB] }

    /// Restarts the dropout masks from `seed`.
    public func reseedDropout(_ seed: UInt64) { dropoutRNG = SeededRNG(seed: seed) }

    /// Δy = s · B · A · x̃, [rows][out] — to be added to the base layer's output.
    ///
    /// In peft's order, which the printed numbers of Chapters 6 and 7 depend on bit for bit:
    /// u = x̃ · Aᵀ (cached in `projected` for backward), then u · Bᵀ, then each value times s —
    /// the two products by `Matmul.productTransposingB` (sums over k in order, from 0).
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.cols == inFeatures, "LoRA adapter \(loraA.name): input has \(x.cols) features, expected \(inFeatures)")
        let rows = x.rows
        inputShape = x.shape
        droppedInput = applyDropout(x.data)
        // BEGIN EXERCISE 6d — LoRA forward
        // u = x̃ · Aᵀ: [rows][in] · ([r][in])ᵀ → [rows][r].
        projected = Matmul.productTransposingB(droppedInput, loraA.value, m: rows, k: inFeatures, n: rank)
        // v = u · Bᵀ: [rows][r] · ([out][r])ᵀ → [rows][out]; then Δy = s · v.
        var update = Matmul.productTransposingB(projected, loraB.value, m: rows, k: rank, n: outFeatures)
        for i in update.indices { update[i] *= scaling }
        return Tensor(shape: Array(x.shape.dropLast()) + [outFeatures], data: update)
        // END EXERCISE 6d
    }

    /// The adapter's share of dL/dx; accumulates dA and dB (formulas in the type's comment).
    ///
    /// In this order, which the printed numbers of Chapters 6 and 7 depend on bit for bit:
    /// g = each value of dy times s; dB += gᵀ · u and dA += duᵀ · x̃ by
    /// `Matmul.accumulateTransposingA` (each term added onto the gradient already there, rows
    /// in order); du = g · B and dx = du · A by `Matmul.product` (from 0, in order); then
    /// dx times the dropout mask, when dropout ran.
    public func backward(_ dy: Tensor) -> Tensor {
        precondition(!inputShape.isEmpty, "LoRA adapter \(loraA.name): backward called before forward")
        let rows = Tensor.elementCount(inputShape) / inFeatures
        precondition(dy.count == rows * outFeatures, "LoRA adapter \(loraA.name): dy has shape \(dy.shape)")
        // BEGIN EXERCISE 6e — LoRA backward
        let g = dy.data.map { $0 * scaling }
        Matmul.accumulateTransposingA(into: &loraB.grad, g, projected, m: outFeatures, k: rows, n: rank)
        let du = Matmul.product(g, loraB.value, m: rows, k: outFeatures, n: rank)
        Matmul.accumulateTransposingA(into: &loraA.grad, du, droppedInput, m: rank, k: rows, n: inFeatures)
        var dx = Matmul.product(du, loraA.value, m: rows, k: rank, n: inFeatures)
        if !mask.isEmpty {
            for i in dx.indices { dx[i] *= mask[i] }
        }
        return Tensor(shape: inputShape, data: dx)
        // END EXERCISE 6e
    }

    /// ΔW = s · B · A, [out][in], in the base weight's layout (peft's `(B @ A) * scaling`):
    /// first B · A by `Matmul.product` (sums over r in order, from 0), then each value times s.
    public var deltaWeight: [Float] {
        // BEGIN EXERCISE 6f — merge
        // B · A: [out][r] · [r][in] → [out][in]; then scale, as peft's `(B @ A) * scaling`.
        var delta = Matmul.product(loraB.value, loraA.value, m: outFeatures, k: rank, n: inFeatures)
        for i in delta.indices { delta[i] *= scaling }
        return delta
        // END EXERCISE 6f
    }

    /// Floats this adapter keeps for backward beyond its input (which the base layer caches
    /// too): u, [rows][r].
    public func cachedFloats(rows: Int) -> Int { rows * rank }

    /// Inverted dropout, as `LoRALinear` applies it.
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
