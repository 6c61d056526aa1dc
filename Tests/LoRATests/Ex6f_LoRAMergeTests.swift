import Core
import LoRA
import NN
import TestSupport
import NNTestSupport
import Testing

/// Exercise 6f — `LoRAAdapter.deltaWeight`, ΔW = (B·A)·s, and with it merge and unmerge:
/// W ← W₀ ± ΔW.
@Suite struct Ex6f_LoRAMergeTests {

    /// The hand-worked layer of Ex6d: B·A = [[2, −2], [0.5, −0.5]], s = 2, so
    /// W₀ + ΔW = [[1 + 4, 2 − 4], [3 + 1, 4 − 1]] = [[5, −2], [4, 3]].
    @Test func handWorkedExample() {
        let base = Linear(weight: Parameter(name: "w.weight", shape: [2, 2], value: [1, 2, 3, 4]), bias: nil)
        let layer = LoRALinear(base: base, config: LoRAConfig(rank: 1, alpha: 2), a: [1, -1], b: [2, 0.5])
        #expect(layer.deltaWeight == [4, -4, 1, -1])
        layer.merge()
        #expect(base.weight.value == [5, -2, 4, 3])
        #expect(layer.isMerged)
        layer.unmerge()
        #expect(base.weight.value == [1, 2, 3, 4])
    }

    /// peft's `merge_and_unload` weight on the reference cases. Tolerance: ΔW[o][i] is a sum of
    /// r = 4 products; PyTorch's sgemm may fuse them (FMA), we do not, so each side is within
    /// γ₄·s·Σⱼ|B[o][j]·A[j][i]| of the exact ΔW, and the final addition rounds once more —
    /// within half an ulp of |W + ΔW| on each side. The bias is unchanged.
    @Test(arguments: PeftCase.all)
    func mergedWeightWithinRoundingOfPeft(folder: String, useRSLoRA: Bool) throws {
        let reference = try PeftCase(folder, useRSLoRA: useRSLoRA)
        let layer = reference.layer()
        let merged = layer.mergedLinear()
        let s = reference.config.scaling, r = reference.a.rows, n = reference.weight.cols
        let gamma = 4 * 0x1p-24 / (1 - 4 * 0x1p-24)
        let bound: (Int) -> Double = { k in
            let o = k / n, i = k % n
            let magnitude = (0..<r).reduce(0.0) { $0 + abs(Double(reference.b[o, $1]) * Double(reference.a[$1, i])) }
            return 2 * gamma * s * magnitude + ulp(Double(reference.mergedWeight.data[k]))
        }
        #expect(firstMismatch(reference.mergedWeight.data, merged.weight.value, tolerance: bound) == nil)
        #expect(firstBitMismatch(reference.bias.data, merged.bias!.value) == nil, "the bias is unchanged")
        #expect(merged.weight.name == "lin.weight" && merged.bias!.name == "lin.bias")
        // And the merged layer's output matches peft's merged output (bounds as in Ex6d).
        let y = merged.forward(reference.x)
        let worst = zip(reference.mergedOutput.data, y.data).map { abs(Double($0) - Double($1)) }.max() ?? 0
        #expect(worst < 4e-6, "max |ours − peft| of the merged output = \(worst)")
    }

    /// ΔW against the same sums as plain loops (`AdapterLoops.delta`): within float32
    /// rounding of its magnitude.
    @Test(arguments: [false, true])
    func deltaWeightWithinRoundingOfTheReferenceLoops(useRSLoRA: Bool) {
        let c = AdapterCase(useRSLoRA: useRSLoRA)
        let want = c.loops.delta(a: c.a, b: c.b), got = c.adapter().deltaWeight
        let scale = want.map { abs(Double($0)) }.max() ?? 0
        let mismatch = firstMismatch(want, got, tolerance: { _ in 1e-5 * scale })
        #expect(mismatch == nil, "ΔW: \(mismatch ?? "")")
    }

    /// The same, bit for bit, in the order the doc comment prescribes (Chapter 6 prints how
    /// many weights merge-then-unmerge restores exactly, which depends on every bit of ΔW).
    @Test(arguments: [false, true])
    func deltaWeightBitExactWithTheReferenceLoops(useRSLoRA: Bool) {
        let c = AdapterCase(useRSLoRA: useRSLoRA)
        let want = c.loops.delta(a: c.a, b: c.b), got = c.adapter().deltaWeight
        let mismatch = firstBitMismatch(want, got)
        #expect(
            mismatch == nil,
            "ΔW: bit-exact with peft's (B @ A) * scaling needs the order the doc comment prescribes: B·A summed over r from 0 in order, then times s — \(mismatch ?? "")")
    }

    /// Merging in place, then unmerging, gives W₀ back to within one ulp of
    /// max(|W₀|, |W₀ + ΔW|) per element: two roundings, each at most half an ulp of its
    /// result. Checked with a large update (|ΔW| ≈ 10 |W₀|) and a realistic small one.
    @Test(arguments: [0.5, 0.01])
    func mergeThenUnmergeRestoresW(adapterStd: Double) {
        let layer = randomLoRA(in: 40, out: 24, rank: 4, alpha: 16, seed: 81)
        var rng = SeededRNG(seed: 85)
        layer.loraB.value = rng.normalFloats(layer.loraB.count, std: adapterStd)
        let original = layer.base.weight.value
        layer.merge()
        let merged = layer.base.weight.value
        let changed = merged != original
        #expect(changed, "merge() must change W (ΔW is not zero here)")
        layer.unmerge()
        let restored = layer.base.weight.value
        let bound: (Int) -> Double = { ulp(max(abs(Double(original[$0])), abs(Double(merged[$0])))) }
        #expect(firstMismatch(original, restored, tolerance: bound) == nil)
        #expect(!layer.isMerged)
    }

    /// When ΔW is small next to W₀ — an adapter after a few hundred steps — the low bits of
    /// W₀ survive the round trip and most elements come back bit for bit.
    @Test func smallUpdatesRestoreMostWeightsExactly() {
        let layer = randomLoRA(in: 40, out: 24, rank: 4, alpha: 16, seed: 86)
        var rng = SeededRNG(seed: 87)
        layer.loraB.value = rng.normalFloats(layer.loraB.count, std: 1e-4)
        let original = layer.base.weight.value
        layer.merge()
        layer.unmerge()
        let exact = zip(original, layer.base.weight.value).filter { $0 == $1 }.count
        #expect(exact * 10 > original.count * 9, "only \(exact) of \(original.count) restored bit for bit")
    }

    /// After merging, the plain Linear computes what the adapter computed: the same function
    /// summed in another order, so they agree to a few ulps of the outputs' magnitude.
    @Test(arguments: [false, true])
    func mergedOutputEqualsAdapterOutput(useRSLoRA: Bool) {
        let layer = randomLoRA(in: 32, out: 16, rank: 8, alpha: 16, useRSLoRA: useRSLoRA, seed: 82)
        let x = randomTensor([5, 32], seed: 83)
        let adapterOutput = layer.forward(x)
        layer.merge()
        let mergedOutput = layer.forward(x)
        let plainOutput = layer.mergedLinear().forward(x)
        let scale = adapterOutput.data.map { abs(Double($0)) }.max()!
        #expect(firstMismatch(adapterOutput.data, mergedOutput.data, tolerance: { _ in 64 * ulp(scale) }) == nil)
        #expect(firstBitMismatch(mergedOutput.data, plainOutput.data) == nil)
    }

    /// `mergedLinear` leaves the adapter layer untouched (it is `merge_and_unload` on a copy).
    @Test func mergedLinearDoesNotChangeTheAdapter() {
        let layer = randomLoRA(in: 6, out: 4, rank: 2, seed: 84)
        let before = layer.base.weight.value
        let merged = layer.mergedLinear()
        #expect(firstBitMismatch(before, layer.base.weight.value) == nil && !layer.isMerged)
        let mergedDiffers = merged.weight.value != before
        #expect(mergedDiffers, "the merged Linear holds W₀ + ΔW")
        #expect(merged.weight !== layer.base.weight)
    }
}
