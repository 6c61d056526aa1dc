import Core
import NN
import NNTestSupport
import Testing

@Suite struct MLPTests {

    /// End to end: cross-entropy of a GELU MLP (smooth everywhere, so no kinks to dodge)
    /// against finite differences for every weight and bias.
    @Test func endToEndGradientsMatchFiniteDifferences() {
        var rng = SeededRNG(seed: 121)
        let mlp = MLP(sizes: [5, 7, 6, 3], activation: .gelu, rng: &rng)
        let x = randomTensor([4, 5], seed: 122)
        let labels = [2, 0, 1, 2]
        _ = mlp.lossAndGradients(x, labels: labels)
        for p in mlp.parameters {
            let result = GradientCheck.check(p) { Double(mlp.loss(x, labels: labels)) }
            #expect(result.passed, "\(result)")
        }
    }

    @Test func parametersAreNamedInLayerOrder() {
        var rng = SeededRNG(seed: 123)
        let mlp = MLP(sizes: [4, 8, 3], rng: &rng)
        #expect(mlp.parameters.map(\.name) == ["mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias"])
        #expect(mlp.parameters.map(\.shape) == [[8, 4], [8], [3, 8], [3]])
        #expect(mlp.parameters.totalCount == 8 * 4 + 8 + 3 * 8 + 3)
    }

    /// Counted from the caches: fc1 input 4 + fc2 input 8 + ReLU input 8 + logits and probabilities 2·3.
    @Test func activationBytesCountTheCaches() {
        var rng = SeededRNG(seed: 124)
        let mlp = MLP(sizes: [4, 8, 3], rng: &rng)
        #expect(mlp.activationBytes(rows: 10) == 10 * (4 + 8 + 8 + 6) * 4)
    }

    /// Plain SGD (θ ← θ − 0.1·∇θ) for 60 steps on the Gaussian-mixture task cuts the loss on a
    /// held-out set well below its starting value (log 4 ≈ 1.39 for a random guess).
    @Test func sgdTrainingReducesTheLoss() {
        let task = GaussianMixtureTask(classes: 4, dimensions: 6, componentsPerClass: 2, centerSpread: 1.5, seed: 125)
        var rng = SeededRNG(seed: 126)
        let mlp = MLP(sizes: [6, 16, 4], rng: &rng)
        let held = task.sample(count: 128, rng: &rng)
        let before = mlp.loss(held.inputs, labels: held.labels)
        for _ in 0..<60 {
            let batch = task.sample(count: 32, rng: &rng)
            _ = mlp.lossAndGradients(batch.inputs, labels: batch.labels)
            for p in mlp.parameters {
                for i in p.value.indices { p.value[i] -= 0.1 * p.grad[i] }
            }
        }
        let after = mlp.loss(held.inputs, labels: held.labels)
        #expect(after < 0.7 * before, "loss \(before) → \(after)")
        #expect(mlp.accuracy(held.inputs, labels: held.labels) > 0.5)
    }

    @Test func taskIsDeterministicForASeed() {
        let a = GaussianMixtureTask(seed: 7), b = GaussianMixtureTask(seed: 7)
        var r1 = SeededRNG(seed: 1), r2 = SeededRNG(seed: 1)
        let s1 = a.sample(count: 5, rng: &r1), s2 = b.sample(count: 5, rng: &r2)
        let same = s1.inputs == s2.inputs && s1.labels == s2.labels
        #expect(same, "the same seed must give the same sample")
        let otherSeedDiffers = GaussianMixtureTask(seed: 8).centers != a.centers
        #expect(otherSeedDiffers, "another seed must give other centres")
    }
}
