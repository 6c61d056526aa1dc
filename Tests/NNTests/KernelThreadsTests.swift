import Core
@testable import NN
import NNTestSupport
import Testing

/// The kernels that share one call out over the cores (`KernelThreads`) return exactly what
/// they return on one thread. Tolerance: none — every output is computed by one thread with
/// the same operations in the same order either way. The sizes are above
/// `KernelThreads.minimumWorkToSplit`, so on a machine with two or more cores the split path
/// runs whenever no other test holds the cores at that moment (the rule is checked on its own).
@Suite struct KernelThreadsTests {
    @Test func theRuleSplitsLargeCallsOverTheCoresNoOtherRunHolds() {
        let large = 97 * 160 * 121
        #expect(KernelThreads.pieces(work: large, items: 17, runs: 0, cores: 2) == 2)
        #expect(KernelThreads.pieces(work: large, items: 17, runs: 1, cores: 2) == 2, "a run alone")
        #expect(KernelThreads.pieces(work: large, items: 17, runs: 2, cores: 2) == 1, "two runs")
        #expect(KernelThreads.pieces(work: large, items: 17, runs: 2, cores: 8) == 7)
        #expect(KernelThreads.pieces(work: large, items: 3, runs: 0, cores: 8) == 3, "≤ items")
        #expect(KernelThreads.pieces(work: 1_000, items: 17, runs: 0, cores: 2) == 1, "small")
        #expect(KernelThreads.pieces(work: large, items: 17, runs: 0, cores: 1) == 1, "one core")
    }

    @Test func splitMatmulEqualsOneThreadAndTheReferenceLoop() {
        let (m, k, n) = (97, 160, 121)  // 1.9M multiply-adds; edge tiles in both directions
        let a = randomTensor([m, k], seed: 311).data, b = randomTensor([k, n], seed: 312).data
        var reference = [Float](repeating: 0, count: m * n)
        Matmul.referenceAccumulate(into: &reference, a, aTransposed: false, b, m: m, k: k, n: n)
        let split = Matmul.product(a, b, m: m, k: k, n: n)
        let alone = KernelThreads.onOneThread { Matmul.product(a, b, m: m, k: k, n: n) }
        expectBitIdentical(split, alone, "A·B split vs one thread")
        expectBitIdentical(split, reference, "A·B split vs reference")
        let start = randomTensor([m, n], seed: 313).data
        var splitGrad = start, aloneGrad = start
        let aT = Matmul.transpose(a, rows: m, cols: k)
        Matmul.accumulateTransposingA(into: &splitGrad, aT, b, m: m, k: k, n: n)
        KernelThreads.onOneThread { Matmul.accumulateTransposingA(into: &aloneGrad, aT, b, m: m, k: k, n: n) }
        expectBitIdentical(splitGrad, aloneGrad, "C += Aᵀ·B split vs one thread")
    }

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
