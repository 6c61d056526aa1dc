@testable import Core
import NN
import NNTestSupport
import Testing

/// GELU and attention shared out over the cores (Core's `KernelThreads`) return exactly what
/// they return on one thread. Tolerance: none — every output is computed by one thread with
/// the same operations in the same order either way. The sizes are above
/// `KernelThreads.minimumWorkToSplit`, so on a machine with two or more cores the split path
/// runs whenever no other test holds the cores at that moment (Core's tests check the rule).
@Suite struct SplitKernelTests {
    @Test func splitGELUEqualsOneThread() {
        let x = randomTensor([512, 256], seed: 314)  // TinyGPT's MLP activations per step
        let split = GELU(), alone = GELU()
        let y = split.forward(x), yAlone = KernelThreads.onOneThread { alone.forward(x) }
        expectBitIdentical(y.data, yAlone.data, "GELU forward")
        let dy = randomTensor([512, 256], seed: 315)
        expectBitIdentical(split.backward(dy).data, alone.backward(dy).data, "GELU backward")
    }

    @Test func splitAttentionEqualsOneThread() {
        let shape = [8, 64, 64]  // TinyGPT's batch: 8 windows of 64 characters, C = 64
        let q = randomTensor(shape, seed: 316), k = randomTensor(shape, seed: 317)
        let v = randomTensor(shape, seed: 318), dOut = randomTensor(shape, seed: 319)
        let split = ScaledDotProductAttention(heads: 4), alone = ScaledDotProductAttention(heads: 4)
        let out = split.forward(query: q, key: k, value: v)
        let outAlone = KernelThreads.onOneThread { alone.forward(query: q, key: k, value: v) }
        expectBitIdentical(out.data, outAlone.data, "attention forward")
        let grads = split.backward(dOut), gradsAlone = KernelThreads.onOneThread { alone.backward(dOut) }
        expectBitIdentical(grads.query.data, gradsAlone.query.data, "dq")
        expectBitIdentical(grads.key.data, gradsAlone.key.data, "dk")
        expectBitIdentical(grads.value.data, gradsAlone.value.data, "dv")
    }
}
