import Core
import LoRA
import NN
import TestSupport
import NNTestSupport
import Testing

/// Exercise 6d — `LoRAAdapter.forward`, the low-rank half of `LoRALinear.forward`:
/// y = x·W₀ᵀ + b + s·(x̃·Aᵀ)·Bᵀ.
@Suite struct Ex6d_LoRAForwardTests {

    /// in = 2, out = 2, r = 1, α = 2 (s = 2), small enough to do on paper:
    /// base: x·Wᵀ + b = [3 + 2 + 0.5, 9 + 4 − 0.5] = [5.5, 12.5];
    /// u = x·Aᵀ = 3 − 1 = 2;  u·Bᵀ = [4, 1];  y = [5.5 + 2·4, 12.5 + 2·1] = [13.5, 14.5].
    @Test func handWorkedExample() {
        let base = Linear(
            weight: Parameter(name: "w.weight", shape: [2, 2], value: [1, 2, 3, 4]),
            bias: Parameter(name: "w.bias", shape: [2], value: [0.5, -0.5]))
        let layer = LoRALinear(base: base, config: LoRAConfig(rank: 1, alpha: 2), a: [1, -1], b: [2, 0.5])
        let y = layer.forward(Tensor(shape: [1, 2], data: [3, 1]))
        #expect(y.data == [13.5, 14.5])
    }

    /// With peft's initialisation B = 0, so s·B·A·x = 0: the adapted layer computes exactly
    /// (bit for bit) what the base layer computes — fine-tuning starts at the pretrained model.
    @Test func adapterWithZeroBLeavesOutputUnchanged() {
        let base = randomLinear(in: 12, out: 7, seed: 41)
        let x = randomTensor([5, 12], seed: 42)
        let expected = base.forward(x)
        var rng = SeededRNG(seed: 43)
        let layer = LoRALinear(base: base, config: LoRAConfig(rank: 4, alpha: 16), rng: &rng)
        #expect(layer.loraB.value.allSatisfy { $0 == 0 })
        #expect(layer.loraA.value.contains { $0 != 0 })
        let y = layer.forward(x)
        #expect(firstMismatch(expected.data, y.data) == nil)
    }

    /// peft's output on its reference cases (r = 4, α = 8; plain and rsLoRA).
    ///
    /// Tolerance: both sides compute the same sums in different orders (PyTorch's sgemm blocks
    /// and fuses; we add left to right). Each is within γₙ·M of the exact value, with
    /// γₙ = n·u/(1 − n·u), u = 2⁻²⁴, n = in + r + 3 terms on the longest path, and
    /// M = Σₖ|xₖW₀ₖ| + |b| + s·Σⱼ|uⱼ||Bⱼ| the sum of the magnitudes (Higham, *Accuracy and
    /// Stability of Numerical Algorithms*, §3.1). So they differ by at most 2γₙ·M per output.
    @Test(arguments: PeftCase.all)
    func forwardWithinRoundingOfPeft(folder: String, useRSLoRA: Bool) throws {
        let reference = try PeftCase(folder, useRSLoRA: useRSLoRA)
        let layer = reference.layer()
        #expect(Double(layer.scaling) == (useRSLoRA ? 4 : 2))
        let y = layer.forward(reference.x)
        #expect(y.shape == reference.output.shape)
        let bound = forwardErrorBounds(reference)
        #expect(firstMismatch(reference.output.data, y.data, tolerance: { bound[$0] }) == nil)
        // Typically the two agree to a few ulps, far inside the bound:
        let worst = zip(reference.output.data, y.data).map { abs(Double($0) - Double($1)) }.max() ?? 0
        #expect(worst < 4e-6, "max |ours − peft| = \(worst)")
    }

    /// 2γₙ·M for every output of a reference case (see `forwardWithinRoundingOfPeft`).
    func forwardErrorBounds(_ c: PeftCase) -> [Double] {
        let rows = c.x.rows, n = c.x.cols, out = c.weight.rows, r = c.a.rows
        let s = c.config.scaling
        let u = 0x1p-24, terms = Double(n + r + 3)
        let gamma = terms * u / (1 - terms * u)
        var bounds: [Double] = []
        for row in 0..<rows {
            let absU = (0..<r).map { j in (0..<n).reduce(0.0) { $0 + abs(Double(c.x[row, $1]) * Double(c.a[j, $1])) } }
            for o in 0..<out {
                var m = abs(Double(c.bias.data[o]))
                for k in 0..<n { m += abs(Double(c.x[row, k]) * Double(c.weight[o, k])) }
                for j in 0..<r { m += s * absU[j] * abs(Double(c.b[o, j])) }
                bounds.append(2 * gamma * m)
            }
        }
        return bounds
    }

    /// A [B][T][C] input keeps its leading dimensions and equals the folded [B·T][C] result.
    @Test func rankThreeInputsFoldIntoRows() {
        let layer = randomLoRA(in: 6, out: 5, rank: 2, seed: 46)
        let x = randomTensor([2, 3, 6], seed: 47)
        let y = layer.forward(x)
        #expect(y.shape == [2, 3, 5])
        #expect(firstBitMismatch(y.data, layer.forward(x.reshaped([6, 6])).data) == nil)
    }

    /// The update Δy and the cached u = x·Aᵀ (backward needs it) against the same sums as
    /// plain loops (`AdapterLoops`): within float32 rounding.
    @Test(arguments: [false, true])
    func updateWithinRoundingOfTheReferenceLoops(useRSLoRA: Bool) {
        let adapterCase = AdapterCase(useRSLoRA: useRSLoRA)
        let want = adapterCase.loops.forward(x: adapterCase.x.data, a: adapterCase.a, b: adapterCase.b)
        let adapter = adapterCase.adapter()
        let got = adapter.forward(adapterCase.x)
        #expect(got.shape == [3, 13, adapterCase.outFeatures])
        let scale = want.update.map { abs(Double($0)) }.max() ?? 0
        let mismatch = firstMismatch(want.update, got.data, tolerance: { _ in 1e-5 * scale })
        #expect(mismatch == nil, "Δy: \(mismatch ?? "")")
        let uScale = want.u.map { abs(Double($0)) }.max() ?? 0
        let uMismatch = firstMismatch(want.u, adapter.projected, tolerance: { _ in 1e-5 * uScale })
        #expect(uMismatch == nil, "u = x·Aᵀ, cached in `projected` for backward: \(uMismatch ?? "")")
    }

    /// The same, bit for bit, in the order the doc comment prescribes (Chapters 6 and 7 print
    /// numbers that depend on it).
    @Test(arguments: [false, true])
    func updateBitExactWithTheReferenceLoops(useRSLoRA: Bool) {
        let adapterCase = AdapterCase(useRSLoRA: useRSLoRA)
        let want = adapterCase.loops.forward(x: adapterCase.x.data, a: adapterCase.a, b: adapterCase.b)
        let adapter = adapterCase.adapter()
        let got = adapter.forward(adapterCase.x)
        let order = "bit-exact with peft's order needs what the doc comment prescribes: u = x̃·Aᵀ, then u·Bᵀ, "
            + "then each value times s (sums from 0, in order)"
        #expect(firstBitMismatch(want.update, got.data) == nil, "Δy: \(order) — \(firstBitMismatch(want.update, got.data) ?? "")")
        #expect(firstBitMismatch(want.u, adapter.projected) == nil,
                "u in `projected`: \(order) — \(firstBitMismatch(want.u, adapter.projected) ?? "")")
    }

    /// Dropout acts on the adapter's input while training (each forward draws a new mask, so
    /// two passes differ) and not at all in evaluation (the update equals the no-dropout one).
    @Test func dropoutChangesTheUpdateOnlyWhileTraining() {
        let layer = randomLoRA(in: 16, out: 6, rank: 3, dropout: 0.5, seed: 74)
        let plain = randomLoRA(in: 16, out: 6, rank: 3, seed: 74)
        let x = randomTensor([4, 16], seed: 75)
        let first = layer.forward(x).data, second = layer.forward(x).data
        let masksDiffer = first != second
        #expect(masksDiffer, "two training passes must see two different dropout masks")
        #expect(firstBitMismatch(plain.forward(x).data, first) != nil, "a training pass must see the dropped input x̃")
        layer.isTraining = false
        #expect(firstBitMismatch(plain.forward(x).data, layer.forward(x).data) == nil, "evaluation: no dropout")
    }
}
