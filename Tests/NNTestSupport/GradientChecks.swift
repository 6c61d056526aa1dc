import Core
import NN
import Testing

// Gradient checks shared by every test target whose layers have a backward pass (NN, LoRA,
// QLoRA, TinyGPT, MoE): one copy, so a fix to the check reaches every layer.

/// A tensor of normal values with a small positive mean (asymmetric on purpose).
public func randomTensor(_ shape: [Int], seed: UInt64, std: Double = 1) -> Tensor {
    var rng = SeededRNG(seed: seed)
    return Tensor(shape: shape, data: rng.normalFloats(Tensor.elementCount(shape), mean: 0.1 * std, std: std))
}

/// L = Σᵢ rᵢ · yᵢ, summed in Double: a scalar loss whose gradient with respect to y is r.
/// Projecting onto fixed random weights checks every output's gradient at once.
public func projected(_ y: Tensor, onto r: [Float]) -> Double {
    precondition(y.count == r.count, "projection weights do not match the output")
    var sum = 0.0
    for i in r.indices { sum += Double(r[i]) * Double(y.data[i]) }
    return sum
}

/// Gradient checks of `layer` for the loss L = Σ r ⊙ layer(x) with random r: dL/dx and dL/dθ
/// against central differences (`GradientCheck`) — for every parameter, or only the trainable
/// ones when `trainableOnly`. `beforeForward` runs before each forward pass (to fix a dropout
/// mask).
public func checkGradients(
    _ layer: any Layer, input x: Tensor, seed: UInt64, trainableOnly: Bool, step: Float = 1e-2,
    relative: Double = 2e-3, absolute: Double = 1e-4, beforeForward: @escaping () -> Void = {}
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
    let parameters = trainableOnly ? layer.parameters.filter(\.isTrainable) : layer.parameters
    return ([input] + parameters).map {
        GradientCheck.check($0, step: step, relative: relative, absolute: absolute, loss: loss)
    }
}

/// ``checkGradients`` for every parameter of `layer`.
public func checkLayer(
    _ layer: any Layer, input x: Tensor, seed: UInt64, step: Float = 1e-2,
    relative: Double = 2e-3, absolute: Double = 1e-4
) -> [GradientCheck.Result] {
    checkGradients(layer, input: x, seed: seed, trainableOnly: false, step: step, relative: relative, absolute: absolute)
}

/// ``checkGradients`` for the trainable parameters of `layer` (frozen ones get no gradient).
public func checkTrainable(
    _ layer: any Layer, input x: Tensor, seed: UInt64, relative: Double = 2e-3, absolute: Double = 1e-4,
    beforeForward: @escaping () -> Void = {}
) -> [GradientCheck.Result] {
    checkGradients(
        layer, input: x, seed: seed, trainableOnly: true, relative: relative, absolute: absolute,
        beforeForward: beforeForward)
}

/// Expects every gradient check to pass, printing the worst index of any that fails.
public func expectAllPass(_ results: [GradientCheck.Result], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!results.isEmpty, sourceLocation: sourceLocation)
    for result in results {
        #expect(result.passed, "\(result)", sourceLocation: sourceLocation)
    }
}
