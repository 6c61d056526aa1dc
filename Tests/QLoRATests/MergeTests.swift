import Core
import LoRA
import NF4
import NN
import QLoRA
import TestSupport
import NNTestSupport
import Testing

/// After training: merging into the dequantized weight, and quantizing the merged weight again.
@Suite struct MergeTests {

    /// The merged float layer x·(Ŵ + ΔW)ᵀ + b and the layer kept apart x·Ŵᵀ + b + s·(xAᵀ)Bᵀ are
    /// the same function summed in a different order: they agree to a few float32 ulps of the
    /// output's scale (here: within 1e-5 of outputs of size ≈ 1–10).
    @Test func mergedEqualsApartToFloatRounding() throws {
        let layer = try randomQLoRA(in: 64, out: 16, rank: 4, seed: 131)
        let x = randomTensor([8, 64], seed: 132)
        let apart = layer.forward(x).data, merged = layer.mergedLinear().forward(x).data
        let scale = apart.map { abs(Double($0)) }.max()!
        let mismatch = firstMismatch(apart, merged) { _ in 1e-6 * scale }
        #expect(mismatch == nil, "\(mismatch ?? "")")
        #expect(layer.mergedLinear().parameters.allSatisfy { !$0.isTrainable })
    }

    /// Re-quantizing W' = Ŵ + ΔW is a fresh NF4 rounding: every value moves by at most half the
    /// widest gap of the NF4 table times its block's new absmax (plus 1 % for the double-quantized
    /// constant) — an error of the size of the original quantization, not of ΔW.
    @Test func requantizationErrorIsBoundedByHalfAStep() throws {
        let layer = try randomQLoRA(in: 64, out: 16, rank: 4, seed: 133)
        let merged = layer.mergedLinear().weight.value
        let back = try layer.mergedAndRequantized().dequantizedWeight()
        let table = FourBitDataType.nf4.values.sorted()
        let widestGap = zip(table.dropFirst(), table).map { Double($0 - $1) }.max() ?? 0
        #expect(back.count == merged.count)
        guard back.count == merged.count else { return }
        var log = MismatchLog("re-quantized W'' within half a step of W'")
        for block in 0..<(merged.count / 64) {
            let range = (block * 64)..<((block + 1) * 64)
            let absmax = merged[range].map { abs(Double($0)) }.max() ?? 0
            for i in range where !(abs(Double(back[i]) - Double(merged[i])) <= (0.5 * widestGap + 0.01) * absmax) {
                log.add("index \(i): \(merged[i]) → \(back[i])")
            }
        }
        log.expectEmpty()
    }

    /// A small ΔW mostly disappears when the merged weight is quantized again: with ΔW a
    /// hundredth of the weights' scale, under 10 % of the codes change and the new rounding
    /// error is larger than ΔW itself (relative error > 1).
    @Test func aSmallUpdateIsMostlyRoundedAway() throws {
        let layer = try randomQLoRA(in: 64, out: 32, rank: 4, seed: 134)
        for i in layer.adapter.loraB.value.indices { layer.adapter.loraB.value[i] *= 0.01 }
        var error = RequantizationError()
        error.add(merged: layer.mergedLinear(), requantized: try layer.mergedAndRequantized(), original: layer.base,
                  delta: layer.adapter.deltaWeight)
        #expect(error.weights == 64 * 32)
        #expect(error.fractionOfCodesChanged < 0.1, "\(error.fractionOfCodesChanged) of the codes changed")
        #expect(error.relativeError > 1, "‖e‖/‖ΔW‖ = \(error.relativeError)")
    }
}
