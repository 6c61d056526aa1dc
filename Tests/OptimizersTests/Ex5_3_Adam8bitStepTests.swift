import Blockwise8
import Core
import NN
import Optimizers
import Testing

/// Exercise 5.3 — `Adam8bitRule.step8bit`: dequantize → update in float32 → requantize.
@Suite struct Ex5_3_Adam8bitStepTests {

    /// The first step from bitsandbytes' initial state (all codes 0, all absmax 0) gives its
    /// recorded codes and absmax exactly.
    @Test func firstStepMatchesBitsandbytes() throws {
        let reference = try Adam8bitReference()
        var p = reference.param0
        var state = BlockwiseAdamState(count: 8192)
        #expect(state.firstMoment.dequantize().allSatisfy { $0 == 0 })
        #expect(state.secondMoment.dequantize().allSatisfy { $0 == 0 })
        Adam8bitRule.step8bit(
            parameter: &p, gradient: reference.grads[0], state: &state, step: 1, AdamHyperparameters())
        #expect(firstMismatch(reference.state1[0], state.firstMoment.codes) == nil)
        #expect(firstMismatch(reference.state2[0], state.secondMoment.codes) == nil)
        #expect(firstMismatch(reference.absmax1[0], state.firstMoment.absmax) == nil)
        #expect(firstMismatch(reference.absmax2[0], state.secondMoment.absmax) == nil)
    }

    /// After step 1, m = (1 − β₁)·g, so each block's absmax₁ is float(0.1 · max|g|) and
    /// absmax₂ is float(0.001 · max g²) — fresh absmax, computed from this step's values.
    @Test func freshAbsmaxComesFromTheUpdatedMoments() throws {
        let reference = try Adam8bitReference()
        var p = reference.param0
        var state = BlockwiseAdamState(count: 8192)
        let g = reference.grads[0]
        Adam8bitRule.step8bit(parameter: &p, gradient: g, state: &state, step: 1, AdamHyperparameters())
        for b in 0..<32 {
            let block = g[(b * 256)..<((b + 1) * 256)]
            let largest = block.map(abs).max()!
            #expect(state.firstMoment.absmax[b] == largest * Float(1 - 0.9))
            #expect(state.secondMoment.absmax[b] == (Float(1 - 0.999) * largest) * largest)
        }
    }

    /// The dequantized moments stay close to the float32 moments they replace: for v the
    /// error is at most half the widest gap of the unsigned map (≈ 0.007) times the block's
    /// absmax, plus rounding; m likewise with the signed map.
    @Test func quantizedMomentsTrackFloatMoments() throws {
        let reference = try Adam8bitReference()
        var p8 = reference.param0, p32 = reference.param0
        var state = BlockwiseAdamState(count: 8192)
        var m = [Float](repeating: 0, count: 8192), v = m
        for s in 0..<3 {
            let g = reference.grads[s]
            Adam8bitRule.step8bit(parameter: &p8, gradient: g, state: &state, step: s + 1, AdamHyperparameters())
            AdamUpdate.apply(parameter: &p32, gradient: g, m: &m, v: &v, step: s + 1, AdamHyperparameters())
        }
        let m8 = state.firstMoment.dequantize(), v8 = state.secondMoment.dequantize()
        for i in stride(from: 0, to: 8192, by: 97) {
            let b = i / 256
            #expect(abs(m8[i] - m[i]) <= 0.02 * state.firstMoment.absmax[b], "m[\(i)]: \(m8[i]) vs \(m[i])")
            #expect(abs(v8[i] - v[i]) <= 0.02 * state.secondMoment.absmax[b], "v[\(i)]: \(v8[i]) vs \(v[i])")
        }
        #expect(maxAbsDifference(p32, p8) < 1e-4)
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
}
