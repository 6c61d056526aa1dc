import Core
import NN
import NNTestSupport
import TestSupport
import Testing

/// Expects two arrays to be identical bit for bit (NaN payloads and the sign of zero
/// included); on failure names the first differing index, both values and the largest
/// difference (TestSupport's `firstBitMismatch`).
func expectBitIdentical(
    _ actual: [Float], _ expected: [Float], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    if let mismatch = firstBitMismatch(expected, actual) {
        Issue.record(Comment(rawValue: "\(what): \(mismatch)"), sourceLocation: sourceLocation)
    }
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
