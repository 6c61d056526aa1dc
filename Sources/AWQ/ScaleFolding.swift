/// Folding the scales into the model so that it computes the same function (paper §3.2:
/// "Q(w · s) · (x / s)"; the reference's `apply_scale` → `scale_ln_fcs` / `scale_fc_fc`).
///
/// AWQ multiplies each input channel c of the quantized linears by s[c]. For the output to
/// stay the same, the activation must be divided by s[c] — and that division is folded into
/// whatever produced the activation, so inference pays nothing:
///
/// ```
/// LayerNorm before the linears:  y = γ ⊙ x̂ + β   →   γ' = γ / s,  β' = β / s
///                                W' = W · diag(s)  for every linear reading y
/// Linear before the linear:      h = W₁ x + b₁   →   row c of W₁ and b₁[c] divided by s[c]
///                                W₂' = W₂ · diag(s)
/// ```
///
/// Property (tested): before quantization the folded model computes the same outputs up to
/// float32 rounding (W' · (y / s) = W · y in exact arithmetic). The quantized model then
/// stores Q(W') — the reference's `Q_scaled` — and multiplies it by the folded activations.
///
/// The reference also handles a GELU before the linear (a `ScaledActivation` that divides its
/// output by s: PostTraining's `AWQScaledActivation` on TinyGPT's MLP) and RMSNorm (a
/// LayerNorm without β); both are the same idea.
public enum ScaleFolding {

    /// A LayerNorm's affine parameters: γ (weight) and β (bias), one per channel.
    public struct LayerNormAffine: Sendable, Equatable {
        public var gamma: [Float]
        public var beta: [Float]
        public init(gamma: [Float], beta: [Float]) {
            precondition(
                gamma.count == beta.count, "LayerNormAffine: \(gamma.count) γ, \(beta.count) β")
            self.gamma = gamma
            self.beta = beta
        }
    }

    /// Folds 1/s into the LayerNorm before `linears` and s into the linears' columns
    /// (`ln.weight.div_(s)`, `ln.bias.div_(s)`, `fc.weight.mul_(s)`, all float32).
    public static func foldIntoLayerNorm(
        _ norm: LayerNormAffine, linears: [LinearWeight], scales s: [Float]
    ) -> (norm: LayerNormAffine, linears: [LinearWeight]) {
        precondition(
            norm.gamma.count == s.count && linears.allSatisfy { $0.columns == s.count },
            "foldIntoLayerNorm: \(s.count) scales do not match the LayerNorm or the linears")
        // BEGIN EXERCISE 10d — folding the scales into a LayerNorm
        let folded = LayerNormAffine(
            gamma: zip(norm.gamma, s).map { $0 / $1 },
            beta: zip(norm.beta, s).map { $0 / $1 })
        return (folded, linears.map { $0.scalingColumns(by: s) })
        // END EXERCISE 10d
    }

    /// Folds 1/s into the previous linear's output rows (and bias) and s into the next
    /// linear's columns (the reference's `scale_fc_fc`). `previous` has s.count rows.
    public static func foldIntoPreviousLinear(
        _ previous: LinearWeight, bias: [Float]?, next: LinearWeight, scales s: [Float]
    ) -> (previous: LinearWeight, bias: [Float]?, next: LinearWeight) {
        precondition(
            previous.rows == s.count && next.columns == s.count
                && (bias?.count ?? s.count) == s.count,
            "foldIntoPreviousLinear: \(s.count) scales do not match the layers")
        var rowsDivided = previous.values
        for r in 0..<previous.rows {
            for c in 0..<previous.columns { rowsDivided[r * previous.columns + c] /= s[r] }
        }
        let newBias = bias.map { zip($0, s).map { $0 / $1 } }
        return (
            LinearWeight(rowsDivided, rows: previous.rows, columns: previous.columns), newBias,
            next.scalingColumns(by: s)
        )
    }
}
