import Core
import NN
import NNTestSupport
import Testing

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

/// Gradient checks of attention's core for L = Σ r ⊙ attention(q, k, v) with q, k, v of shape
/// [2, 4, 6] (two heads of 3), seeded from `seed` on: dq, dk, dv against central differences.
/// `readable` chooses `referenceForward`/`referenceBackward` (exercise 6c) or the fast pair.
func attentionCoreGradientChecks(readable: Bool, seed: UInt64) -> [GradientCheck.Result] {
    let shape = [2, 4, 6]
    let attention = ScaledDotProductAttention(heads: 2)
    let q = Parameter(name: "q", shape: shape, value: randomTensor(shape, seed: seed).data)
    let k = Parameter(name: "k", shape: shape, value: randomTensor(shape, seed: seed + 1).data)
    let v = Parameter(name: "v", shape: shape, value: randomTensor(shape, seed: seed + 2).data)
    let run = {
        readable
            ? attention.referenceForward(query: q.tensor, key: k.tensor, value: v.tensor)
            : attention.forward(query: q.tensor, key: k.tensor, value: v.tensor)
    }
    var rng = SeededRNG(seed: seed + 3)
    let r = rng.normalFloats(Tensor.elementCount(shape))
    _ = run()
    let dy = Tensor(shape: shape, data: r)
    let grads = readable ? attention.referenceBackward(dy) : attention.backward(dy)
    (q.grad, k.grad, v.grad) = (grads.query.data, grads.key.data, grads.value.data)
    return [q, k, v].map { GradientCheck.check($0) { projected(run(), onto: r) } }
}
