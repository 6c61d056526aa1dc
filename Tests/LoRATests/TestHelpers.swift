import Core
import Foundation
import LoRA
import NN
import TensorIO
import TestSupport
import Testing

/// The path of a file in Tests/LoRATests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String { try Fixtures(.module).path(name) }

/// A float32 fixture as a Tensor of its own shape.
func loadTensor(_ name: String) throws -> Tensor { try Fixtures(.module).tensor(name) }

/// One peft reference case: the arrays and the LoRA layer built from them.
struct PeftCase {
    let x: Tensor, weight: Tensor, bias: Tensor, a: Tensor, b: Tensor
    let output: Tensor, mergedWeight: Tensor, mergedOutput: Tensor
    let config: LoRAConfig

    init(_ folder: String, useRSLoRA: Bool) throws {
        func load(_ file: String) throws -> Tensor { try loadTensor("peft_lora/\(folder)/\(file).npy") }
        x = try load("X")
        weight = try load("base_weight")
        bias = try load("bias")
        a = try load("lora_A")
        b = try load("lora_B")
        output = try load("output")
        mergedWeight = try load("merged_weight")
        mergedOutput = try load("merged_output")
        config = LoRAConfig(rank: 4, alpha: 8, useRSLoRA: useRSLoRA, targetModules: ["lin"])
    }

    /// A fresh LoRA layer holding this case's W, b, A and B.
    func layer() -> LoRALinear {
        let base = Linear(
            weight: Parameter(name: "lin.weight", shape: weight.shape, value: weight.data),
            bias: Parameter(name: "lin.bias", shape: bias.shape, value: bias.data))
        return LoRALinear(base: base, config: config, a: a.data, b: b.data)
    }

    static let all: [(String, Bool)] = [("r4_alpha8", false), ("r4_alpha8_rslora", true)]
}

/// A tensor of normal values with a small positive mean (asymmetric on purpose).
func randomTensor(_ shape: [Int], seed: UInt64, std: Double = 1) -> Tensor {
    var rng = SeededRNG(seed: seed)
    return Tensor(shape: shape, data: rng.normalFloats(Tensor.elementCount(shape), mean: 0.1 * std, std: std))
}

/// A Linear with random weights and bias, named `name`.
func randomLinear(in inFeatures: Int, out outFeatures: Int, name: String = "proj", seed: UInt64) -> Linear {
    var rng = SeededRNG(seed: seed)
    return Linear(inFeatures: inFeatures, outFeatures: outFeatures, name: name, rng: &rng)
}

/// A LoRA layer whose B is random too (B = 0 would hide every bug in the B-path).
func randomLoRA(in inFeatures: Int, out outFeatures: Int, rank: Int, alpha: Double = 8, useRSLoRA: Bool = false,
                dropout: Double = 0, seed: UInt64) -> LoRALinear {
    var rng = SeededRNG(seed: seed)
    let base = Linear(inFeatures: inFeatures, outFeatures: outFeatures, name: "proj", rng: &rng)
    let config = LoRAConfig(rank: rank, alpha: alpha, useRSLoRA: useRSLoRA, dropout: dropout)
    let a = rng.normalFloats(rank * inFeatures, std: 0.5)
    let b = rng.normalFloats(outFeatures * rank, std: 0.5)
    return LoRALinear(base: base, config: config, a: a, b: b, dropoutSeed: seed &+ 1)
}

/// L = Σᵢ rᵢ · yᵢ in Double: a scalar loss whose gradient with respect to y is r.
func projected(_ y: Tensor, onto r: [Float]) -> Double {
    precondition(y.count == r.count, "projection weights do not match the output")
    var sum = 0.0
    for i in r.indices { sum += Double(r[i]) * Double(y.data[i]) }
    return sum
}

/// Gradient checks of `layer` for L = Σ r ⊙ layer(x): dL/dx and dL/dθ for every *trainable*
/// parameter, against central differences. `beforeForward` runs before each forward pass
/// (to fix a dropout mask).
func checkTrainable(
    _ layer: any Layer, input x: Tensor, seed: UInt64, beforeForward: @escaping () -> Void = {}
) -> [GradientCheck.Result] {
    layer.zeroGrad()
    beforeForward()
    let y = layer.forward(x)
    var rng = SeededRNG(seed: seed)
    let r = rng.normalFloats(y.count)
    let dx = layer.backward(Tensor(shape: y.shape, data: r))
    let input = Parameter(name: "input", shape: x.shape, value: x.data)
    input.grad = dx.data
    let loss = {
        beforeForward()
        return projected(layer.forward(Tensor(shape: x.shape, data: input.value)), onto: r)
    }
    return ([input] + layer.parameters.filter(\.isTrainable)).map { GradientCheck.check($0, loss: loss) }
}

/// Expects every gradient check to pass, printing the worst index of any that fails.
func expectAllPass(_ results: [GradientCheck.Result], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!results.isEmpty, sourceLocation: sourceLocation)
    for result in results {
        #expect(result.passed, "\(result)", sourceLocation: sourceLocation)
    }
}

/// One float32 ulp at the magnitude of `x`.
func ulp(_ x: Double) -> Double { Double(Float(abs(x)).ulp) }
