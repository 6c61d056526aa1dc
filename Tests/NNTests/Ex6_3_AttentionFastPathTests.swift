import Core
import NN
import Testing

/// Exercise 6.3, continued — `ScaledDotProductAttention.referenceBackward` (the loops you
/// write) and the fast path `forward`/`backward` that the models run. The fast path
/// vectorises across independent outputs and keeps every sum's order, so the two must agree
/// bit for bit — no tolerance.
@Suite struct Ex6_3_AttentionFastPathTests {
    /// [B, T, C] and heads: head widths 1, 3, 4, 6 and 16 (not all multiples of the 4-lane
    /// vectors), sequence lengths around the 16-key passes, and the model's own shape.
    static let cases: [(shape: [Int], heads: Int)] = [
        ([1, 1, 4], 1), ([2, 5, 6], 2), ([1, 9, 12], 3), ([2, 17, 8], 2), ([1, 33, 12], 2),
        ([3, 20, 6], 6), ([2, 64, 64], 4),
    ]

    @Test(arguments: cases) func fastPathEqualsTheReferenceBitForBit(_ testCase: (shape: [Int], heads: Int)) {
        let shape = testCase.shape
        let q = randomTensor(shape, seed: 401, std: 2), k = randomTensor(shape, seed: 402, std: 2)
        let v = randomTensor(shape, seed: 403), dOut = randomTensor(shape, seed: 404)
        let reference = ScaledDotProductAttention(heads: testCase.heads)
        let fast = ScaledDotProductAttention(heads: testCase.heads)
        let label = "\(shape), \(testCase.heads) heads"
        expectBitIdentical(
            fast.forward(query: q, key: k, value: v).data,
            reference.referenceForward(query: q, key: k, value: v).data, "out \(label)")
        let want = reference.referenceBackward(dOut), got = fast.backward(dOut)
        expectBitIdentical(got.query.data, want.query.data, "dq \(label)")
        expectBitIdentical(got.key.data, want.key.data, "dk \(label)")
        expectBitIdentical(got.value.data, want.value.data, "dv \(label)")
    }

    /// Backward after the other forward: both forwards leave the same cache.
    @Test func theCachesOfBothForwardsAreInterchangeable() {
        let shape = [2, 7, 8]
        let q = randomTensor(shape, seed: 405), k = randomTensor(shape, seed: 406), v = randomTensor(shape, seed: 407)
        let dOut = randomTensor(shape, seed: 408)
        let attention = ScaledDotProductAttention(heads: 2)
        _ = attention.referenceForward(query: q, key: k, value: v)
        let afterReference = attention.backward(dOut)
        _ = attention.forward(query: q, key: k, value: v)
        expectBitIdentical(attention.referenceBackward(dOut).query.data, afterReference.query.data, "dq")
    }

    /// The reference backward alone against finite differences (what exercise 6.3 asks for).
    @Test func referenceGradientsMatchFiniteDifferences() {
        let shape = [2, 4, 6]
        let attention = ScaledDotProductAttention(heads: 2)
        let q = Parameter(name: "q", shape: shape, value: randomTensor(shape, seed: 409).data)
        let k = Parameter(name: "k", shape: shape, value: randomTensor(shape, seed: 410).data)
        let v = Parameter(name: "v", shape: shape, value: randomTensor(shape, seed: 411).data)
        let run = { attention.referenceForward(query: q.tensor, key: k.tensor, value: v.tensor) }
        var rng = SeededRNG(seed: 412)
        let r = rng.normalFloats(Tensor.elementCount(shape))
        _ = run()
        let grads = attention.referenceBackward(Tensor(shape: shape, data: r))
        (q.grad, k.grad, v.grad) = (grads.query.data, grads.key.data, grads.value.data)
        expectAllPass([q, k, v].map { GradientCheck.check($0) { projected(run(), onto: r) } })
    }
}
