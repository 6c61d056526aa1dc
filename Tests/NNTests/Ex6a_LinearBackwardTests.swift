import Core
import NN
import TestSupport
import NNTestSupport
import Testing

/// Exercise 6a — `Linear.backward`: dx = dy · W, dW += dyᵀ · x, db += Σ dy.
@Suite struct Ex6a_LinearBackwardTests {

    /// A 1 × 3 input through a 3 → 2 layer, small enough to do on paper:
    /// y = [0.5 − 2 + 6 + 0.1, 1 + 0 − 1.5 − 0.2] = [4.6, −0.7];
    /// for dy = [1, −2]: dx = dy · W = [−1.5, −1, 3], dW = dyᵀ x, db = dy.
    @Test func handWorkedExample() {
        let layer = Linear(
            weight: Parameter(name: "w", shape: [2, 3], value: [0.5, -1, 2, 1, 0, -0.5]),
            bias: Parameter(name: "b", shape: [2], value: [0.1, -0.2]))
        let y = layer.forward(Tensor(shape: [1, 3], data: [1, 2, 3]))
        #expect(y.shape == [1, 2])
        #expect(abs(y.data[0] - 4.6) < 1e-6 && abs(y.data[1] - (-0.7)) < 1e-6, "y = \(y.data)")
        let dx = layer.backward(Tensor(shape: [1, 2], data: [1, -2]))
        #expect(dx.data == [-1.5, -1, 3])
        #expect(layer.weight.grad == [1, 2, 3, -2, -4, -6])
        #expect(layer.bias!.grad == [1, -2])
    }

    @Test func gradientsMatchFiniteDifferences() {
        var rng = SeededRNG(seed: 61)
        let layer = Linear(inFeatures: 5, outFeatures: 4, name: "fc", rng: &rng)
        expectAllPass(checkLayer(layer, input: randomTensor([3, 5], seed: 611), seed: 612))
    }

    @Test func layerWithoutBiasHasOnlyAWeight() {
        var rng = SeededRNG(seed: 62)
        let layer = Linear(inFeatures: 4, outFeatures: 3, bias: false, name: "fc", rng: &rng)
        #expect(layer.parameters.map(\.name) == ["fc.weight"])
        expectAllPass(checkLayer(layer, input: randomTensor([2, 4], seed: 621), seed: 622))
    }

    /// A [B][T][C] input is treated as B·T rows; the output keeps the leading dimensions.
    @Test func rankThreeInputsFoldIntoRows() {
        var rng = SeededRNG(seed: 63)
        let layer = Linear(inFeatures: 4, outFeatures: 3, name: "fc", rng: &rng)
        let x = randomTensor([2, 3, 4], seed: 631)
        let y = layer.forward(x)
        #expect(y.shape == [2, 3, 3])
        let flat = layer.forward(x.reshaped([6, 4]))
        #expect(firstBitMismatch(flat.data, y.data) == nil)
        _ = layer.forward(x)
        #expect(layer.backward(randomTensor([2, 3, 3], seed: 633)).shape == [2, 3, 4], "dx has the input's shape")
        expectAllPass(checkLayer(layer, input: x, seed: 632))
    }

    /// Gradients accumulate across backward calls, as in PyTorch, until zeroGrad.
    @Test func gradientsAccumulateUntilZeroed() {
        var rng = SeededRNG(seed: 64)
        let layer = Linear(inFeatures: 3, outFeatures: 2, name: "fc", rng: &rng)
        let x = randomTensor([2, 3], seed: 641)
        let dy = randomTensor([2, 2], seed: 642)
        _ = layer.forward(x)
        _ = layer.backward(dy)
        let once = (layer.weight.grad, layer.bias!.grad)
        #expect(once.0.contains { $0 != 0 } && once.1.contains { $0 != 0 })
        _ = layer.backward(dy)
        #expect(layer.weight.grad == once.0.map { $0 + $0 } && layer.bias!.grad == once.1.map { $0 + $0 })
        layer.zeroGrad()
        #expect(layer.weight.grad.allSatisfy { $0 == 0 } && layer.bias!.grad.allSatisfy { $0 == 0 })
    }

    /// A frozen weight (a LoRA base) or bias gets no gradient at all — the other parameter
    /// still does, and dx is the same as for a trainable layer.
    @Test(arguments: [(true, false), (false, true), (true, true)])
    func frozenParametersGetNoGradient(frozenWeight: Bool, frozenBias: Bool) {
        var rng = SeededRNG(seed: 66)
        let layer = Linear(inFeatures: 5, outFeatures: 3, name: "fc", rng: &rng)
        let x = randomTensor([4, 5], seed: 661), dy = randomTensor([4, 3], seed: 662)
        _ = layer.forward(x)
        let trainableDx = layer.backward(dy)
        layer.zeroGrad()
        layer.weight.isTrainable = !frozenWeight
        layer.bias!.isTrainable = !frozenBias
        let dx = layer.backward(dy)
        #expect(firstBitMismatch(trainableDx.data, dx.data) == nil, "dx must not depend on what is frozen")
        #expect(layer.weight.grad.allSatisfy { $0 == 0 } == frozenWeight, "weight frozen: \(frozenWeight)")
        #expect(layer.bias!.grad.allSatisfy { $0 == 0 } == frozenBias, "bias frozen: \(frozenBias)")
    }

    /// dW, db (accumulated onto gradients that already hold something) and dx against the
    /// same sums in Double: within float32 rounding of the exact values.
    @Test func gradientsWithinRoundingOfTheReferenceLoops() {
        let layerCase = LinearBackwardCase()
        let exact = layerCase.exactInDouble()
        let got = layerCase.run()
        let u = 0x1p-24
        for (what, want, have, magnitude, terms) in [
            ("dW", exact.dW, got.dW, exact.dWMagnitude, layerCase.rows + 1),
            ("db", exact.db, got.db, exact.dbMagnitude, layerCase.rows + 1),
            ("dx", exact.dx, got.dx, exact.dxMagnitude, layerCase.outFeatures),
        ] {
            let mismatch = firstMismatch(want.map { Float($0) }, have, tolerance: { Double(terms + 2) * u * magnitude[$0] + 1e-30 })
            #expect(mismatch == nil, "\(what): \(mismatch ?? "")")
        }
    }

    /// The same, bit for bit with the order the models' matmul kernels use (the readable
    /// `Matmul.referenceAccumulate` loop): every printed number of Chapters 5–8 depends on it.
    @Test func gradientsBitExactWithTheMatmulKernels() {
        let layerCase = LinearBackwardCase()
        let want = layerCase.referenceLoops()
        let got = layerCase.run()
        let order = "bit-exact with NN's Matmul needs the order the doc comment prescribes: dW and db add each row's term onto "
            + "the gradient already there, r = 0, 1, … in order; dx[r][i] sums o = 0, 1, … from 0"
        for (what, expected, actual) in [("dW", want.dW, got.dW), ("db", want.db, got.db), ("dx", want.dx, got.dx)] {
            let mismatch = firstBitMismatch(expected, actual)
            #expect(mismatch == nil, "\(what): \(order) — \(mismatch ?? "")")
        }
    }
}

/// A Linear layer of 19 → 13 features on a [2][35][19] input (70 rows: more than one of the
/// kernel's 64-deep blocks), whose gradients already hold values from an earlier backward.
struct LinearBackwardCase {
    let rows = 70, inFeatures = 19, outFeatures = 13
    let x = randomTensor([2, 35, 19], seed: 671)
    let dy = randomTensor([2, 35, 13], seed: 672)
    let weight = randomTensor([13, 19], seed: 673).data
    let bias = randomTensor([13], seed: 674).data
    let startW = randomTensor([13, 19], seed: 675, std: 5).data
    let startB = randomTensor([13], seed: 676, std: 5).data

    /// The layer's backward, starting from the gradients above.
    func run() -> (dW: [Float], db: [Float], dx: [Float]) {
        let layer = Linear(
            weight: Parameter(name: "fc.weight", shape: [outFeatures, inFeatures], value: weight),
            bias: Parameter(name: "fc.bias", shape: [outFeatures], value: bias))
        _ = layer.forward(x)
        layer.weight.grad = startW
        layer.bias!.grad = startB
        let dx = layer.backward(dy)
        return (layer.weight.grad, layer.bias!.grad, dx.data)
    }

    /// The readable loops of `Matmul` in the prescribed order.
    func referenceLoops() -> (dW: [Float], db: [Float], dx: [Float]) {
        var dW = startW, db = startB, dx = [Float](repeating: 0, count: rows * inFeatures)
        Matmul.referenceAccumulate(into: &dW, dy.data, aTransposed: true, x.data, m: outFeatures, k: rows, n: inFeatures)
        for r in 0..<rows { for o in 0..<outFeatures { db[o] += dy.data[r * outFeatures + o] } }
        Matmul.referenceAccumulate(into: &dx, dy.data, aTransposed: false, weight, m: rows, k: outFeatures, n: inFeatures)
        return (dW, db, dx)
    }

    /// The exact sums in Double, and for each output the sum of its terms' magnitudes.
    func exactInDouble() -> (dW: [Double], db: [Double], dx: [Double],
                             dWMagnitude: [Double], dbMagnitude: [Double], dxMagnitude: [Double]) {
        var dW = startW.map(Double.init), dWm = startW.map { abs(Double($0)) }
        var db = startB.map(Double.init), dbm = startB.map { abs(Double($0)) }
        var dx = [Double](repeating: 0, count: rows * inFeatures), dxm = dx
        for r in 0..<rows {
            for o in 0..<outFeatures {
                let g = Double(dy.data[r * outFeatures + o])
                db[o] += g
                dbm[o] += abs(g)
                for i in 0..<inFeatures {
                    let xi = Double(x.data[r * inFeatures + i]), w = Double(weight[o * inFeatures + i])
                    dW[o * inFeatures + i] += g * xi
                    dWm[o * inFeatures + i] += abs(g * xi)
                    dx[r * inFeatures + i] += g * w
                    dxm[r * inFeatures + i] += abs(g * w)
                }
            }
        }
        return (dW, db, dx, dWm, dbm, dxm)
    }
}
