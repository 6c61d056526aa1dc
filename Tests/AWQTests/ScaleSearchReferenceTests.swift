import AWQ
import Core
import TestSupport
import Testing

/// The scale search and the applied scales against the reference's four search cases
/// (README section L: one linear, q/k/v sharing one input, a dead input channel, and an MLP
/// whose gate/up are searched through the down projection).
///
/// What must agree, and how closely:
/// - mean |x| per channel: bit for bit (summed in PyTorch's cascade order).
/// - the best ratio: exactly (the closest runner-up is 0.34 % behind, in search_qkv_g64).
/// - the 20 losses: within 1e-6 relative (measured: at most 2.7e-7, in search_mlp_g64). The
///   block outputs come from different matrix products (MKL's blocking vs `NN.Matmul`'s
///   in-order sums), so each output differs by an ulp or so.
/// - the scales: bit for bit (PyTorch's pow, `TorchPow`; with glibc's `powf` 3 of 640 were
///   1 ulp off, within the reference's suggested 1e-5 relative).
/// - Q_scaled = Q(W·s) and W_awq = Q_scaled / s: bit for bit, every value (the issue's bar
///   is 99 %; with `powf` the MLP's gate_proj had 98.95 %, all in the 1-ulp columns).
/// - output errors: within 1e-4 relative (the issue's bar is 1 %; measured ~1e-10).
@Suite struct ScaleSearchReferenceTests {

    @Test(arguments: SearchCase.names)
    func meanAbsoluteActivationEqualsTheReference(caseName: String) throws {
        let c = try SearchCase(caseName)
        let xMax = ActivationStatistics.meanAbsolute(
            c.x, tokens: c.tokens, channels: c.weights[0].columns)
        let mismatch = firstBitMismatch(try loadFloats("awq/\(caseName)/x_mean_abs.npy"), xMax)
        #expect(mismatch == nil, "x_mean_abs: \(mismatch ?? "")")
    }

    @Test(arguments: SearchCase.names)
    func searchPicksTheReferenceRatioScalesAndLosses(caseName: String) throws {
        let c = try SearchCase(caseName)
        let result = ScaleSearch.search(
            x: c.x, tokens: c.tokens, weights: c.weights, bits: 4,
            groupSize: c.groupSize, block: c.block)
        #expect(result.bestRatio == (try c.json.result("best_ratio")))
        let history = try c.json.resultArray("loss_history")
        try #require(history.count == 20 && result.lossHistory.count == 20)
        let worstLoss =
            zip(history, result.lossHistory).map { abs(Double($1) - $0) / $0 }.max() ?? .infinity
        #expect(worstLoss <= 1e-6, "loss history: max relative difference \(worstLoss)")
        let expected = try loadFloats("awq/\(caseName)/best_scales.npy")
        let worstScale =
            zip(expected, result.scales).map { abs(Double($1) - Double($0)) / Double($0) }.max()
            ?? .infinity
        #expect(worstScale <= 1e-5, "scales: max relative difference \(worstScale)")
        let scales = firstBitMismatch(expected, result.scales)
        #expect(scales == nil, "scales: \(scales ?? "")")
    }

    /// Measured: every value bit-equal in all four cases (Q_scaled and W_awq of the 7
    /// linears, 98,304 values in all).
    @Test(arguments: SearchCase.names)
    func awqWeightsEqualTheReferenceBitForBit(caseName: String) throws {
        let c = try SearchCase(caseName)
        let result = c.runAWQ()
        for (name, layer) in zip(c.linearNames, result.layers) {
            let qScaled = firstBitMismatch(
                try loadFloats(c.file("Q_scaled", name)), layer.scaledQuantized.values)
            #expect(qScaled == nil, "\(caseName) \(name) Q_scaled: \(qScaled ?? "")")
            let wAWQ = firstBitMismatch(
                try loadFloats(c.file("W_awq", name)), layer.dequantized.values)
            #expect(wAWQ == nil, "\(caseName) \(name) W_awq: \(wAWQ ?? "")")
        }
    }

    /// ‖X Wᵀ − X W_awqᵀ‖² and RTN's, per linear summed, within 1e-4 of the reference's
    /// `awq_output_error` / `rtn_output_error` (the MLP case reports block MSEs instead:
    /// checked by the loss history above).
    @Test(arguments: ["search_single_g128", "search_qkv_g64", "search_dead_channel_g64"])
    func outputErrorsMatchTheReference(caseName: String) throws {
        let c = try SearchCase(caseName)
        let result = c.runAWQ()
        var awq = 0.0
        var rtn = 0.0
        for (w, layer) in zip(c.weights, result.layers) {
            awq += AWQ.outputError(
                x: c.x, tokens: c.tokens, weight: w, approximation: layer.dequantized)
            let q = PseudoQuantizer.dequantized(
                w.values, rows: w.rows, columns: w.columns, bits: 4,
                groupSize: c.groupSize)
            rtn += AWQ.outputError(
                x: c.x, tokens: c.tokens, weight: w,
                approximation: LinearWeight(q, rows: w.rows, columns: w.columns))
        }
        let expectedAWQ = try c.json.result("awq_output_error")
        let expectedRTN = try c.json.result("rtn_output_error")
        #expect(
            abs(awq - expectedAWQ) <= 1e-4 * expectedAWQ,
            "AWQ output error \(awq) vs \(expectedAWQ)")
        #expect(
            abs(rtn - expectedRTN) <= 1e-4 * expectedRTN,
            "RTN output error \(rtn) vs \(expectedRTN)")
        #expect(awq < rtn)
    }
}

/// The clip search against search_single_g128 (the only case with clipping).
///
/// Bar: the same max value in ≥ 90 % of the 128 (row, group) pairs (the issue's bar; the
/// reference's own float64 run differs in 6 groups at zero-point ties), Q_scaled_clipped
/// bit-equal on ≥ 99 % and W_awq_clipped on ≥ 90 % of values, and the clipped output error
/// within 2 % (the suggested check). Measured: 128 of 128 groups, Q_scaled_clipped and
/// W_awq_clipped all 16384 bit-equal, output error 980.27278 vs the reference's 980.27278.
@Suite struct ClipSearchReferenceTests {
    @Test func clipMaxValuesAndClippedWeightsMatchTheReference() throws {
        let c = try SearchCase("search_single_g128")
        let result = c.runAWQ(clip: true)
        let layer = try #require(result.layers.first)
        let maxValues = try #require(layer.clipMaxValues)
        let expectedMax = try loadFloats("awq/search_single_g128/clip_max_val.npy")
        let groups = agreement(expectedMax, maxValues, tolerance: 0)
        #expect(
            Double(groups.bitEqual) >= 0.9 * Double(expectedMax.count),
            "clip max values: \(groups.bitEqual) of \(expectedMax.count) groups bit-equal")
        let expectedQ = try loadFloats("awq/search_single_g128/Q_scaled_clipped.npy")
        let q = agreement(expectedQ, layer.scaledQuantized.values, tolerance: 0)
        #expect(
            Double(q.bitEqual) >= 0.99 * Double(expectedQ.count),
            "Q_scaled_clipped: \(q.bitEqual) of \(expectedQ.count) bit-equal")
        let expectedW = try loadFloats("awq/search_single_g128/W_awq_clipped.npy")
        let values = agreement(expectedW, layer.dequantized.values, tolerance: 0)
        #expect(
            Double(values.bitEqual) >= 0.9 * Double(expectedW.count),
            "W_awq_clipped: \(values.bitEqual) of \(expectedW.count) bit-equal")
        let error = AWQ.outputError(
            x: c.x, tokens: c.tokens, weight: c.weights[0], approximation: layer.dequantized)
        let expectedError = try c.json.result("awq_clip_output_error")
        #expect(
            abs(error - expectedError) <= 0.02 * expectedError,
            "clipped output error \(error) vs \(expectedError)")
        // Clipping helps on this layer (reference: 980 vs 1157 unclipped).
        #expect(error < (try c.json.result("awq_output_error")))
    }
}
