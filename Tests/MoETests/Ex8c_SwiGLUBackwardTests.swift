import Core
import Foundation
import MoE
import NN
import TestSupport
import Testing

/// Exercise 8c — `SwiGLUExpert.backward`: the product rule through silu(a) ⊙ b, then the two
/// input projections' own backward passes (it calls `Linear.backward`, exercise 6a).
@Suite struct Ex8c_SwiGLUBackwardTests {

    @Test func siluValues() {
        #expect(SwiGLUExpert.silu(0) == 0)
        #expect(SwiGLUExpert.silu(1) == Float(1 / (1 + exp(-1.0))))
        #expect(SwiGLUExpert.silu(-1) == Float(-1 / (1 + exp(1.0))))
        let shut = SwiGLUExpert.silu(-30)
        #expect(shut > -1e-11 && shut < 0, "silu(−30) ≈ −2.8e−12: the gate is shut")
    }

    /// H = 2, I = 1: a = x·W1ᵀ = 1·1 + 2·0 = 1, b = x·W3ᵀ = 0.5·1 − 1·2 = −1.5,
    /// h = silu(1)·(−1.5), y = h·W2ᵀ = h·[2, −3]. Backward for dy = [1, 1]: dh = 2 − 3 = −1,
    /// db = dh · silu(1), da = dh · b · silu′(1); dx = da · W1 + db · W3.
    @Test func handCheckedForwardAndBackward() throws {
        let expert = try SwiGLUExpert(
            w1: Tensor(rows: [[1, 0]]), w3: Tensor(rows: [[0.5, -1]]), w2: Tensor(rows: [[2], [-3]]), name: "e")
        let y = expert.forward(Tensor(rows: [[1, 2]]))
        let s = 1 / (1 + exp(-1.0))
        let h = Float(s) * -1.5
        #expect(y.data == [h * 2, h * -3])
        let dx = expert.backward(Tensor(rows: [[1, 1]]))
        let da = -1 * -1.5 * s * (1 + 1 * (1 - s)), db = -1 * s
        let expected = [da * 1 + db * 0.5, da * 0 + db * -1]
        #expect(dx.shape == [1, 2])
        #expect(firstMismatch(expected.map(Float.init), dx.data) { _ in 1e-6 } == nil, "dx \(dx.data), expected \(expected)")
        #expect(abs(Double(expert.gate.weight.grad[0]) - da) <= 1e-6, "dW1 = daᵀ · x")
        #expect(abs(Double(expert.up.weight.grad[1]) - 2 * db) <= 1e-6, "dW3 = dbᵀ · x")
    }

    @Test func backwardMatchesFiniteDifferences() throws {
        var rng = SeededRNG(seed: 831)
        let expert = SwiGLUExpert(hidden: 5, intermediate: 7, name: "e", rng: &rng)
        let xParameter = Parameter(name: "x", shape: [4, 5], value: randomMatrix(4, 5, seed: 832).data)
        let upstream = randomMatrix(4, 5, seed: 833).data
        let loss = { weightedSum(expert.forward(Tensor(shape: [4, 5], data: xParameter.value)), upstream) }
        expert.zeroGrad()
        _ = expert.forward(Tensor(shape: [4, 5], data: xParameter.value))
        xParameter.grad = expert.backward(Tensor(shape: [4, 5], data: upstream)).data
        for parameter in expert.parameters + [xParameter] {
            let result = GradientCheck.check(parameter, loss: loss)
            #expect(result.passed, "\(result)")
        }
    }

    /// The documented order, written out on copies of the expert's three Linear layers.
    static func reference(_ expert: SwiGLUExpert, x: Tensor, dy: Tensor) -> (dx: [Float], grads: [[Float]]) {
        func copy(_ l: Linear) -> Linear {
            Linear(weight: Parameter(name: l.weight.name, shape: l.weight.shape, value: l.weight.value), bias: nil)
        }
        let (gate, up, down) = (copy(expert.gate), copy(expert.up), copy(expert.down))
        let a = gate.forward(x).data, b = up.forward(x).data
        let h = a.indices.map { SwiGLUExpert.silu(a[$0]) * b[$0] }
        _ = down.forward(Tensor(shape: Array(x.shape.dropLast()) + [expert.intermediate], data: h))
        let dh = down.backward(dy)
        var da = [Float](repeating: 0, count: a.count), db = da
        for i in a.indices {
            let s = 1 / (1 + Math.exp(-Double(a[i])))
            let silu = Double(a[i]) * s
            let siluPrime = s * (1 + Double(a[i]) * (1 - s))
            da[i] = Float(Double(dh.data[i]) * Double(b[i]) * siluPrime)
            db[i] = Float(Double(dh.data[i]) * silu)
        }
        var dx = gate.backward(Tensor(shape: dh.shape, data: da)).data
        let dxUp = up.backward(Tensor(shape: dh.shape, data: db)).data
        for i in dx.indices { dx[i] += dxUp[i] }
        return (dx, [gate.weight.grad, up.weight.grad, down.weight.grad])
    }

    /// A batch laid out [2][3][H]: dx and the three weight gradients.
    static func batch() -> (expert: SwiGLUExpert, x: Tensor, dy: Tensor) {
        var rng = SeededRNG(seed: 834)
        let expert = SwiGLUExpert(hidden: 6, intermediate: 9, name: "e", rng: &rng)
        let x = Tensor(shape: [2, 3, 6], data: randomMatrix(6, 6, seed: 835, std: 2).data)
        let dy = Tensor(shape: [2, 3, 6], data: randomMatrix(6, 6, seed: 836).data)
        return (expert, x, dy)
    }

    /// dx, dW1, dW3, dW2 within 1e-5 of the largest value (any order of evaluation passes).
    @Test func backwardWithinRoundingOfReference() throws {
        let (expert, x, dy) = Self.batch()
        let want = Self.reference(expert, x: x, dy: dy)
        expert.zeroGrad()
        _ = expert.forward(x)
        let dx = expert.backward(dy)
        #expect(dx.shape == [2, 3, 6])
        let wants = [want.dx] + want.grads, gots = [dx.data] + expert.parameters.map(\.grad)
        for (name, (w, g)) in zip(["dx", "dW1", "dW3", "dW2"], zip(wants, gots)) {
            let scale = w.map { abs(Double($0)) }.max() ?? 0
            let mismatch = firstMismatch(w, g) { _ in 1e-5 * scale }
            #expect(mismatch == nil, "\(name): \(mismatch ?? "")")
        }
    }

    /// Bit for bit the documented order: Chapter 8 trains its dense baseline and every expert
    /// through this function, and its printed losses reproduce only with it.
    @Test func backwardIsBitExactWithTheDocumentedOrder() throws {
        let (expert, x, dy) = Self.batch()
        let want = Self.reference(expert, x: x, dy: dy)
        expert.zeroGrad()
        _ = expert.forward(x)
        let dx = expert.backward(dy)
        let order = "bit-exact with the chapter needs the order the doc comment prescribes: s = sigmoid(a) in Double, "
            + "da = Float(dh · b · s·(1 + a·(1 − s))), db = Float(dh · a·s), left to right in Double; "
            + "dx = gate.backward(da), then += up.backward(db)"
        let wants = [want.dx] + want.grads, gots = [dx.data] + expert.parameters.map(\.grad)
        for (name, (w, g)) in zip(["dx", "dW1", "dW3", "dW2"], zip(wants, gots)) {
            let mismatch = firstBitMismatch(w, g)
            #expect(mismatch == nil, "\(name): \(mismatch ?? ""); \(order)")
        }
    }

    /// transformers 5.x stacks W1 over W3 in gate_up_proj [E][2I][H]: rows 0..<I are W1.
    @Test func stackedLayoutIsSplitGateFirst() throws {
        let e = 2, i = 3, h = 2
        let gateUp = Tensor(shape: [e, 2 * i, h], data: (0..<(e * 2 * i * h)).map(Float.init))
        let down = Tensor(shape: [e, h, i], data: (0..<(e * h * i)).map { Float($0) * 0.5 })
        let expert = try SwiGLUExpert(gateUpProj: gateUp, downProj: down, index: 1, name: "e")
        #expect(expert.gate.weight.value == (12..<18).map(Float.init))
        #expect(expert.up.weight.value == (18..<24).map(Float.init))
        #expect(expert.down.weight.value == (6..<12).map { Float($0) * 0.5 })
    }
}
