import Core
import LoRA
import NN
import TestSupport
import NNTestSupport
import Testing

/// Exercise 6e — `LoRAAdapter.backward`, the low-rank half of `LoRALinear.backward`: dA and
/// dB accumulate, W₀ and b stay frozen, and the input gradient flows through both paths.
@Suite struct Ex6e_LoRABackwardTests {

    /// The hand-worked layer of Ex6d (s = 2, x = [3, 1], u = 2) with dy = [1, −1]:
    /// g = s·dy = [2, −2]; dB = gᵀ·u = [4, −4]; du = g·B = 2·2 − 2·0.5 = 3;
    /// dA = du·x = [9, 3]; dx = dy·W₀ + du·A = [1 − 3, 2 − 4] + [3, −3] = [1, −5].
    @Test func handWorkedExample() {
        let base = Linear(
            weight: Parameter(name: "w.weight", shape: [2, 2], value: [1, 2, 3, 4]),
            bias: Parameter(name: "w.bias", shape: [2], value: [0.5, -0.5]))
        let layer = LoRALinear(base: base, config: LoRAConfig(rank: 1, alpha: 2), a: [1, -1], b: [2, 0.5])
        _ = layer.forward(Tensor(shape: [1, 2], data: [3, 1]))
        let dx = layer.backward(Tensor(shape: [1, 2], data: [1, -1]))
        #expect(dx.data == [1, -5])
        #expect(layer.loraB.grad == [4, -4])
        #expect(layer.loraA.grad == [9, 3])
        #expect(base.weight.grad == [0, 0, 0, 0] && base.bias!.grad == [0, 0])
    }

    /// dA, dB and dx against central differences, for plain LoRA and for rsLoRA.
    @Test(arguments: [false, true])
    func gradientsMatchFiniteDifferences(useRSLoRA: Bool) {
        let layer = randomLoRA(in: 7, out: 5, rank: 3, useRSLoRA: useRSLoRA, seed: 51)
        expectAllPass(checkTrainable(layer, input: randomTensor([4, 7], seed: 52), seed: 53))
    }

    /// With dropout the same mask must be used in every forward pass of the check, so the
    /// dropout generator is reseeded before each; the gradient then matches that mask's function.
    @Test func gradientsMatchFiniteDifferencesWithDropout() {
        let layer = randomLoRA(in: 8, out: 6, rank: 2, dropout: 0.25, seed: 54)
        let results = checkTrainable(layer, input: randomTensor([3, 8], seed: 55), seed: 56) { layer.reseedDropout(57) }
        expectAllPass(results)
    }

    /// The frozen weight and bias receive no gradient at all, while A and B do.
    @Test func frozenBaseGetsNoGradient() {
        let layer = randomLoRA(in: 6, out: 4, rank: 2, seed: 58)
        _ = layer.forward(randomTensor([3, 6], seed: 59))
        _ = layer.backward(randomTensor([3, 4], seed: 60))
        #expect(layer.base.weight.grad.allSatisfy { $0 == 0 })
        #expect(layer.base.bias!.grad.allSatisfy { $0 == 0 })
        #expect(layer.loraA.grad.contains { $0 != 0 } && layer.loraB.grad.contains { $0 != 0 })
    }

    /// Right after peft's init (B = 0) dA is zero — A gets its first gradient only once B
    /// has moved — while dB is not: the reason B, not A, starts at zero (LoRA §4.1).
    @Test func atInitialisationOnlyBLearns() {
        let base = randomLinear(in: 6, out: 4, seed: 61)
        var rng = SeededRNG(seed: 62)
        let layer = LoRALinear(base: base, config: LoRAConfig(rank: 2, alpha: 4), rng: &rng)
        _ = layer.forward(randomTensor([3, 6], seed: 63))
        _ = layer.backward(randomTensor([3, 4], seed: 64))
        #expect(layer.loraA.grad.allSatisfy { $0 == 0 })
        #expect(layer.loraB.grad.contains { $0 != 0 })
    }

    /// Gradients accumulate across backward calls until zeroed, as with every NN layer.
    @Test func gradientsAccumulateUntilZeroed() {
        let layer = randomLoRA(in: 5, out: 3, rank: 2, seed: 65)
        let x = randomTensor([2, 5], seed: 66), dy = randomTensor([2, 3], seed: 67)
        _ = layer.forward(x)
        _ = layer.backward(dy)
        let once = layer.loraA.grad
        _ = layer.backward(dy)
        #expect(layer.loraA.grad == once.map { $0 + $0 })
        layer.zeroGrad()
        #expect(layer.loraA.grad.allSatisfy { $0 == 0 })
    }

    /// dA, dB (onto gradients that already hold values) and dx of a standalone adapter against
    /// the same sums as plain loops (`AdapterLoops`): within float32 rounding.
    @Test(arguments: [false, true])
    func gradientsWithinRoundingOfTheReferenceLoops(useRSLoRA: Bool) {
        let (want, got) = Self.loopsAndAdapter(AdapterCase(useRSLoRA: useRSLoRA))
        for (what, expected, actual) in [("dA", want.dA, got.dA), ("dB", want.dB, got.dB), ("dx", want.dx, got.dx)] {
            let scale = expected.map { abs(Double($0)) }.max() ?? 0
            let mismatch = firstMismatch(expected, actual, tolerance: { _ in 1e-5 * scale })
            #expect(mismatch == nil, "\(what): \(mismatch ?? "")")
        }
    }

    /// The same, bit for bit, in the order the doc comment prescribes (Chapters 6 and 7 train
    /// with it and print the results).
    @Test(arguments: [false, true])
    func gradientsBitExactWithTheReferenceLoops(useRSLoRA: Bool) {
        let (want, got) = Self.loopsAndAdapter(AdapterCase(useRSLoRA: useRSLoRA))
        let order = "bit-exact with the chapters needs the order the doc comment prescribes: g = dy·s; dB += gᵀ·u and "
            + "dA += duᵀ·x̃ term by term onto the gradient, rows in order; du = g·B and dx = du·A summed from 0 in order"
        for (what, expected, actual) in [("dA", want.dA, got.dA), ("dB", want.dB, got.dB), ("dx", want.dx, got.dx)] {
            let mismatch = firstBitMismatch(expected, actual)
            #expect(mismatch == nil, "\(what): \(order) — \(mismatch ?? "")")
        }
    }

    /// (loops, adapter) gradients for one case, from the same non-zero starting gradients.
    static func loopsAndAdapter(_ c: AdapterCase)
        -> (loops: (dA: [Float], dB: [Float], dx: [Float]), adapter: (dA: [Float], dB: [Float], dx: [Float]))
    {
        let u = c.loops.forward(x: c.x.data, a: c.a, b: c.b).u
        let want = c.loops.backward(dy: c.dy.data, u: u, x: c.x.data, a: c.a, b: c.b, dA: c.startA, dB: c.startB)
        let adapter = c.adapter()
        _ = adapter.forward(c.x)
        adapter.loraA.grad = c.startA
        adapter.loraB.grad = c.startB
        let dx = adapter.backward(c.dy)
        #expect(dx.shape == c.x.shape, "dx has the input's shape")
        return (want, (adapter.loraA.grad, adapter.loraB.grad, dx.data))
    }
}
