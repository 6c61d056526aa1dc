import AWQ
import Foundation
import Core
import TestSupport
import Testing

/// The properties the module's doc comments state, on the reference cases and on small
/// synthetic layers (seeds in each test).
@Suite struct AWQPropertyTests {

    /// Ratio 0 (s = 1) is plain RTN and is the first point tried, so the first strictly
    /// smallest loss can never be above RTN's on the search's own objective.
    @Test(arguments: SearchCase.names)
    func awqNeverLosesToRtnOnItsOwnObjective(caseName: String) throws {
        let c = try SearchCase(caseName)
        let result = ScaleSearch.search(
            x: c.x, tokens: c.tokens, weights: c.weights, bits: 4,
            groupSize: c.groupSize, block: c.block)
        #expect(result.bestLoss <= result.rtnLoss)
        // In these cases AWQ is strictly better: the reference's best/RTN loss ratios are
        // 0.30 – 0.43.
        #expect(
            result.bestLoss < 0.5 * result.rtnLoss,
            "best \(result.bestLoss) vs RTN \(result.rtnLoss)")
    }

    @Test func ratioZeroIsRoundToNearest() {
        let layer = syntheticLayer(rows: 8, columns: 64, tokens: 32, salient: [3], seed: 101)
        let xMax = ActivationStatistics.meanAbsolute(layer.x, tokens: 32, channels: 64)
        let s = ScaleFormula.scales(xMax: xMax, ratio: 0)
        #expect(s.allSatisfy { $0 == 1 })
        let viaSearch = ScaleSearch.quantizedInInputSpace(
            layer.weight, scales: s, bits: 4, groupSize: 32)
        let rtn = PseudoQuantizer.dequantized(
            layer.weight.values, rows: 8, columns: 64, bits: 4, groupSize: 32)
        #expect(firstBitMismatch(rtn, viaSearch.values) == nil)
    }

    /// scale_fc_fc: W₂ · (W₁ x + b₁) is unchanged when row c of W₁ and b₁[c] are divided by
    /// s[c] and column c of W₂ multiplied by it. Tolerance 1e-5 of the largest output: the
    /// two sides round differently (each product gains and loses a few ulps of float32).
    @Test func linearFoldComputesTheSameOutputs() {
        var rng = SeededRNG(seed: 202)
        let (tokens, inner, hidden, outer) = (16, 24, 32, 12)
        let x = rng.normalFloats(tokens * inner)
        let w1 = LinearWeight(
            rng.normalFloats(hidden * inner, std: 0.2), rows: hidden, columns: inner)
        let b1 = rng.normalFloats(hidden, std: 0.1)
        let w2 = LinearWeight(
            rng.normalFloats(outer * hidden, std: 0.2), rows: outer, columns: hidden)
        let s = (0..<hidden).map { _ in Float(rng.uniform(0.2, 5)) }
        func run(_ a: LinearWeight, _ b: [Float], _ c: LinearWeight) -> [Float] {
            var h = a.forward(x, tokens: tokens)
            for i in h.indices { h[i] += b[i % hidden] }
            return c.forward(h, tokens: tokens)
        }
        let folded = ScaleFolding.foldIntoPreviousLinear(w1, bias: b1, next: w2, scales: s)
        let before = run(w1, b1, w2)
        let after = run(folded.previous, folded.bias ?? [], folded.next)
        #expect(relativeMaxDifference(before, after) <= 1e-5)
        // …and the fold really changed the weights (s ≠ 1).
        #expect(folded.next.values != w2.values)
    }

    /// A dead input channel (all zeros): x_max = 0, its scale is clamped to 1e-4 before the
    /// normalisation, every scale stays finite and positive, and the quantized weight is
    /// finite. (search_dead_channel_g64 checks the same against the reference.)
    @Test func deadChannelIsHandled() throws {
        let layer = syntheticLayer(
            rows: 16, columns: 64, tokens: 64, salient: [10], dead: [5], seed: 303)
        let result = AWQ.quantize(
            x: layer.x, tokens: 64, weights: [layer.weight], bits: 4, groupSize: 32)
        #expect(result.search.xMax[5] == 0)
        #expect(result.search.scales.allSatisfy { $0.isFinite && $0 > 0 })
        try #require(result.search.bestIndex > 0, "the salient channel should make AWQ pick α > 0")
        let s = result.search.scales
        // s[5] = 1e-4 / sqrt(max · 1e-4): the smallest scale, 1e-4 before normalisation.
        #expect(s[5] == s.min())
        #expect(result.layers[0].dequantized.values.allSatisfy { $0.isFinite })
    }

    /// n_bit is general (2 … 8): codes stay in 0 … 2^bits − 1 and Q = (code − zero) · scale
    /// exactly, and more bits never give a larger weight error on this layer.
    @Test func everyBitWidthKeepsItsCodeRangeAndFormula() {
        let layer = syntheticLayer(rows: 6, columns: 64, tokens: 1, salient: [], seed: 404)
        var previousError = Double.infinity
        for bits in 2...8 {
            let r = PseudoQuantizer.quantize(
                layer.weight.values, rows: 6, columns: 64, bits: bits, groupSize: 16)
            #expect(r.codes.allSatisfy { Int($0) < (1 << bits) })
            let rebuilt = r.codes.indices.map { i in
                (Float(r.codes[i]) - r.zeros[i / 16]) * r.scales[i / 16]
            }
            #expect(firstBitMismatch(rebuilt, r.values) == nil, "bits \(bits)")
            let error = zip(layer.weight.values, r.values).map { Double($0 - $1) * Double($0 - $1) }
                .reduce(0, +)
            #expect(error < previousError, "bits \(bits): \(error) ≥ \(previousError)")
            previousError = error
        }
    }

    /// Several linears sharing one input searched together equal one stacked linear (the
    /// reference's check `stacked_single_linear_gives_same_scales`, and the CLI's contract).
    @Test func sharedInputSearchEqualsTheStackedWeight() throws {
        let c = try SearchCase("search_qkv_g64")
        let together = ScaleSearch.searchLinears(
            x: c.x, tokens: c.tokens, weights: c.weights, bits: 4, groupSize: 64)
        let stacked = ScaleSearch.searchLinears(
            x: c.x, tokens: c.tokens, weights: [LinearWeight.stacked(c.weights)],
            bits: 4, groupSize: 64)
        #expect(together.bestIndex == stacked.bestIndex)
        #expect(together.scales == stacked.scales)
    }

    /// The clip search never makes a group's sampled output error worse than not clipping
    /// (i = 0 is no clipping), so on the layer's output it helps here.
    @Test func clippingHelpsOnASyntheticLayer() {
        let layer = syntheticLayer(
            rows: 16, columns: 128, tokens: 256, salient: [7, 90], seed: 505)
        let plain = AWQ.quantize(
            x: layer.x, tokens: 256, weights: [layer.weight], bits: 3, groupSize: 64)
        let clipped = AWQ.quantize(
            x: layer.x, tokens: 256, weights: [layer.weight], bits: 3, groupSize: 64, clip: true)
        let e0 = AWQ.outputError(
            x: layer.x, tokens: 256, weight: layer.weight,
            approximation: plain.layers[0].dequantized)
        let e1 = AWQ.outputError(
            x: layer.x, tokens: 256, weight: layer.weight,
            approximation: clipped.layers[0].dequantized)
        #expect(e1 < e0, "clipped \(e1) vs unclipped \(e0)")
        let m = clipped.layers[0].clipMaxValues ?? []
        #expect(m.count == 16 * 2)
    }
}

/// The paper's Table 1 observation on a layer with salient input channels: keeping 1 % of
/// channels in float helps most when they are chosen by activation magnitude.
@Suite struct SalientChannelTests {
    @Test func activationChosenChannelsBeatWeightChosenAndRandomOnes() {
        // 256 input channels, 1 % = 3 kept; 3 salient channels with inputs ×20.
        let layer = syntheticLayer(
            rows: 64, columns: 256, tokens: 128, salient: [11, 100, 201], seed: 606)
        let report = SalientChannels.experiment(
            weight: layer.weight, x: layer.x, tokens: 128, bits: 3,
            groupSize: 128, seed: 7)
        #expect(report.kept == 3)
        #expect(report.channels[.activation] == [11, 100, 201])
        let act = report.errors[.activation] ?? .infinity
        let weight = report.errors[.weight] ?? 0
        let random = report.errors[.random] ?? 0
        #expect(act < 0.5 * weight, "activation \(act) vs weight \(weight)")
        #expect(act < 0.5 * random, "activation \(act) vs random \(random)")
        #expect(act < report.rtnError)
    }
}

/// `TorchPow` (SLEEF's float32 pow, as PyTorch evaluates `x.pow(α)`): SLEEF promises 1 ulp;
/// glibc's `powf` is correctly rounded, so the two may differ by at most 1 ulp. Bit-equality
/// with PyTorch itself is checked through the reference scales (Ex10b, ScaleSearch tests).
@Suite struct TorchPowTests {
    @Test func withinOneUlpOfCorrectlyRoundedPow() {
        var differing = 0
        var worst: Int64 = 0
        var x: Float = 1e-5
        var count = 0
        while x < 1e5 {
            for i in 1..<20 {
                let y = Float(Double(i) / 20)
                let a = TorchPow.pow(x, y)
                let b = Float(Foundation.pow(Double(x), Double(y)))  // correctly rounded here
                let ulps = abs(Int64(a.bitPattern) - Int64(b.bitPattern))
                if ulps != 0 { differing += 1 }
                worst = max(worst, ulps)
                count += 1
            }
            x *= 1.01
        }
        #expect(worst <= 1, "worst \(worst) ulps over \(count) pairs")
        // Not the same function: a few percent of last bits differ (measured 1.8 % vs powf).
        #expect(differing > 0 && differing < count / 10, "\(differing) of \(count) differ")
    }

    @Test func specialValuesFollowSleef() {
        #expect(TorchPow.pow(0, 0.3) == 0)
        #expect(TorchPow.pow(0, 0) == 1)
        #expect(TorchPow.pow(5, 0) == 1)
        #expect(TorchPow.pow(1, 0.35) == 1)
        #expect(TorchPow.pow(4, 0.5) == 2)
        #expect(TorchPow.pow(.nan, 0.5).isNaN)
    }
}
