import Core

/// The float32 Adam update for one tensor, shared by every optimizer in this module — the
/// 8-bit optimizer runs exactly this between dequantizing and requantizing its states.
///
/// ```
/// p, g, m, v: [count] Float, the same flat order
/// m ← fma(g, (1 − β₁), m · β₁)                      one rounding for m·β₁, one for the fma
/// v ← fma((1 − β₂) · g, g, v · β₂)
/// c₁ = 1 − β₁ᵗ,  c₂ = √(1 − β₂ᵗ)                     in Double, as Python computes them
/// d  = √v / float(c₂) + float(ε)
/// p ← p · float(1 − lr·λ)                            only when λ > 0
/// p ← p + (float(−lr / c₁) · m) / d
/// ```
///
/// Why the fused multiply-adds: to reproduce bitsandbytes' CPU kernel bit for bit. It runs
/// PyTorch tensor ops (`m.mul_(β₁).add_(g, alpha=1−β₁)`, `v.mul_(β₂).addcmul_(g, g,
/// value=1−β₂)`, `p.addcdiv_(m, d, value=−lr/c₁)`), and PyTorch's AVX2 kernels compute
/// `add_(alpha=)` as one FMA and let the compiler contract `v + s·g·g` into one. Written
/// without them, one absmax of v in 32 differs by an ulp after the second step of the
/// reference case (see `Adam8bitReferenceTests`). Swift never contracts on its own, so the
/// order of roundings here is exactly the order written.
public enum AdamUpdate {

    /// The bias corrections for step t (t ≥ 1): c₁ = 1 − β₁ᵗ and c₂ = √(1 − β₂ᵗ).
    public static func biasCorrections(step t: Int, _ h: AdamHyperparameters)
        -> (c1: Double, c2: Double)
    {
        precondition(t >= 1, "Adam steps count from 1")
        return (1 - Math.pow(h.beta1, Double(t)), (1 - Math.pow(h.beta2, Double(t))).squareRoot())
    }

    /// One Adam(W) step for one tensor, in place.
    public static func apply(
        parameter p: inout [Float], gradient g: [Float], m: inout [Float], v: inout [Float],
        step t: Int, _ h: AdamHyperparameters
    ) {
        precondition(
            g.count == p.count && m.count == p.count && v.count == p.count,
            "AdamUpdate: sizes differ")
        let beta1 = Float(h.beta1), oneMinusBeta1 = Float(1 - h.beta1)
        let beta2 = Float(h.beta2), oneMinusBeta2 = Float(1 - h.beta2)
        let (c1, c2) = biasCorrections(step: t, h)
        let stepSize = Float(-h.learningRate / c1)
        let correction2 = Float(c2)
        let epsilon = Float(h.epsilon)
        let decay = Float(1 - h.learningRate * h.weightDecay)
        for i in p.indices {
            m[i] = (m[i] * beta1).addingProduct(g[i], oneMinusBeta1)
            v[i] = (v[i] * beta2).addingProduct(oneMinusBeta2 * g[i], g[i])
            let denominator = v[i].squareRoot() / correction2 + epsilon
            var value = p[i]
            if h.weightDecay > 0 { value *= decay }
            p[i] = value + (stepSize * m[i]) / denominator
        }
    }
}
