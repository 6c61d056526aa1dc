import Core
import NN
import Optimizers
import TestSupport
import Testing

@Suite struct AdamWTests {

    /// Two steps worked by hand, in Double, from Loshchilov & Hutter's Algorithm 2 with the
    /// bias corrections of Kingma & Ba's Algorithm 1 (not from `AdamUpdate`):
    ///
    /// step 1: m = 0.1 g, v = 0.001 g², m̂ = m / 0.1 = g, v̂ = v / 0.001 = g²,
    ///         θ ← θ(1 − lr·λ) − lr · g / (|g| + ε)          — every weight moves by ≈ lr
    /// step 2: m = 0.9 m + 0.1 g₂, v = 0.999 v + 0.001 g₂², c₁ = 0.19, c₂ = √0.001999
    ///
    /// Float32 rounding of the optimizer leaves a few ulps; the tolerance is 1e-6 relative.
    @Test func twoStepsMatchAHandComputation() {
        let theta0: [Double] = [0.5, -1.25, 2.0, 0.03]
        let g1: [Double] = [0.2, -0.05, 1.5, 0.0]
        let g2: [Double] = [-0.1, -0.05, 0.5, 0.25]
        let (lr, wd, eps) = (0.01, 0.1, 1e-8)
        var expected = theta0
        var m = [Double](repeating: 0, count: 4), v = m
        for (t, g) in [g1, g2].enumerated() {
            let c1 = 1 - Math.pow(0.9, Double(t + 1)), c2 = (1 - Math.pow(0.999, Double(t + 1))).squareRoot()
            for i in 0..<4 {
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                expected[i] = expected[i] * (1 - lr * wd) - (lr / c1) * m[i] / (v[i].squareRoot() / c2 + eps)
            }
        }
        let p = Parameter(name: "w", shape: [4], value: theta0.map(Float.init))
        let optimizer = AdamW([p], AdamHyperparameters(learningRate: lr, epsilon: eps, weightDecay: wd))
        for g in [g1, g2] {
            p.grad = g.map(Float.init)
            optimizer.step()
        }
        for i in 0..<4 {
            #expect(abs(Double(p.value[i]) - expected[i]) <= 1e-6 * abs(expected[i]), "θ[\(i)]: \(p.value[i]) vs \(expected[i])")
        }
        // After step 1 each weight with a gradient moved by ≈ lr against its sign.
        #expect(optimizer.stepCount == 2)
    }

    /// Decoupled weight decay shrinks weights by exactly (1 − lr·λ) per step, whatever the
    /// gradient's scale — with a zero gradient, m = v = 0 and only the decay acts.
    @Test func decoupledDecayShrinksByAFixedFactor() {
        let p = Parameter(name: "w", shape: [3], value: [1, -2, 0.5])
        let optimizer = AdamW([p], AdamHyperparameters(learningRate: 0.1, weightDecay: 0.5))
        var expected: [Float] = [1, -2, 0.5]
        for _ in 0..<4 {
            optimizer.step()  // grad stays zero
            expected = expected.map { $0 * Float(1 - 0.1 * 0.5) }
        }
        #expect(p.value == expected)
    }

    /// Five steps of the reference case against `torch.optim.Adam(foreach=False)`. v agrees
    /// exactly (PyTorch computes it with the same `mul_` and `addcmul_`). m differs by a
    /// rounding because PyTorch updates it with `lerp_` and we with bitsandbytes' FMA form —
    /// measured ≤ 1.3e-7 of the largest |m|. The parameters inherit that: measured ≤ 4 ulps
    /// of max(|θ|, 2e-3) after five steps, ≤ 1 after the first.
    @Test func fiveStepsTrackTorchAdam() throws {
        let reference = try Adam8bitReference()
        let p = Parameter(name: "p", shape: [8192], value: reference.param0)
        let optimizer = AdamW([p])
        for s in 0..<Adam8bitReference.steps {
            p.grad = reference.grads[s]
            optimizer.step()
            let state = try #require(optimizer.states[0])
            #expect(firstMismatch(reference.expAvgSqTorch[s], state.v) == nil, "step \(s + 1): v")
            let largestM = Double(reference.expAvgTorch[s].map(abs).max()!)
            let m = maxAbsDifference(reference.expAvgTorch[s], state.m)
            #expect(m <= 1e-6 * largestM, "step \(s + 1): m differs by \(m)")
            let params = updateUlpDistance(reference.paramsTorch[s], p.value)
            #expect(params.maxUlps <= (s == 0 ? 1 : 4), "step \(s + 1): index \(params.worstIndex) is \(params.maxUlps) ulps off")
        }
    }

    /// Frozen parameters get no state and never move.
    @Test func frozenParametersAreSkipped() {
        let frozen = Parameter(name: "base", shape: [2], value: [1, 2], isTrainable: false)
        let live = Parameter(name: "lora", shape: [2], value: [1, 2])
        frozen.grad = [5, 5]
        live.grad = [5, 5]
        let optimizer = AdamW([frozen, live])
        optimizer.step()
        #expect(frozen.value == [1, 2] && live.value != [1, 2])
        #expect(optimizer.stateBytes == 16)
    }
}

@Suite struct OptimizerMemoryTests {

    /// AdamW: 8 bytes per parameter. 8-bit Adam on a tensor of 256·k values: 2 code bytes
    /// plus 2 × 4 bytes of absmax per 256 values = 2.03125 bytes per parameter.
    @Test func bytesPerParameter() {
        let big = Parameter(name: "w", shape: [256, 64], value: [Float](repeating: 0, count: 16384))
        #expect(OptimizerMemory.bytesPerParameter(AdamW([big])) == 8)
        #expect(OptimizerMemory.bytesPerParameter(Adam8bit([big])) == 2.03125)
        #expect(Adam8bit([big]).stateBytes == 2 * 16384 + 8 * 64)
    }

    /// Small tensors keep 8 bytes per parameter, so a model's average lands between.
    @Test func smallTensorsCountAtEightBytes() {
        var rng = SeededRNG(seed: 1)
        let mlp = MLP(sizes: [32, 256, 10], rng: &rng)  // fc1.weight 8192 (8-bit); the rest < 4096
        let table = OptimizerMemory.adam8bitTable(mlp.parameters)
        #expect(table.map(\.isQuantized) == [true, false, false, false])
        #expect(table[0].bytes == 2 * 8192 + 8 * 32)
        let total = table.reduce(0) { $0 + $1.bytes }
        #expect(Adam8bit(mlp.parameters).stateBytes == total)
        let perParameter = OptimizerMemory.bytesPerParameter(Adam8bit(mlp.parameters))
        #expect(perParameter > 2.03125 && perParameter < 8)
    }

    /// Tensors under min_8bit_size (4096) keep float32 states; at 4096 they switch to 8 bits.
    @Test func smallTensorsKeepFloatStates() {
        let rule = Adam8bitRule()
        guard case .fullPrecision = rule.initialState(count: 4095) else {
            Issue.record("4095 values must keep float32 state")
            return
        }
        guard case .blockwise = rule.initialState(count: 4096) else {
            Issue.record("4096 values must get 8-bit state")
            return
        }
    }

    /// A 7B model: 56 GB of 32-bit Adam state, ≈ 14.2 GB in 8 bits (all tensors large).
    @Test func sevenBillionParameterArithmetic() {
        let count = 7_000_000_000
        #expect(8 * count == 56_000_000_000)
        #expect(OptimizerMemory.blockwise8BitBytes(count: count) == 14_218_750_000)
    }
}
