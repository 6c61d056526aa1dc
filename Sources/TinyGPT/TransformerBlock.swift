import Core
import NN

/// A block's MLP: C → H → C with GELU between (nanoGPT's `MLP`: `c_fc`, `gelu`, `c_proj`).
///
/// ```
/// x: [rows][C] → fc: [rows][H] → GELU → proj: [rows][C]        H = mlpRatio · C
/// ```
///
/// `NN.MLP` is a classifier with a fixed list of layers; this one keeps `fc` and `proj` as
/// replaceable `any Layer` slots, so LoRA can wrap them ("all linear layers").
public final class FeedForward: Layer {
    public var fc: any Layer
    public let activation = GELU()
    public var proj: any Layer

    public init(channels: Int, hidden: Int, name: String, rng: inout SeededRNG) {
        fc = Linear(inFeatures: channels, outFeatures: hidden, name: name + ".fc", rng: &rng)
        proj = Linear(inFeatures: hidden, outFeatures: channels, name: name + ".proj", rng: &rng)
    }

    public var parameters: [Parameter] { fc.parameters + proj.parameters }

    public func forward(_ x: Tensor) -> Tensor {
        proj.forward(activation.forward(fc.forward(x)))
    }

    public func backward(_ dy: Tensor) -> Tensor {
        fc.backward(activation.backward(proj.backward(dy)))
    }
}

/// One pre-LayerNorm transformer block with its two residual connections (GPT-2 §2.3;
/// nanoGPT's `Block`; llm.c's per-layer forward).
///
/// ```
/// x: [B][T][C]
/// h = x + attn(ln1(x))
/// y = h + mlp(ln2(h))
/// ```
///
/// Backward: a residual connection copies its input to two places, so the gradient reaching
/// the input is the sum of the two paths — the skip path passes dy through unchanged.
///
/// ```
/// dh = dy + ln2ᵀ(mlpᵀ(dy))
/// dx = dh + ln1ᵀ(attnᵀ(dh))
/// ```
public final class TransformerBlock: Layer {
    public let ln1: LayerNorm
    public let attention: CausalSelfAttention
    public let ln2: LayerNorm
    public let mlp: FeedForward

    /// `name` is the block's prefix, e.g. `blocks.0`.
    public init(channels: Int, heads: Int, mlpRatio: Int, name: String, rng: inout SeededRNG) {
        ln1 = LayerNorm(features: channels, name: name + ".ln1")
        attention = CausalSelfAttention(channels: channels, heads: heads, name: name + ".attn", rng: &rng)
        ln2 = LayerNorm(features: channels, name: name + ".ln2")
        mlp = FeedForward(channels: channels, hidden: mlpRatio * channels, name: name + ".mlp", rng: &rng)
    }

    public var parameters: [Parameter] {
        ln1.parameters + attention.parameters + ln2.parameters + mlp.parameters
    }

    public func forward(_ x: Tensor) -> Tensor {
        var h = attention.forward(ln1.forward(x))
        add(x, into: &h)
        var y = mlp.forward(ln2.forward(h))
        add(h, into: &y)
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var dh = ln2.backward(mlp.backward(dy))
        add(dy, into: &dh)
        var dx = ln1.backward(attention.backward(dh))
        add(dh, into: &dx)
        return dx
    }

    /// y += x, element by element (the residual connection).
    private func add(_ x: Tensor, into y: inout Tensor) {
        precondition(x.count == y.count, "TransformerBlock: residual shapes differ")
        for i in y.data.indices { y.data[i] += x.data[i] }
    }
}
