import Core
import NN
import NNTestSupport
import Testing

@Suite struct ActivationTests {

    /// Inputs kept at least 0.1 away from ReLU's kink at 0: a difference quotient with
    /// h = 0.01 that straddled the kink would mix two slopes.
    @Test func reluGradientMatchesFiniteDifferences() {
        var x = randomTensor([4, 5], seed: 91)
        for i in x.data.indices where abs(x.data[i]) < 0.1 { x.data[i] = x.data[i] < 0 ? -0.3 : 0.3 }
        expectAllPass(checkLayer(ReLU(), input: x, seed: 92))
    }

    @Test func reluZeroesNegativesAndTheirGradients() {
        let relu = ReLU()
        let y = relu.forward(Tensor(shape: [1, 4], data: [-2, 0, 0.5, 3]))
        #expect(y.data == [0, 0, 0.5, 3])
        #expect(relu.backward(Tensor(shape: [1, 4], data: [1, 1, 1, 1])).data == [0, 0, 1, 1])
    }

    @Test func geluGradientMatchesFiniteDifferences() {
        expectAllPass(checkLayer(GELU(), input: randomTensor([4, 5], seed: 93, std: 2), seed: 94))
    }

    /// Known values of the tanh approximation (computed by hand from its formula in Double:
    /// GELU(1) = ½(1 + tanh(√(2/π)·1.044715)) = 0.841192, GELU(−1) = −0.158808), and the
    /// shape: 0 at 0, ≈ x for large x, ≈ 0 for very negative x.
    @Test func geluMatchesKnownValues() {
        #expect(GELU.referenceValue(0) == 0)
        #expect(abs(GELU.referenceValue(1) - 0.841192) < 1e-6)
        #expect(abs(GELU.referenceValue(-1) - (-0.158808)) < 1e-6)
        #expect(abs(GELU.referenceValue(6) - 6) < 1e-6 && abs(GELU.referenceValue(-6)) < 1e-6)
        #expect(abs(GELU.referenceDerivative(0) - 0.5) < 1e-7)
    }
}

@Suite struct EmbeddingAndLossTests {

    /// Repeated ids add their gradients into the same row.
    @Test func embeddingGradientMatchesFiniteDifferences() {
        var rng = SeededRNG(seed: 101)
        let embedding = Embedding(vocabulary: 5, dimension: 3, name: "wte", rng: &rng)
        let ids = [3, 1, 3, 0]
        let r = rng.normalFloats(ids.count * 3)
        embedding.weight.zeroGrad()
        _ = embedding.forward(ids)
        embedding.backward(Tensor(shape: [4, 3], data: r))
        let result = GradientCheck.check(embedding.weight) { projected(embedding.forward(ids), onto: r) }
        #expect(result.passed, "\(result)")
        #expect(Array(embedding.weight.grad[6..<9]) == [0, 0, 0], "id 2 never occurs, so its row gets no gradient")
        #expect(embedding.forward(ids, leadingShape: [2, 2]).shape == [2, 2, 3])
    }

    @Test func crossEntropyGradientMatchesFiniteDifferences() {
        let logits = Parameter(name: "logits", shape: [4, 6], value: randomTensor([4, 6], seed: 102, std: 2).data)
        let targets = [0, 5, 2, 2]
        let loss = SoftmaxCrossEntropy()
        _ = loss.forward(logits.tensor, targets: targets)
        logits.grad = loss.backward().data
        let result = GradientCheck.check(logits) {
            Double(SoftmaxCrossEntropy().forward(logits.tensor, targets: targets))
        }
        #expect(result.passed, "\(result)")
    }

    /// Equal logits give p = 1/V and a loss of exactly log V (up to float rounding).
    @Test func uniformLogitsGiveLogV() {
        let loss = SoftmaxCrossEntropy().forward(Tensor(shape: [3, 10], repeating: 0.7), targets: [0, 4, 9])
        #expect(abs(Double(loss) - Math.log(10)) < 1e-6)
    }

    /// Softmax rows sum to 1 and survive logits that would overflow exp() without the max shift.
    @Test func softmaxRowsSumToOneEvenForHugeLogits() {
        let p = SoftmaxCrossEntropy.softmax(Tensor(shape: [2, 3], data: [1000, 1001, 999, -5, 0, 5]))
        for r in 0..<2 {
            #expect(abs(p.row(r).reduce(0, +) - 1) < 1e-6)
        }
        #expect(p.data.allSatisfy { $0.isFinite })
    }
}
