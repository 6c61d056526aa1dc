import AWQ
import BERT
import Core
import GPTQ
import PostTraining
import Testing

/// GPTQ and AWQ on one layer, judged by the objective each minimises: the layer's output error
/// ‖X Wᵀ − X Ŵᵀ‖² on the calibration rows X, against round-to-nearest on the same grid
/// (4-bit, groups of 128). Weights [32, 384]; X: 96 rows with an outlier feature.
@Suite struct BERTCalibratedLinearTests {
    static let float = SyntheticLayer.make(out: 32, in: 384, seed: 1230)
    static let x = SyntheticLayer.input(rows: 96, in: 384, seed: 1231)

    static func outputError(_ approximation: [Float]) -> Double {
        OutputError.squared(
            x: x.data, samples: 96, weight: float.weight.data, approximation: approximation,
            rows: 32, columns: 384)
    }

    /// GPTQ's error feedback beats rounding each weight on its own (Frantar et al. 2022,
    /// Table 1's RTN column): both stored with float16 scales, as a checkpoint holds them.
    @Test func gptqOutputErrorIsBelowRoundToNearest() throws {
        let gptq = try BERTQuantization.quantize(Self.float, scheme: .gptq, calibration: Self.x)
        let rtn = try StoredGPTQLayer(
            RoundToNearest.quantize(
                weight: Self.float.weight.data, rows: 32, columns: 384, bits: 4, groupSize: 128),
            bits: 4, storesGroupIndex: false)
        let (g, r) = (Self.outputError(gptq.dequantizedWeight.data), Self.outputError(rtn.weight))
        #expect(g < r, "GPTQ \(g), RTN \(r)")
    }

    /// AWQ's search includes s = 1 (ratio 0, plain RTN with its quantizer), so without
    /// clipping its output error on the calibration rows is never above RTN's.
    @Test func awqOutputErrorIsAtMostRoundToNearest() throws {
        let awq = try BERTQuantization.awq(
            [Self.float], calibration: Self.x, clip: false, scalesAreFree: true)[0]
        let rtn = PseudoQuantizer.dequantized(
            Self.float.weight.data, rows: 32, columns: 384, bits: 4, groupSize: 128)
        let (a, r) = (Self.outputError(awq.dequantizedWeight.data), Self.outputError(rtn))
        #expect(a <= r, "AWQ \(a), RTN \(r)")
    }

    /// A group (query, key, value) shares one s: Ŵ · diag(s) of every member is a 4-bit grid
    /// per group of 128 — at most 16 distinct values in each row's group.
    @Test func awqGroupMembersAreFourBitAfterScaling() throws {
        let others = [1232, 1233].map { SyntheticLayer.make(out: 32, in: 384, seed: UInt64($0)) }
        let group = try BERTQuantization.awq(
            [Self.float] + others, calibration: Self.x, clip: true, scalesAreFree: true)
        #expect(group.count == 3)
        let search = AWQ.quantize(
            x: Self.x.data, tokens: 96,
            weights: ([Self.float] + others).map {
                LinearWeight($0.weight.data, rows: 32, columns: 384)
            }, bits: 4, groupSize: 128)
        let s = search.search.scales
        var tooMany = 0
        for layer in group {
            let w = layer.dequantizedWeight.data
            for r in 0..<32 {
                for g in 0..<3 {
                    let values = (0..<128).map { c in w[r * 384 + g * 128 + c] * s[g * 128 + c] }
                    // Ŵ · s comes back within float32 rounding (≈ 1e−7 relative) of the grid
                    // values: count the jumps between sorted neighbours above 1e−4 of the range.
                    let sorted = values.sorted()
                    let range = sorted.last! - sorted.first!
                    let jumps = zip(sorted.dropFirst(), sorted).filter { $0 - $1 > 1e-4 * range }
                    if jumps.count + 1 > 16 { tooMany += 1 }
                }
            }
        }
        #expect(tooMany == 0, "\(tooMany) of 288 groups hold more than 16 levels")
    }
}
