import Core
import NN
import NNTestSupport
import Testing

/// `Linear`'s forward (x·Wᵀ + b in one tiled kernel) and backward (dW, db, dx) against Core's
/// readable matmul loop (`Matmul.referenceAccumulate`). Tolerance: none — the tiled products
/// add every output's terms in the loop's order (Core's `MatmulFastPathTests`).
@Suite struct LinearFastPathTests {
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
