import Core
import LoRA
import NN
import TestSupport
import Testing

/// Exercise 6.4 — `LoRALinear.forward`: y = x·W₀ᵀ + b + s·(x·Aᵀ)·Bᵀ.
@Suite struct Ex6_4_LoRAForwardTests {

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
    func forwardMatchesPeft(folder: String, useRSLoRA: Bool) throws {
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

    /// 2γₙ·M for every output of a reference case (see `forwardMatchesPeft`).
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

    /// s = α/r, and α/√r with rsLoRA (peft's `scaling[adapter]`).
    @Test func scalingIsAlphaOverRankOrOverRootRank() {
        #expect(LoRAConfig(rank: 4, alpha: 8).scaling == 2)
        #expect(LoRAConfig(rank: 4, alpha: 8, useRSLoRA: true).scaling == 4)
        #expect(LoRAConfig(rank: 16, alpha: 16).scaling == 1)
        #expect(LoRAConfig(rank: 16, alpha: 16, useRSLoRA: true).scaling == 4)
    }

    /// A ~ U(−1/√in, 1/√in) (kaiming_uniform_ with a = √5), B = 0; the base is frozen and
    /// the adapter is trainable; the names extend the base layer's.
    @Test func initialisationFollowsPeft() {
        let inFeatures = 100
        let base = randomLinear(in: inFeatures, out: 30, name: "blocks.0.attn.query", seed: 44)
        var rng = SeededRNG(seed: 45)
        let layer = LoRALinear(base: base, config: LoRAConfig(rank: 8, alpha: 16), rng: &rng)
        let bound = Float(1 / Double(inFeatures).squareRoot())
        #expect(layer.loraA.shape == [8, inFeatures] && layer.loraB.shape == [30, 8])
        #expect(layer.loraA.value.allSatisfy { $0 >= -bound && $0 < bound })
        // A uniform on ±bound has variance bound²/3; 800 draws pin it to about ±10%.
        let variance = layer.loraA.value.reduce(0.0) { $0 + Double($1) * Double($1) } / 800
        let expected = Double(bound * bound) / 3
        #expect(abs(variance - expected) < 0.15 * expected, "variance \(variance), expected \(expected)")
        #expect(layer.loraA.name == "blocks.0.attn.query.lora_A.weight")
        #expect(layer.loraB.name == "blocks.0.attn.query.lora_B.weight")
        #expect(layer.parameters.map(\.isTrainable) == [false, false, true, true])
    }

    /// A [B][T][C] input keeps its leading dimensions and equals the folded [B·T][C] result.
    @Test func rankThreeInputsFoldIntoRows() {
        let layer = randomLoRA(in: 6, out: 5, rank: 2, seed: 46)
        let x = randomTensor([2, 3, 6], seed: 47)
        let y = layer.forward(x)
        #expect(y.shape == [2, 3, 5])
        #expect(layer.forward(x.reshaped([6, 6])).data == y.data)
    }
}
