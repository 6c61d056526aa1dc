import Core
import NN
import NNTestSupport
import Testing

/// `Matmul`'s tiled products against the readable i-k-j loop (`referenceAccumulate`) and the
/// textbook i-j-k loop (`naiveProduct`). Tolerance: none. Every output adds the same k
/// products in the same order in all three, so the results must agree bit for bit — the
/// property the chapters' golden outputs rely on.
@Suite struct MatmulFastPathTests {
    /// Shapes around the 6 × 8 register tile and the 256-deep k-blocks: edge rows, edge
    /// columns, a single row or column, k = 1, k beyond one block, and the model's own shapes.
    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (1, 1, 1), (5, 3, 7), (6, 8, 8), (7, 9, 9), (13, 17, 29), (12, 300, 16), (3, 513, 5),
        (64, 64, 64), (29, 40, 64), (40, 64, 29), (1, 70, 33), (33, 70, 1),
    ]

    @Test(arguments: shapes) func productEqualsTheReferenceLoops(_ shape: (m: Int, k: Int, n: Int)) {
        let (m, k, n) = shape
        let a = randomTensor([m, k], seed: 301).data, b = randomTensor([k, n], seed: 302).data
        var reference = [Float](repeating: 0, count: m * n)
        Matmul.referenceAccumulate(into: &reference, a, aTransposed: false, b, m: m, k: k, n: n)
        expectBitIdentical(Matmul.product(a, b, m: m, k: k, n: n), reference, "A·B \(shape)")
        expectBitIdentical(Matmul.naiveProduct(a, b, m: m, k: k, n: n), reference, "naive A·B \(shape)")
    }

    @Test(arguments: shapes) func productTransposingBEqualsTheReferenceLoop(_ shape: (m: Int, k: Int, n: Int)) {
        let (m, k, n) = shape
        let a = randomTensor([m, k], seed: 303).data, w = randomTensor([n, k], seed: 304).data
        var reference = [Float](repeating: 0, count: m * n)
        Matmul.referenceAccumulate(
            into: &reference, a, aTransposed: false, Matmul.transpose(w, rows: n, cols: k), m: m, k: k, n: n)
        expectBitIdentical(Matmul.productTransposingB(a, w, m: m, k: k, n: n), reference, "A·Bᵀ \(shape)")
    }

    /// Accumulating into a non-zero C (a gradient that already holds something).
    @Test(arguments: shapes) func accumulateTransposingAEqualsTheReferenceLoop(_ shape: (m: Int, k: Int, n: Int)) {
        let (m, k, n) = shape
        let a = randomTensor([k, m], seed: 305).data, b = randomTensor([k, n], seed: 306).data
        let start = randomTensor([m, n], seed: 307).data
        var reference = start, fast = start
        Matmul.referenceAccumulate(into: &reference, a, aTransposed: true, b, m: m, k: k, n: n)
        Matmul.accumulateTransposingA(into: &fast, a, b, m: m, k: k, n: n)
        expectBitIdentical(fast, reference, "C += Aᵀ·B \(shape)")
    }

    /// Signed zeros, infinities and NaN travel through the same operations in the same order.
    @Test func specialValuesFollowTheReference() {
        let (m, k, n) = (7, 5, 11)
        var a = randomTensor([m, k], seed: 308).data, b = randomTensor([k, n], seed: 309).data
        a[0] = -0.0; a[1] = 0; a[7] = .infinity; a[12] = -.infinity; a[20] = .nan
        for j in 0..<n { b[j] = -0.0 }
        b[2 * n + 3] = .nan
        var reference = [Float](repeating: 0, count: m * n)
        Matmul.referenceAccumulate(into: &reference, a, aTransposed: false, b, m: m, k: k, n: n)
        expectBitIdentical(Matmul.product(a, b, m: m, k: k, n: n), reference, "A·B with special values")
    }

    /// A Linear layer's forward (x·Wᵀ + b in one kernel) and backward (dW, db, dx) against
    /// the reference loops; a frozen layer leaves its gradients untouched but returns the same dx.
    @Test(arguments: [false, true]) func linearEqualsTheReferenceLoops(frozen: Bool) {
        var rng = SeededRNG(seed: 310)
        let layer = Linear(inFeatures: 19, outFeatures: 13, name: "fc", rng: &rng)
        if frozen { for p in layer.parameters { p.isTrainable = false } }
        let x = randomTensor([2, 7, 19], seed: 311), dy = randomTensor([2, 7, 13], seed: 312)
        let (rows, w, b) = (14, layer.weight.value, layer.bias!.value)
        var y = [Float](repeating: 0, count: rows * 13)
        Matmul.referenceAccumulate(into: &y, x.data, aTransposed: false, Matmul.transpose(w, rows: 13, cols: 19),
                                   m: rows, k: 19, n: 13)
        for r in 0..<rows { for o in 0..<13 { y[r * 13 + o] += b[o] } }
        expectBitIdentical(layer.forward(x).data, y, "Linear forward")
        var dW = [Float](repeating: 0, count: 13 * 19), db = [Float](repeating: 0, count: 13)
        Matmul.referenceAccumulate(into: &dW, dy.data, aTransposed: true, x.data, m: 13, k: rows, n: 19)
        for r in 0..<rows { for o in 0..<13 { db[o] += dy.data[r * 13 + o] } }
        var dx = [Float](repeating: 0, count: rows * 19)
        Matmul.referenceAccumulate(into: &dx, dy.data, aTransposed: false, w, m: rows, k: 13, n: 19)
        layer.zeroGrad()
        expectBitIdentical(layer.backward(dy).data, dx, "Linear dx")
        let zeros13x19 = [Float](repeating: 0, count: 13 * 19), zeros13 = [Float](repeating: 0, count: 13)
        expectBitIdentical(layer.weight.grad, frozen ? zeros13x19 : dW, "Linear dW (frozen: \(frozen))")
        expectBitIdentical(layer.bias!.grad, frozen ? zeros13 : db, "Linear db (frozen: \(frozen))")
    }
}
