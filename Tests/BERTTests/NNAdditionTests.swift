import BERT
import Core
import NN
import Testing
import TestSupport

/// The two NN pieces BERT needed: the exact (erf) GELU and LayerNorm without a layer object.
@Suite struct NNAdditionTests {
    /// x·Φ(x) at hand-checkable points: Φ(1) = 0.8413447461, Φ(−1) = 0.1586552539 (normal
    /// table), Φ(2) = 0.9772498681, Φ(0) = ½ (tolerances: one or two Float ulps of the
    /// value); and it is not GPT-2's tanh form, which differs from it by up to ~5e-4.
    @Test func exactGELUIsXTimesTheNormalCDF() {
        #expect(ExactGELU.referenceValue(0) == 0)
        #expect(abs(ExactGELU.referenceValue(1) - 0.841_344_75) < 1e-7)
        #expect(abs(ExactGELU.referenceValue(-1) + 0.158_655_25) < 1e-7)
        #expect(abs(ExactGELU.referenceValue(2) - 2 * 0.977_249_87) < 2e-7)
        #expect(ExactGELU.referenceValue(2.3) != GELU.referenceValue(2.3))
        var values: [Float] = [-3, -1, 0, 0.5, 2]
        ExactGELU.apply(&values)
        #expect(values == [-3, -1, 0, 0.5, 2].map(ExactGELU.referenceValue))
    }

    /// normalizeRows gives `LayerNorm.referenceForward`'s Floats, bit for bit.
    @Test func statelessLayerNormIsTheReferenceBitForBit() {
        let c = 384, rows = 5
        let x = sampleValues(rows * c, seed: 12)
        let gamma = sampleValues(c, seed: 13), beta = sampleValues(c, seed: 14)
        let layer = LayerNorm(features: c, epsilon: 1e-12, name: "ln")
        layer.weight.value = gamma
        layer.bias.value = beta
        let expected = layer.referenceForward(Tensor(shape: [rows, c], data: x)).data
        let got = LayerNorm.normalizeRows(x, features: c, gamma: gamma, beta: beta, epsilon: 1e-12)
        #expect(firstBitMismatch(expected, got) == nil)
    }
}
