import Core
import NN
import Testing

/// Exercise 6.1 — `Linear.backward`: dx = dy · W, dW += dyᵀ · x, db += Σ dy.
@Suite struct Ex6_1_LinearBackwardTests {

    /// A 1 × 3 input through a 3 → 2 layer, small enough to do on paper:
    /// y = [0.5 − 2 + 6 + 0.1, 1 + 0 − 1.5 − 0.2] = [4.6, −0.7];
    /// for dy = [1, −2]: dx = dy · W = [−1.5, −1, 3], dW = dyᵀ x, db = dy.
    @Test func handWorkedExample() {
        let layer = Linear(
            weight: Parameter(name: "w", shape: [2, 3], value: [0.5, -1, 2, 1, 0, -0.5]),
            bias: Parameter(name: "b", shape: [2], value: [0.1, -0.2]))
        let y = layer.forward(Tensor(shape: [1, 3], data: [1, 2, 3]))
        #expect(y.shape == [1, 2])
        #expect(abs(y.data[0] - 4.6) < 1e-6 && abs(y.data[1] - (-0.7)) < 1e-6, "y = \(y.data)")
        let dx = layer.backward(Tensor(shape: [1, 2], data: [1, -2]))
        #expect(dx.data == [-1.5, -1, 3])
        #expect(layer.weight.grad == [1, 2, 3, -2, -4, -6])
        #expect(layer.bias!.grad == [1, -2])
    }

    @Test func gradientsMatchFiniteDifferences() {
        var rng = SeededRNG(seed: 61)
        let layer = Linear(inFeatures: 5, outFeatures: 4, name: "fc", rng: &rng)
        expectAllPass(checkLayer(layer, input: randomTensor([3, 5], seed: 611), seed: 612))
    }

    @Test func layerWithoutBiasHasOnlyAWeight() {
        var rng = SeededRNG(seed: 62)
        let layer = Linear(inFeatures: 4, outFeatures: 3, bias: false, name: "fc", rng: &rng)
        #expect(layer.parameters.map(\.name) == ["fc.weight"])
        expectAllPass(checkLayer(layer, input: randomTensor([2, 4], seed: 621), seed: 622))
    }

    /// A [B][T][C] input is treated as B·T rows; the output keeps the leading dimensions.
    @Test func rankThreeInputsFoldIntoRows() {
        var rng = SeededRNG(seed: 63)
        let layer = Linear(inFeatures: 4, outFeatures: 3, name: "fc", rng: &rng)
        let x = randomTensor([2, 3, 4], seed: 631)
        let y = layer.forward(x)
        #expect(y.shape == [2, 3, 3])
        let flat = layer.forward(x.reshaped([6, 4]))
        #expect(y.data == flat.data)
        expectAllPass(checkLayer(layer, input: x, seed: 632))
    }

    /// Gradients accumulate across backward calls, as in PyTorch, until zeroGrad.
    @Test func gradientsAccumulateUntilZeroed() {
        var rng = SeededRNG(seed: 64)
        let layer = Linear(inFeatures: 3, outFeatures: 2, name: "fc", rng: &rng)
        let x = randomTensor([2, 3], seed: 641)
        let dy = randomTensor([2, 2], seed: 642)
        _ = layer.forward(x)
        _ = layer.backward(dy)
        let once = layer.weight.grad
        _ = layer.backward(dy)
        #expect(layer.weight.grad == once.map { $0 + $0 })
        layer.zeroGrad()
        #expect(layer.weight.grad.allSatisfy { $0 == 0 } && layer.bias!.grad.allSatisfy { $0 == 0 })
    }

    /// PyTorch's default init: every value in [−1/√in, 1/√in).
    @Test func initialisationStaysWithinTheKaimingUniformBound() {
        var rng = SeededRNG(seed: 65)
        let layer = Linear(inFeatures: 64, outFeatures: 32, name: "fc", rng: &rng)
        let bound: Float = 1 / 8
        #expect(layer.weight.value.allSatisfy { $0 >= -bound && $0 < bound })
        #expect(Statistics.std(layer.weight.value) > 0.8 * Double(bound) / 3.0.squareRoot())
    }
}
