import Core
import NN
import Testing

/// Exercise 6.2, continued — `LayerNorm.referenceBackward` (the loop you write) and the fast
/// `backward` the models run: the same arithmetic in the same order, so bit for bit equal.
@Suite struct Ex6_2_LayerNormFastPathTests {

    /// Row counts around the four-rows-at-a-time grouping, with γ and β away from 1 and 0.
    @Test(arguments: [1, 3, 4, 5, 9]) func fastBackwardEqualsTheReferenceBitForBit(rows: Int) {
        let norm = LayerNorm(features: 7, name: "ln")
        var rng = SeededRNG(seed: 501)
        norm.weight.value = rng.normalFloats(7, mean: 1, std: 0.3)
        norm.bias.value = rng.normalFloats(7, std: 0.3)
        _ = norm.forward(randomTensor([rows, 7], seed: 502, std: 3))
        let dy = randomTensor([rows, 7], seed: 503)
        norm.zeroGrad()
        let want = norm.referenceBackward(dy)
        let (wantGamma, wantBeta) = (norm.weight.grad, norm.bias.grad)
        norm.zeroGrad()
        let got = norm.backward(dy)
        expectBitIdentical(got.data, want.data, "dx, \(rows) rows")
        expectBitIdentical(norm.weight.grad, wantGamma, "dγ, \(rows) rows")
        expectBitIdentical(norm.bias.grad, wantBeta, "dβ, \(rows) rows")
    }

    /// The reference backward alone against finite differences (what exercise 6.2 asks for).
    @Test func referenceGradientsMatchFiniteDifferences() {
        let norm = LayerNorm(features: 5, name: "ln")
        var rng = SeededRNG(seed: 504)
        norm.weight.value = rng.normalFloats(5, mean: 1, std: 0.3)
        norm.bias.value = rng.normalFloats(5, std: 0.3)
        let x = Parameter(name: "x", shape: [4, 5], value: randomTensor([4, 5], seed: 505).data)
        let r = rng.normalFloats(20)
        norm.zeroGrad()
        _ = norm.forward(x.tensor)
        x.grad = norm.referenceBackward(Tensor(shape: [4, 5], data: r)).data
        let loss = { projected(norm.forward(x.tensor), onto: r) }
        expectAllPass([x, norm.weight, norm.bias].map { GradientCheck.check($0, loss: loss) })
    }
}
