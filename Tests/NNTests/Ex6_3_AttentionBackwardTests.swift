import Core
import NN
import Testing

/// Exercise 6.3 — `ScaledDotProductAttention.backward` and the full `CausalSelfAttention`.
@Suite struct Ex6_3_AttentionBackwardTests {

    /// The core alone: check dq, dk, dv for L = Σ r ⊙ attention(q, k, v).
    @Test func coreGradientsMatchFiniteDifferences() {
        let shape = [2, 4, 6]  // B = 2, T = 4, C = 6, two heads of 3
        let attention = ScaledDotProductAttention(heads: 2)
        let q = Parameter(name: "q", shape: shape, value: randomTensor(shape, seed: 81).data)
        let k = Parameter(name: "k", shape: shape, value: randomTensor(shape, seed: 82).data)
        let v = Parameter(name: "v", shape: shape, value: randomTensor(shape, seed: 83).data)
        let run = { attention.forward(query: q.tensor, key: k.tensor, value: v.tensor) }
        var rng = SeededRNG(seed: 84)
        let r = rng.normalFloats(Tensor.elementCount(shape))
        _ = run()
        let grads = attention.backward(Tensor(shape: shape, data: r))
        (q.grad, k.grad, v.grad) = (grads.query.data, grads.key.data, grads.value.data)
        expectAllPass([q, k, v].map { GradientCheck.check($0) { projected(run(), onto: r) } })
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
        #expect(Array(y.data[0..<(4 * 8)]) == Array(yChanged.data[0..<(4 * 8)]))
        #expect(Array(y.data[(4 * 8)...]) != Array(yChanged.data[(4 * 8)...]))
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
        #expect(keyBias.grad.allSatisfy { abs($0) < 1e-5 }, "\(keyBias.grad)")
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
