import Core

/// LayerNorm without a layer object: the arithmetic of `LayerNorm.referenceForward`, row by
/// row, for models that only run forward and hold their γ and β as plain arrays (the BERT
/// encoder, whose weights come from a checkpoint and which must stay a `Sendable` value — the
/// `LayerNorm` class caches x̂ for backward, which inference never needs).
///
/// ```
/// x, y: [rows][C]     γ, β: [C]
/// μ = (1/C) Σⱼ xⱼ,  σ² = (1/C) Σⱼ (xⱼ − μ)²,  yⱼ = γⱼ · (xⱼ − μ) / √(σ² + ε) + βⱼ
/// ```
///
/// Same operations in the same order as `referenceForward` (sums over j from 0, in Float;
/// r = 1/√(σ² + ε) computed once per row), so the same Floats bit for bit.
extension LayerNorm {
    public static func normalizeRows(
        _ x: [Float], features c: Int, gamma: [Float], beta: [Float], epsilon: Float
    ) -> [Float] {
        precondition(c > 0 && x.count % c == 0, "normalizeRows: \(x.count) values are not rows of \(c)")
        precondition(gamma.count == c && beta.count == c, "normalizeRows: γ and β must hold \(c) values")
        return uninitializedFloats(count: x.count) { y in
            x.withUnsafeBufferPointer { x in
            gamma.withUnsafeBufferPointer { gamma in
            beta.withUnsafeBufferPointer { beta in
                for r in 0..<(x.count / c) {
                    let row = r &* c
                    var mean: Float = 0
                    for j in 0..<c { mean += x[row &+ j] }
                    mean /= Float(c)
                    var variance: Float = 0
                    for j in 0..<c {
                        let d = x[row &+ j] - mean
                        variance += d * d
                    }
                    variance /= Float(c)
                    let rstd = 1 / (variance + epsilon).squareRoot()
                    for j in 0..<c {
                        y[row &+ j] = gamma[j] * ((x[row &+ j] - mean) * rstd) + beta[j]
                    }
                }
            }}}
        }
    }
}
