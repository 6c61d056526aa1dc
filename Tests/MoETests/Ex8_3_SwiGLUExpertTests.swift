import Core
import Foundation
import MoE
import NN
import Testing

/// Exercise 8.3 — `SwiGLUExpert.backward`.
@Suite struct Ex8_3_SwiGLUExpertTests {

    @Test func siluValues() {
        #expect(SwiGLUExpert.silu(0) == 0)
        #expect(SwiGLUExpert.silu(1) == Float(1 / (1 + exp(-1.0))))
        #expect(SwiGLUExpert.silu(-1) == Float(-1 / (1 + exp(1.0))))
        let shut = SwiGLUExpert.silu(-30)
        #expect(shut > -1e-11 && shut < 0, "silu(−30) ≈ −2.8e−12: the gate is shut")
    }

    /// H = 2, I = 1: a = x·W1ᵀ = 1·1 + 2·0 = 1, b = x·W3ᵀ = 0.5·1 − 1·2 = −1.5,
    /// h = silu(1)·(−1.5), y = h·W2ᵀ = h·[2, −3].
    @Test func handCheckedForward() throws {
        let expert = try SwiGLUExpert(
            w1: Tensor(rows: [[1, 0]]), w3: Tensor(rows: [[0.5, -1]]), w2: Tensor(rows: [[2], [-3]]), name: "e")
        let y = expert.forward(Tensor(rows: [[1, 2]]))
        let h = Float(1 / (1 + exp(-1.0))) * -1.5
        #expect(y.data == [h * 2, h * -3])
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
