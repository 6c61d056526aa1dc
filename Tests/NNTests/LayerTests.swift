import Core
import NN
import TestSupport
import NNTestSupport
import Testing

/// `Linear` beyond its backward pass (exercise 6a): initialisation.
@Suite struct LinearTests {
    /// PyTorch's default init: every value in [−1/√in, 1/√in).
    @Test func initialisationStaysWithinTheKaimingUniformBound() {
        var rng = SeededRNG(seed: 65)
        let layer = Linear(inFeatures: 64, outFeatures: 32, name: "fc", rng: &rng)
        let bound: Float = 1 / 8
        #expect(layer.weight.value.allSatisfy { $0 >= -bound && $0 < bound })
        #expect(Statistics.std(layer.weight.value) > 0.8 * Double(bound) / 3.0.squareRoot())
    }
}

/// `LayerNorm`'s forward pass, and the fast backward the models run (the readable backward
/// is exercise 6b; `LayerNormFastPathTests` shows the two equal).
@Suite struct LayerNormTests {
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

/// Attention as the models run it: the fast forward and backward of
/// `ScaledDotProductAttention` (the readable backward is exercise 6c; `AttentionFastPathTests`
/// shows the two equal), and `CausalSelfAttention` with its four projections.
@Suite struct AttentionTests {
    /// The core alone: check dq, dk, dv for L = Σ r ⊙ attention(q, k, v).
    @Test func coreGradientsMatchFiniteDifferences() {
        expectAllPass(attentionCoreGradientChecks(readable: false, seed: 81))
    }

    @Test func selfAttentionGradientsMatchFiniteDifferences() {
        var rng = SeededRNG(seed: 85)
        let block = CausalSelfAttention(channels: 8, heads: 2, name: "attn", rng: &rng)
        expectAllPass(checkLayer(block, input: randomTensor([2, 5, 8], seed: 851), seed: 852))
    }

    /// Causality: changing tokens after position t leaves the outputs at 0…t bit for bit unchanged.
    @Test func outputsDoNotSeeTheFuture() {
        var rng = SeededRNG(seed: 86)
        let block = CausalSelfAttention(channels: 8, heads: 4, name: "attn", rng: &rng)
        let x = randomTensor([1, 6, 8], seed: 861)
        var changed = x
        for i in (4 * 8)..<(6 * 8) { changed.data[i] += 1.5 }  // tokens 4 and 5
        let y = block.forward(x)
        let yChanged = block.forward(changed)
        #expect(firstBitMismatch(Array(y.data[0..<(4 * 8)]), Array(yChanged.data[0..<(4 * 8)])) == nil)
        let laterChanged = Array(y.data[(4 * 8)...]) != Array(yChanged.data[(4 * 8)...])
        #expect(laterChanged, "the outputs at positions 4 and 5 must see the change")
    }

    /// The first token can attend only to itself: its probability is exactly 1, its output exactly v₀.
    @Test func firstTokenAttendsOnlyToItself() {
        let attention = ScaledDotProductAttention(heads: 1)
        let q = randomTensor([3, 4], seed: 87), k = randomTensor([3, 4], seed: 88), v = randomTensor([3, 4], seed: 89)
        let out = attention.forward(query: q, key: k, value: v)
        #expect(out.row(0) == v.row(0))
    }

    /// A key bias adds q_t · b_k to every score of row t alike, and softmax ignores a shift
    /// shared by a whole row — so the key bias's gradient is zero (up to rounding).
    @Test func keyBiasGetsNoGradient() throws {
        var rng = SeededRNG(seed: 91)
        let block = CausalSelfAttention(channels: 8, heads: 2, name: "attn", rng: &rng)
        _ = block.forward(randomTensor([2, 5, 8], seed: 911))
        _ = block.backward(randomTensor([2, 5, 8], seed: 912))
        let keyBias = try #require(block.parameters.first { $0.name == "attn.key.bias" })
        let queryBias = try #require(block.parameters.first { $0.name == "attn.query.bias" })
        #expect(keyBias.grad.allSatisfy { abs($0) < 1e-5 }, "largest |d key bias| \(keyBias.grad.map(abs).max() ?? 0)")
        #expect(queryBias.grad.contains { abs($0) > 1e-2 }, "the query bias, by contrast, does get a gradient")
    }

    @Test func parametersAreNamedAndOrdered() {
        var rng = SeededRNG(seed: 90)
        let block = CausalSelfAttention(channels: 4, heads: 2, name: "attn", rng: &rng)
        #expect(block.parameters.map(\.name) == [
            "attn.query.weight", "attn.query.bias", "attn.key.weight", "attn.key.bias",
            "attn.value.weight", "attn.value.bias", "attn.output.weight", "attn.output.bias",
        ])
    }
}
