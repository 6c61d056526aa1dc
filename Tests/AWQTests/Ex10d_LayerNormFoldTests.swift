import AWQ
import Core
import Testing

/// Exercise 10d: folding 1/s into the LayerNorm before the linears (γ' = γ / s, β' = β / s)
/// and s into the linears' columns, so the model computes the same function.
@Suite struct Ex10d_LayerNormFoldTests {

    /// γ = [2, 3], β = [1, −1], s = [2, 0.5]: γ' = [1, 6], β' = [0.5, −2]; W = [[1, 1]]
    /// becomes [[2, 0.5]].
    @Test func foldedParametersByHand() {
        let norm = ScaleFolding.LayerNormAffine(gamma: [2, 3], beta: [1, -1])
        let w = LinearWeight([1, 1], rows: 1, columns: 2)
        let folded = ScaleFolding.foldIntoLayerNorm(norm, linears: [w], scales: [2, 0.5])
        #expect(folded.norm.gamma == [1, 6])
        #expect(folded.norm.beta == [0.5, -2])
        #expect(folded.linears.first?.values == [2, 0.5])
    }

    /// Before quantization, W' · LN'(x) = W · LN(x) for q/k/v-like linears sharing the
    /// LayerNorm. Tolerance 1e-5 of the largest output: both sides round each product and
    /// sum differently (observed ~1e-7).
    @Test func foldedModelComputesTheSameOutputs() {
        var rng = SeededRNG(seed: 707)
        let (tokens, channels) = (32, 48)
        let x = rng.normalFloats(tokens * channels, mean: 0.3, std: 2)
        let norm = ScaleFolding.LayerNormAffine(
            gamma: rng.normalFloats(channels, mean: 1, std: 0.3),
            beta: rng.normalFloats(channels, std: 0.2))
        let linears = [16, 8].map {
            LinearWeight(rng.normalFloats($0 * channels, std: 0.1), rows: $0, columns: channels)
        }
        let s = (0..<channels).map { _ in Float(rng.uniform(0.1, 8)) }
        let folded = ScaleFolding.foldIntoLayerNorm(norm, linears: linears, scales: s)
        let before = linears.flatMap {
            $0.forward(layerNorm(x, tokens: tokens, affine: norm), tokens: tokens)
        }
        let after = folded.linears.flatMap {
            $0.forward(layerNorm(x, tokens: tokens, affine: folded.norm), tokens: tokens)
        }
        #expect(relativeMaxDifference(before, after) <= 1e-5)
        // A Bool, not the two LayerNorms: on failure the message stays one short line.
        let normChanged = folded.norm != norm
        #expect(normChanged, "the fold must change the LayerNorm (s ≠ 1)")
    }
}
