import Core
import NN
import Testing

/// Exercise 6.2 — `LayerNorm.backward`: dx = r · (g − mean(g) − x̂ · mean(g · x̂)), g = dy · γ.
@Suite struct Ex6_2_LayerNormBackwardTests {

    /// With γ = 1, β = 0 every output row has mean 0 and (biased) variance 1 − ε-ish.
    @Test func forwardNormalisesEachRow() {
        let norm = LayerNorm(features: 6, name: "ln")
        let y = norm.forward(randomTensor([3, 6], seed: 71, std: 3))
        for r in 0..<3 {
            let row = y.row(r)
            #expect(abs(Statistics.mean(row)) < 1e-6)
            #expect(abs(Statistics.std(row) - 1) < 1e-4, "row \(r) std \(Statistics.std(row))")
        }
    }

    /// γ and β set away from 1 and 0, so their gradients are exercised too.
    @Test func gradientsMatchFiniteDifferences() {
        let norm = LayerNorm(features: 5, name: "ln")
        var rng = SeededRNG(seed: 72)
        norm.weight.value = rng.normalFloats(5, mean: 1, std: 0.3)
        norm.bias.value = rng.normalFloats(5, std: 0.3)
        expectAllPass(checkLayer(norm, input: randomTensor([4, 5], seed: 721), seed: 722))
    }

    /// The gradient reaching x is orthogonal to the constant vector: shifting a whole row
    /// does not change LayerNorm's output, so dx sums to zero in every row.
    @Test func inputGradientSumsToZeroInEveryRow() {
        let norm = LayerNorm(features: 8, name: "ln")
        var rng = SeededRNG(seed: 73)
        norm.weight.value = rng.normalFloats(8, mean: 1, std: 0.3)
        _ = norm.forward(randomTensor([3, 8], seed: 731))
        let dx = norm.backward(randomTensor([3, 8], seed: 732))
        for r in 0..<3 {
            let sum = dx.row(r).reduce(0, +)
            #expect(abs(sum) < 1e-5, "row \(r) sums to \(sum)")
        }
    }
}
