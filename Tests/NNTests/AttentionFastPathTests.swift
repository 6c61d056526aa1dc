import Core
import NN
import NNTestSupport
import Testing

/// The fast path `forward`/`backward` of `ScaledDotProductAttention` that the models run,
/// against the readable `referenceForward` and `referenceBackward` (exercise 6c). The fast
/// path vectorises across independent outputs and keeps every sum's order, so the two must
/// agree bit for bit — no tolerance.
@Suite struct AttentionFastPathTests {

    @Test(arguments: AttentionCase.all) func fastPathEqualsTheReferenceBitForBit(_ attentionCase: AttentionCase) {
        let (q, k, v, dOut) = (attentionCase.q, attentionCase.k, attentionCase.v, attentionCase.dOut)
        let reference = ScaledDotProductAttention(heads: attentionCase.heads)
        let fast = ScaledDotProductAttention(heads: attentionCase.heads)
        let label = "\(attentionCase)"
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
        expectBitIdentical(attention.backward(dOut).query.data, afterReference.query.data, "dq")
    }
}
