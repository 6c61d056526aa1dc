import Core
import LoRA
import NN
import NNTestSupport
import Testing

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
