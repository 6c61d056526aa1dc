import Core
import NN
import NNTestSupport
import Testing

/// LayerNorm's fast `forward` and `backward` (four rows per pass, one per SIMD lane) against
/// the readable `referenceForward` and the `referenceBackward` of exercise 6b: the same
/// arithmetic in the same order, so bit for bit equal. (`Ex6b_LayerNormBackwardTests` holds
/// the exercise to the same standard.)
@Suite struct LayerNormFastPathTests {

    /// Row counts around the four-rows-at-a-time grouping; y and the cached x̂ and r (checked
    /// through a backward pass from each cache).
    @Test(arguments: [1, 3, 4, 5, 9, 64]) func fastForwardEqualsTheReferenceBitForBit(rows: Int) {
        let fast = LayerNorm(features: 7, name: "ln"), reference = LayerNorm(features: 7, name: "ln")
        var rng = SeededRNG(seed: 504)
        let gamma = rng.normalFloats(7, mean: 1, std: 0.3), beta = rng.normalFloats(7, std: 0.3)
        for norm in [fast, reference] { (norm.weight.value, norm.bias.value) = (gamma, beta) }
        let x = randomTensor([rows, 7], seed: 505, std: 3)
        expectBitIdentical(fast.forward(x).data, reference.referenceForward(x).data, "y, \(rows) rows")
        let dy = randomTensor([rows, 7], seed: 506)
        expectBitIdentical(
            fast.referenceBackward(dy).data, reference.referenceBackward(dy).data, "dx from each cache")
    }

    /// Row counts around the four-rows-at-a-time grouping, with γ and β away from 1 and 0.
    @Test(arguments: [1, 3, 4, 5, 9, 64]) func fastBackwardEqualsTheReferenceBitForBit(rows: Int) {
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
}
