import Core

/// Causal multi-head self-attention with its four projections, as in a GPT block
/// (Radford et al., GPT-2, 2019; Vaswani et al. 2017, §3.2.2 "Multi-Head Attention").
///
/// ```
/// x: [B][T][C]
/// q = x · W_qᵀ + b_q,  k = x · W_kᵀ + b_k,  v = x · W_vᵀ + b_v     (each W: [C][C])
/// a = ScaledDotProductAttention(heads)(q, k, v)                     [B][T][C]
/// y = a · W_oᵀ + b_o
/// ```
///
/// Backward runs the same chain in reverse; x feeds three projections, so its gradient is
/// the sum of the three: dx = dx_q + dx_k + dx_v.
///
/// GPT-2 packs W_q, W_k, W_v into one [3C][C] matrix (`c_attn`); we keep three separate
/// `Layer`s (as LLaMA's `q_proj`, `k_proj`, `v_proj` do) so that a LoRA adapter can replace
/// exactly the projections it targets — assign a new layer to `query` or `value`.
public final class CausalSelfAttention: Layer {
    public let channels: Int
    public let heads: Int
    public var query: any Layer
    public var key: any Layer
    public var value: any Layer
    public var output: any Layer
    public let attention: ScaledDotProductAttention

    public init(channels: Int, heads: Int, name: String, rng: inout SeededRNG) {
        precondition(
            channels % heads == 0,
            "CausalSelfAttention \(name): \(channels) channels do not split into \(heads) heads")
        self.channels = channels
        self.heads = heads
        query = Linear(inFeatures: channels, outFeatures: channels, name: name + ".query", rng: &rng)
        key = Linear(inFeatures: channels, outFeatures: channels, name: name + ".key", rng: &rng)
        value = Linear(inFeatures: channels, outFeatures: channels, name: name + ".value", rng: &rng)
        output = Linear(inFeatures: channels, outFeatures: channels, name: name + ".output", rng: &rng)
        attention = ScaledDotProductAttention(heads: heads)
    }

    public var parameters: [Parameter] {
        query.parameters + key.parameters + value.parameters + output.parameters
    }

    public func forward(_ x: Tensor) -> Tensor {
        let a = attention.forward(query: query.forward(x), key: key.forward(x), value: value.forward(x))
        return output.forward(a)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let (dq, dk, dv) = attention.backward(output.backward(dy))
        var dx = query.backward(dq)
        let dxKey = key.backward(dk)
        let dxValue = value.backward(dv)
        for i in dx.data.indices { dx.data[i] += dxKey.data[i] + dxValue.data[i] }
        return dx
    }
}
