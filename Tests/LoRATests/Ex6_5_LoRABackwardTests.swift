import Core
import LoRA
import NN
import Testing

/// Exercise 6.5 — `LoRALinear.backward`: dA and dB accumulate, W₀ and b stay frozen, and the
/// input gradient flows through both paths.
@Suite struct Ex6_5_LoRABackwardTests {

    /// The hand-worked layer of Ex6_4 (s = 2, x = [3, 1], u = 2) with dy = [1, −1]:
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
}

/// Dropout on the adapter's input (peft's `lora_dropout`): inverted dropout while training,
/// nothing in evaluation.
@Suite struct LoRADropoutTests {
    /// About p of the adapter inputs are dropped and the survivors scaled by 1/(1 − p), so the
    /// expected update is unchanged. Checked through the adapter's contribution: with x = 1,
    /// A = [1 … 1] and B = [1] the update is Σ x̃ = (kept inputs) / (1 − p).
    @Test func dropsAboutPOfTheInputsAndRescalesTheRest() {
        let n = 2000, p = 0.3
        let zeros = [Float](repeating: 0, count: n)
        let base = Linear(weight: Parameter(name: "w.weight", shape: [1, n], value: zeros), bias: nil)
        // A = [1, 1, …, 1] (r = 1), B = [1], α = 1: y = Σᵢ x̃ᵢ with x = 1 everywhere.
        let layer = LoRALinear(base: base, config: LoRAConfig(rank: 1, alpha: 1, dropout: p),
                               a: [Float](repeating: 1, count: n), b: [1], dropoutSeed: 71)
        let y = layer.forward(Tensor(shape: [1, n], repeating: 1)).data[0]
        let kept = Double(y) * (1 - p)  // each survivor contributes 1/(1 − p)
        #expect(abs(kept - Double(n) * (1 - p)) < 4 * (Double(n) * p * (1 - p)).squareRoot(), "kept \(kept) of \(n)")
        layer.isTraining = false
        #expect(layer.forward(Tensor(shape: [1, n], repeating: 1)).data[0] == Float(n))
    }

    /// The same seed gives the same masks.
    @Test func masksAreDeterministic() {
        let a = randomLoRA(in: 16, out: 4, rank: 2, dropout: 0.5, seed: 72)
        let b = randomLoRA(in: 16, out: 4, rank: 2, dropout: 0.5, seed: 72)
        let x = randomTensor([3, 16], seed: 73)
        #expect(a.forward(x).data == b.forward(x).data)
    }
}
