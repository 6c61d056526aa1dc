import Core
import LoRA
import NF4
import NN
import QLoRA
import TestSupport
import NNTestSupport
import Testing

/// Exercise 7b — `NF4Linear.backward`: the input gradient flows through the frozen 4-bit weight
/// (dequantized again), and nothing is accumulated for W or b. The QLoRA tests below also run
/// the LoRA adapter's forward and backward (exercises 6d and 6e).
@Suite struct Ex7b_BackwardThroughNF4Tests {

    /// dL/dx through the 4-bit base alone, against central differences.
    @Test func inputGradientMatchesFiniteDifferences() throws {
        let layer = try NF4Linear(quantizing: randomLinear(in: 9, out: 6, seed: 81))
        let results = checkTrainable(layer, input: randomTensor([4, 9], seed: 82), seed: 83)
        #expect(results.map(\.name) == ["input"])
        expectAllPass(results)
    }

    /// dx = dy · Ŵ with Chapter 4's Ŵ, to float rounding (any order of the 12-term sums passes);
    /// the codes, the constants and the frozen bias are untouched by forward and backward, and
    /// the bias gets no gradient.
    @Test func backwardWithinRoundingOfDyTimesTheDequantizedWeight() throws {
        let layer = try NF4Linear(quantizing: randomLinear(in: 64, out: 12, seed: 84))
        let stored = layer.weight
        let x = randomTensor([5, 64], seed: 85), dy = randomTensor([5, 12], seed: 86)
        _ = layer.forward(x)
        let dx = layer.backward(dy)
        #expect(dx.shape == [5, 64])
        let expected = Matmul.product(dy.data, layer.weight.dequantize(), m: 5, k: 12, n: 64)
        let scale = expected.map { abs(Double($0)) }.max() ?? 0
        let mismatch = firstMismatch(expected, dx.data) { _ in 1e-6 * scale }
        #expect(mismatch == nil, "dx against dy · Ŵ: \(mismatch ?? "")")
        #expect(layer.weight == stored)
        #expect(layer.bias?.grad.allSatisfy { $0 == 0 } == true, "the frozen bias must get no gradient")
    }

    /// Bit for bit what a float `Linear` holding Ŵ computes (`Matmul.product(dy, Ŵ)`): Chapter 7
    /// prints that the QLoRA model is the dequantized float model, and its fine-tuning runs
    /// reproduce only with this order.
    @Test func backwardIsBitExactWithALinearOnTheDequantizedWeight() throws {
        let layer = try NF4Linear(quantizing: randomLinear(in: 64, out: 12, seed: 84))
        _ = layer.forward(randomTensor([5, 64], seed: 85))
        let dy = randomTensor([5, 12], seed: 86)
        let expected = Matmul.product(dy.data, layer.weight.dequantize(), m: 5, k: 12, n: 64)
        let mismatch = firstBitMismatch(expected, layer.backward(dy).data)
        let order = "bit-exact with a float Linear needs the order the doc comment prescribes: "
            + "Matmul.product(dy, dequantizedWeight(), m: rows, k: out, n: in)"
        #expect(mismatch == nil, "dx: \(mismatch ?? ""); \(order)")
    }

    /// A [2][3][H] input: dx keeps the input's shape.
    @Test func backwardKeepsTheInputShape() throws {
        let layer = try NF4Linear(quantizing: randomLinear(in: 64, out: 8, seed: 87))
        _ = layer.forward(randomTensor([2, 3, 64], seed: 88))
        let dx = layer.backward(randomTensor([2, 3, 8], seed: 89))
        #expect(dx.shape == [2, 3, 64])
        #expect(dx.data.contains { $0 != 0 })
    }

    /// Through a QLoRA layer: dx, dA and dB against central differences, without and with
    /// dropout on the adapter's input (the mask fixed by reseeding before every pass).
    @Test(arguments: [0.0, 0.25])
    func qloraGradientsMatchFiniteDifferences(dropout: Double) throws {
        let layer = try randomQLoRA(in: 10, out: 7, rank: 3, dropout: dropout, seed: 87)
        let results = checkTrainable(layer, input: randomTensor([4, 10], seed: 88), seed: 89) {
            layer.adapter.reseedDropout(90)
        }
        #expect(results.map(\.name) == ["input", "proj.lora_A.weight", "proj.lora_B.weight"])
        expectAllPass(results)
    }

    /// Why 7b matters: an adapter *below* a frozen 4-bit layer learns only through that layer's
    /// input gradient. Here the first layer's A and B are checked against finite differences of
    /// a loss computed after a GELU and a second, adapter-less NF4 layer. (Tolerances 5e-3
    /// relative, 1e-3 absolute: the GELU's curvature makes the h = 1e-2 difference quotient
    /// less exact than for a linear map — the worst case measured is ≈ 1e-3 absolute.)
    @Test func gradientReachesAnAdapterBelowAFrozenFourBitLayer() throws {
        let first = try randomQLoRA(in: 8, out: 12, rank: 2, seed: 91)
        let second = try NF4Linear(quantizing: randomLinear(in: 12, out: 5, name: "top", seed: 92))
        let stack = Stack([first, GELU(), second])
        let results = checkTrainable(stack, input: randomTensor([3, 8], seed: 93), seed: 94, relative: 5e-3, absolute: 1e-3)
        #expect(results.count == 3)
        expectAllPass(results)
        #expect(first.adapter.loraA.grad.contains { $0 != 0 }, "no gradient reached A below the 4-bit layer")
    }
}
