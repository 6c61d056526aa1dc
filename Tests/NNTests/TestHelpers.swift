import Core
import NN
import Testing

/// A tensor of normal values with a small positive mean (asymmetric on purpose).
func randomTensor(_ shape: [Int], seed: UInt64, std: Double = 1) -> Tensor {
    var rng = SeededRNG(seed: seed)
    return Tensor(shape: shape, data: rng.normalFloats(Tensor.elementCount(shape), mean: 0.1 * std, std: std))
}

/// L = Σᵢ rᵢ · yᵢ, summed in Double: a scalar loss whose gradient with respect to y is r.
/// Projecting onto fixed random weights checks every output's gradient at once.
func projected(_ y: Tensor, onto r: [Float]) -> Double {
    precondition(y.count == r.count, "projection weights do not match the output")
    var sum = 0.0
    for i in r.indices { sum += Double(r[i]) * Double(y.data[i]) }
    return sum
}

/// Gradient checks of a layer for the loss L = Σ r ⊙ layer(x): dL/dx and dL/dθ for every
/// parameter, against central differences (see `GradientCheck`).
func checkLayer(
    _ layer: any Layer, input x: Tensor, seed: UInt64, step: Float = 1e-2,
    relative: Double = 2e-3, absolute: Double = 1e-4
) -> [GradientCheck.Result] {
    layer.zeroGrad()
    let y = layer.forward(x)
    var rng = SeededRNG(seed: seed)
    let r = rng.normalFloats(y.count)
    let dx = layer.backward(Tensor(shape: y.shape, data: r))
    let input = Parameter(name: "input", shape: x.shape, value: x.data)
    input.grad = dx.data
    let loss = { projected(layer.forward(Tensor(shape: x.shape, data: input.value)), onto: r) }
    return ([input] + layer.parameters).map {
        GradientCheck.check($0, step: step, relative: relative, absolute: absolute, loss: loss)
    }
}

/// Expects every gradient check to pass, printing the worst index of any that fails.
func expectAllPass(_ results: [GradientCheck.Result], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!results.isEmpty, sourceLocation: sourceLocation)
    for result in results {
        #expect(result.passed, "\(result)", sourceLocation: sourceLocation)
    }
}

/// Expects two arrays to be identical bit for bit (NaN payloads and the sign of zero
/// included); on failure names the first differing index, both values and the largest
/// difference.
func expectBitIdentical(
    _ actual: [Float], _ expected: [Float], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
            sourceLocation: sourceLocation)
    guard actual.count == expected.count else { return }
    let differing = actual.indices.filter { actual[$0].bitPattern != expected[$0].bitPattern }
    guard let first = differing.first else { return }
    let maxDifference = differing.map { abs(Double(actual[$0]) - Double(expected[$0])) }.max()!
    let message: String = "\(what): \(differing.count) of \(actual.count) values differ; first at \(first): "
        + "expected \(expected[first]) (0x\(String(expected[first].bitPattern, radix: 16))), "
        + "got \(actual[first]) (0x\(String(actual[first].bitPattern, radix: 16))); "
        + "max difference \(maxDifference)"
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
}
