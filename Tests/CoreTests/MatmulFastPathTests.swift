@testable import Core
import TestSupport
import Testing

/// `Matmul`'s tiled products (`Matmul+Fast.swift`) against the readable loops of
/// `Matmul.swift`: the i-k-j `referenceAccumulate` and the textbook i-j-k `referenceProduct`.
/// Tolerance: none. Every output adds the same k products in the same order in all three, so
/// the results must agree bit for bit — the property the chapters' golden outputs rely on.
@Suite struct MatmulFastPathTests {
    /// Shapes around the 6 × 8 register tile and the 64-deep
    /// k-blocks: edge rows, edge columns, a single row or column, k = 1, k beyond one block,
    /// and the model's own shapes.
    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (1, 1, 1), (5, 3, 7), (6, 8, 8), (7, 9, 9), (13, 17, 29), (12, 300, 16), (3, 513, 5),
        (64, 64, 64), (29, 40, 64), (40, 64, 29), (1, 70, 33), (33, 70, 1), (7, 65, 15), (13, 66, 17),
        (6, 64, 31), (8, 100, 256),
    ]

    /// [[1, 2, 3], [−4, 0.5, 6]] · [[1, −1], [0, 2], [0.25, 4]], worked by hand (every product
    /// and sum is exact in float32).
    @Test func smallProductByHand() {
        let a: [Float] = [1, 2, 3, -4, 0.5, 6], b: [Float] = [1, -1, 0, 2, 0.25, 4]
        let want: [Float] = [1.75, 15, -2.5, 29]
        #expect(Matmul.referenceProduct(a, b, m: 2, k: 3, n: 2) == want)
        #expect(Matmul.product(a, b, m: 2, k: 3, n: 2) == want)
    }

    @Test(arguments: shapes) func productEqualsTheReferenceLoops(_ shape: (m: Int, k: Int, n: Int)) {
        let (m, k, n) = shape
        let a = sampleValues(m * k, seed: 301), b = sampleValues(k * n, seed: 302)
        var reference = [Float](repeating: 0, count: m * n)
        Matmul.referenceAccumulate(into: &reference, a, aTransposed: false, b, m: m, k: k, n: n)
        let fast = Matmul.product(a, b, m: m, k: k, n: n)
        #expect(firstBitMismatch(reference, fast) == nil, "A·B \(shape)")
        let textbook = Matmul.referenceProduct(a, b, m: m, k: k, n: n)
        #expect(firstBitMismatch(reference, textbook) == nil, "i-j-k vs i-k-j \(shape)")
    }

    @Test(arguments: shapes) func productTransposingBEqualsTheReferenceLoop(_ shape: (m: Int, k: Int, n: Int)) {
        let (m, k, n) = shape
        let a = sampleValues(m * k, seed: 303), w = sampleValues(n * k, seed: 304)
        var reference = [Float](repeating: 0, count: m * n)
        Matmul.referenceAccumulate(
            into: &reference, a, aTransposed: false, Matmul.transpose(w, rows: n, cols: k), m: m, k: k, n: n)
        let fast = Matmul.productTransposingB(a, w, m: m, k: k, n: n)
        #expect(firstBitMismatch(reference, fast) == nil, "A·Bᵀ \(shape)")
    }

    /// Accumulating into a non-zero C (a gradient that already holds something).
    @Test(arguments: shapes) func accumulateTransposingAEqualsTheReferenceLoop(_ shape: (m: Int, k: Int, n: Int)) {
        let (m, k, n) = shape
        let a = sampleValues(k * m, seed: 305), b = sampleValues(k * n, seed: 306)
        let start = sampleValues(m * n, seed: 307)
        var reference = start, fast = start
        Matmul.referenceAccumulate(into: &reference, a, aTransposed: true, b, m: m, k: k, n: n)
        Matmul.accumulateTransposingA(into: &fast, a, b, m: m, k: k, n: n)
        #expect(firstBitMismatch(reference, fast) == nil, "C += Aᵀ·B \(shape)")
    }

    /// Signed zeros, infinities and NaN travel through the same operations in the same order.
    @Test func specialValuesFollowTheReference() {
        let (m, k, n) = (7, 5, 11)
        var a = sampleValues(m * k, seed: 308), b = sampleValues(k * n, seed: 309)
        a[0] = -0.0; a[1] = 0; a[7] = .infinity; a[12] = -.infinity; a[20] = .nan
        for j in 0..<n { b[j] = -0.0 }
        b[2 * n + 3] = .nan
        var reference = [Float](repeating: 0, count: m * n)
        Matmul.referenceAccumulate(into: &reference, a, aTransposed: false, b, m: m, k: k, n: n)
        #expect(firstBitMismatch(reference, Matmul.product(a, b, m: m, k: k, n: n)) == nil)
    }

    /// A product large enough to be shared out over the cores (`KernelThreads`) equals the
    /// one-thread product and the reference loop, bit for bit.
    @Test func splitProductEqualsOneThreadAndTheReferenceLoop() {
        let (m, k, n) = (97, 160, 121)  // 1.9M multiply-adds; edge tiles in both directions
        let a = sampleValues(m * k, seed: 311), b = sampleValues(k * n, seed: 312)
        var reference = [Float](repeating: 0, count: m * n)
        Matmul.referenceAccumulate(into: &reference, a, aTransposed: false, b, m: m, k: k, n: n)
        let split = Matmul.product(a, b, m: m, k: k, n: n)
        let alone = KernelThreads.onOneThread { Matmul.product(a, b, m: m, k: k, n: n) }
        #expect(firstBitMismatch(alone, split) == nil, "split vs one thread")
        #expect(firstBitMismatch(reference, split) == nil, "split vs reference")
        let start = sampleValues(m * n, seed: 313), aT = Matmul.transpose(a, rows: m, cols: k)
        var splitGrad = start, aloneGrad = start
        Matmul.accumulateTransposingA(into: &splitGrad, aT, b, m: m, k: k, n: n)
        KernelThreads.onOneThread { Matmul.accumulateTransposingA(into: &aloneGrad, aT, b, m: m, k: k, n: n) }
        #expect(firstBitMismatch(aloneGrad, splitGrad) == nil, "C += Aᵀ·B split vs one thread")
    }
}

/// When a call is shared out over the cores (the kernels' tests prove a split call's result
/// is the one-thread result; this checks the rule that decides).
@Suite struct KernelThreadsTests {
    @Test func largeCallsSplitOverTheCoresNoOtherRunHolds() {
        let large = 97 * 160 * 121
        #expect(KernelThreads.pieces(work: large, items: 17, runs: 0, cores: 2) == 2)
        #expect(KernelThreads.pieces(work: large, items: 17, runs: 1, cores: 2) == 2, "a run alone")
        #expect(KernelThreads.pieces(work: large, items: 17, runs: 2, cores: 2) == 1, "two runs")
        #expect(KernelThreads.pieces(work: large, items: 17, runs: 2, cores: 8) == 7)
        #expect(KernelThreads.pieces(work: large, items: 3, runs: 0, cores: 8) == 3, "≤ items")
        #expect(KernelThreads.pieces(work: 1_000, items: 17, runs: 0, cores: 2) == 1, "small")
        #expect(KernelThreads.pieces(work: large, items: 17, runs: 0, cores: 1) == 1, "one core")
    }
}
