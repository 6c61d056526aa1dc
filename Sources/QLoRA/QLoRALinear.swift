import Core
import LoRA
import NN

/// A LoRA adapter on a frozen 4-bit base — one QLoRA layer (Dettmers et al. 2023, §3, eq. 5;
/// peft's `lora.Linear4bit`).
///
/// ```
/// x:  [rows][in]
/// Y = X · doubleDequant(c₁, c₂, W^NF4)ᵀ + b  +  s · X · Aᵀ · Bᵀ        (the paper's eq. 5, with
///                                                                     L₁ = Aᵀ, L₂ = Bᵀ, s = α/r)
///     └── base: NF4Linear (frozen) ──┘        └── adapter: LoRAAdapter (float32, trained) ──┘
/// dx = dy · Ŵ  +  adapter's dx              dA, dB accumulate; W^NF4 and b get nothing
/// ```
///
/// The two halves are separate layers on purpose: the base is exactly `NF4Linear`, the adapter
/// exactly `LoRAAdapter` (whose arithmetic is `LoRALinear`'s), and this class only adds their
/// outputs and their input gradients. So with B = 0 the layer computes what the dequantized
/// base computes, bit for bit, and with a float `Linear` in place of the 4-bit base it would be
/// `LoRALinear` again (both tested).
///
/// The paper's §3 on the gradient: "we only compute the gradient for the adapter weights
/// ∂E/∂L_i and not for the 4-bit weights ∂E/∂W. However, the calculation of ∂E/∂L_i entails the
/// calculation of ∂X/∂W which proceeds via equation (5) with dequantization from storage
/// W^NF4 to computation data type W^BF16." That is `NF4Linear.backward`.
public final class QLoRALinear: Layer {
    /// The frozen 4-bit W and float bias.
    public let base: NF4Linear
    /// A and B, trainable, float32.
    public let adapter: LoRAAdapter

    public init(base: NF4Linear, adapter: LoRAAdapter) {
        precondition(adapter.inFeatures == base.inFeatures && adapter.outFeatures == base.outFeatures,
                     "QLoRA \(base.name): adapter \(adapter.inFeatures) → \(adapter.outFeatures) does not fit "
                        + "base \(base.inFeatures) → \(base.outFeatures)")
        self.base = base
        self.adapter = adapter
    }

    /// Quantizes `linear` (NF4 + double quantization, blocks of `blockSize`) and puts a fresh
    /// adapter on it: A from `rng` exactly as `LoRALinear(base:config:rng:)` would draw it, B = 0.
    public convenience init(quantizing linear: Linear, config: LoRAConfig, blockSize: Int = 64,
                            doubleQuantization: Bool = true, rng: inout SeededRNG) throws {
        let base = try NF4Linear(quantizing: linear, blockSize: blockSize, doubleQuantization: doubleQuantization)
        let adapter = LoRAAdapter(inFeatures: base.inFeatures, outFeatures: base.outFeatures, name: base.name,
                                  config: config, rng: &rng)
        self.init(base: base, adapter: adapter)
    }

    public var inFeatures: Int { base.inFeatures }
    public var outFeatures: Int { base.outFeatures }

    /// The frozen bias (if any), then A and B.
    public var parameters: [Parameter] { base.parameters + adapter.parameters }

    public func forward(_ x: Tensor) -> Tensor {
        var y = base.forward(x)
        let update = adapter.forward(x)
        for i in y.data.indices { y.data[i] += update.data[i] }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var dx = base.backward(dy)
        let dxAdapter = adapter.backward(dy)
        for i in dx.data.indices { dx.data[i] += dxAdapter.data[i] }
        return dx
    }
}
