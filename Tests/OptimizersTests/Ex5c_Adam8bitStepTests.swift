import Blockwise8
import Core
import NN
import Optimizers
import TestSupport
import Testing

/// Exercise 5c — `Adam8bitRule.step8bit`: dequantize → update in float32 → requantize,
/// against bitsandbytes 0.50.2's `Adam8bit` on its CPU kernel (Fixtures/README.md: one
/// 8192-value tensor, 32 blocks of 256, five recorded steps).
@Suite struct Ex5c_Adam8bitStepTests {

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
        expectStateMatches(reference, state, afterStep: 1)
    }

    /// After step 1, m = (1 − β₁)·g, so each block's absmax₁ is float(0.1 · max|g|) and
    /// absmax₂ is float(0.001 · max g²) — fresh absmax, computed from this step's values.
    @Test func freshAbsmaxComesFromTheUpdatedMoments() throws {
        let reference = try Adam8bitReference()
        var p = reference.param0
        var state = BlockwiseAdamState(count: 8192)
        let g = reference.grads[0]
        Adam8bitRule.step8bit(parameter: &p, gradient: g, state: &state, step: 1, AdamHyperparameters())
        try #require(state.firstMoment.absmax.count == 32 && state.secondMoment.absmax.count == 32)
        var log = MismatchLog("block absmax after step 1")
        for b in 0..<32 {
            let largest = g[(b * 256)..<((b + 1) * 256)].map(abs).max() ?? 0
            let m = largest * Float(1 - 0.9), v = (Float(1 - 0.999) * largest) * largest
            if state.firstMoment.absmax[b] != m { log.add("block \(b): absmax₁ \(state.firstMoment.absmax[b]), expected \(m)") }
            if state.secondMoment.absmax[b] != v { log.add("block \(b): absmax₂ \(state.secondMoment.absmax[b]), expected \(v)") }
        }
        log.expectEmpty()
    }

    /// The dequantized moments stay close to the float32 moments they replace: the error is
    /// at most half the widest gap of the map (≈ 0.007) times the block's absmax, plus rounding.
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
        var log = MismatchLog("moments further than 2 % of their block's absmax from float32 Adam's")
        for i in stride(from: 0, to: 8192, by: 97) {
            let b = i / 256
            if !(abs(m8[i] - m[i]) <= 0.02 * state.firstMoment.absmax[b]) { log.add("m[\(i)]: \(m8[i]) vs \(m[i])") }
            if !(abs(v8[i] - v[i]) <= 0.02 * state.secondMoment.absmax[b]) { log.add("v[\(i)]: \(v8[i]) vs \(v[i])") }
        }
        log.expectEmpty()
        #expect(maxAbsDifference(p32, p8) < 1e-4)
    }

    /// Each of the five steps on its own, starting from bitsandbytes' recorded parameter and
    /// state of the step before: the states exactly, the parameters within one ulp (the last
    /// rounding of bitsandbytes' `addcdiv_` sits in PyTorch's vectorised kernel; see
    /// `Adam8bitReferenceTests`).
    @Test func everyStepIsWithinRoundingOfBitsandbytes() throws {
        let reference = try Adam8bitReference()
        for s in 0..<Adam8bitReference.steps {
            var p = s == 0 ? reference.param0 : reference.paramsBnb[s - 1]
            var state = s == 0 ? BlockwiseAdamState(count: 8192) : try reference.recordedState(afterStep: s)
            Adam8bitRule.step8bit(
                parameter: &p, gradient: reference.grads[s], state: &state, step: s + 1, AdamHyperparameters())
            expectStateMatches(reference, state, afterStep: s + 1)
            let distance = updateUlpDistance(reference.paramsBnb[s], p)
            #expect(distance.maxUlps <= 1, "step \(s + 1): index \(distance.worstIndex), \(distance.maxUlps) ulps")
            #expect(distance.differing <= 41, "step \(s + 1): \(distance.differing) of 8192 differ")
        }
    }

    /// The parameter update is 32-bit AdamW's, bit for bit: from the same dequantized moments,
    /// `AdamUpdate.apply` gives exactly the parameters `step8bit` gives (the chapters' printed
    /// numbers rely on it), with weight decay on.
    @Test func parameterUpdateIsBitExactWithAdamW() throws {
        let reference = try Adam8bitReference()
        let h = AdamHyperparameters(learningRate: 1e-3, weightDecay: 0.01)
        for s in 1..<Adam8bitReference.steps {
            var state = try reference.recordedState(afterStep: s)
            var m = state.firstMoment.dequantize(), v = state.secondMoment.dequantize()
            var expected = reference.paramsBnb[s - 1], p = expected
            AdamUpdate.apply(parameter: &expected, gradient: reference.grads[s], m: &m, v: &v, step: s + 1, h)
            Adam8bitRule.step8bit(parameter: &p, gradient: reference.grads[s], state: &state, step: s + 1, h)
            let mismatch = firstBitMismatch(expected, p)
            #expect(
                mismatch == nil,
                "step \(s + 1): bit-exact with AdamUpdate.apply (and the chapters' printed numbers) needs the order the doc comment prescribes: dequantize both moments, AdamUpdate.apply, requantize — \(mismatch ?? "")")
        }
    }

    /// bitsandbytes' recorded codes and absmax of both moments after step `t`, compared exactly.
    func expectStateMatches(
        _ reference: Adam8bitReference, _ state: BlockwiseAdamState, afterStep t: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let checks: [(String, String?)] = [
            ("state1 codes", firstMismatch(reference.state1[t - 1], state.firstMoment.codes)),
            ("state2 codes", firstMismatch(reference.state2[t - 1], state.secondMoment.codes)),
            ("absmax1", firstBitMismatch(reference.absmax1[t - 1], state.firstMoment.absmax)),
            ("absmax2", firstBitMismatch(reference.absmax2[t - 1], state.secondMoment.absmax)),
        ]
        for (what, mismatch) in checks {
            #expect(mismatch == nil, "step \(t) \(what): \(mismatch ?? "")", sourceLocation: sourceLocation)
        }
    }
}
