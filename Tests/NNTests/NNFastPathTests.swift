import Core
import NN
import NNTestSupport
import Testing

/// The elementwise fast paths against their one-value references: GELU (tanh without the C
/// library, used only where it provably rounds the same), `FastExp` (attention's softmax),
/// the one-pass softmax cross-entropy, and LayerNorm's forward. Tolerance: none — each fast
/// path must return the reference's Float bit for bit.
@Suite struct NNFastPathTests {
    /// 2³² / 4099 ≈ 1.05 million Float bit patterns spread over the whole range (every sign,
    /// exponent, subnormals, infinities and NaNs), plus values picked on purpose: signed
    /// zeros, the ends of the fast path's range, and GELU's derivative near its zero.
    static func sampledFloats() -> [Float] {
        var values = stride(from: UInt64(0), to: 1 << 32, by: 4099).map { Float(bitPattern: UInt32($0)) }
        values += [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNormalMagnitude,
                   9, -9, 9.000001, -9.000001, -0.7518, -0.75179, -0.75181, -700, -700.0001, -87.33655, -103.9721]
        var rng = SeededRNG(seed: 601)
        values += rng.normalFloats(100_000, std: 2)  // where a network's activations live
        return values
    }

    @Test func geluLayerEqualsValueAndDerivativeBitForBit() {
        let x = Self.sampledFloats()
        let gelu = GELU()
        let y = gelu.forward(Tensor(shape: [x.count], data: x))
        let d = gelu.backward(Tensor(shape: [x.count], repeating: 1))  // dx = 1 · dy/dx
        expectBitIdentical(y.data, x.map(GELU.referenceValue), "GELU values")
        expectBitIdentical(d.data, x.map(GELU.referenceDerivative), "GELU derivatives")
    }

    @Test func fastExpEqualsTheLibraryBitForBit() {
        let x = Self.sampledFloats()
        var out = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { FastExp.apply(x.baseAddress!, count: x.count, into: $0.baseAddress!) }
        }
        expectBitIdentical(out, x.map(FastExp.reference), "exp")
    }

    /// One pass (exponentials once) against the loss-then-softmax reference: the same loss
    /// and the same probabilities (seen through backward).
    @Test(arguments: [(1, 2), (6, 29), (64, 29), (9, 100)]) func crossEntropyEqualsTheReference(_ size: (Int, Int)) {
        let (rows, classes) = size
        let logits = randomTensor([rows, classes], seed: 602, std: 4)
        var rng = SeededRNG(seed: 603)
        let targets = (0..<rows).map { _ in rng.index(below: classes) }
        let fast = SoftmaxCrossEntropy(), reference = SoftmaxCrossEntropy()
        let loss = fast.forward(logits, targets: targets)
        let referenceLoss = reference.referenceForward(logits, targets: targets)
        expectBitIdentical([loss], [referenceLoss], "loss \(size)")
        expectBitIdentical(fast.backward().data, reference.backward().data, "dlogits \(size)")
    }

    /// LayerNorm's forward (four rows per pass, one per SIMD lane) against the one-row loop.
    @Test(arguments: [1, 4, 6, 11]) func layerNormForwardEqualsTheRowLoop(rows: Int) {
        let c = 9
        let norm = LayerNorm(features: c, name: "ln")
        var rng = SeededRNG(seed: 604)
        norm.weight.value = rng.normalFloats(c, mean: 1, std: 0.3)
        norm.bias.value = rng.normalFloats(c, std: 0.3)
        let x = randomTensor([rows, c], seed: 605, std: 3)
        var y = [Float](repeating: 0, count: rows * c)
        for r in 0..<rows {
            var mean: Float = 0
            for j in 0..<c { mean += x.data[r * c + j] }
            mean /= Float(c)
            var variance: Float = 0
            for j in 0..<c {
                let d = x.data[r * c + j] - mean
                variance += d * d
            }
            variance /= Float(c)
            let s = 1 / (variance + norm.epsilon).squareRoot()
            for j in 0..<c { y[r * c + j] = norm.weight.value[j] * ((x.data[r * c + j] - mean) * s) + norm.bias.value[j] }
        }
        expectBitIdentical(norm.forward(x).data, y, "LayerNorm forward, \(rows) rows")
    }
}
