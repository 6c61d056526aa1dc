import AWQ
import Core
import NN
import PostTraining
import Testing
import TinyGPT

/// Whole-model AWQ (`PostTraining.awq`) on a small random TinyGPT: 16 channels, 2 heads,
/// MLP 64, context 16, calibrated on 4 batches of 4 fables windows. Group size 8 divides
/// every linear's input width (16 and 64).
@Suite struct AWQModelTests {
    static let config = GPTConfig(
        vocabularySize: CharacterVocabulary.standard.count, contextLength: 16, channels: 16,
        heads: 2, layers: 2)

    static func model() -> TinyGPTModel {
        var rng = SeededRNG(seed: 1010)
        return TinyGPTModel(config: config, rng: &rng)
    }

    static let corpus = Corpus(grammar: .fables, characters: 4_000, seed: 1011)

    static func calibration() -> Calibration {
        Calibration(
            corpus: corpus, windows: 16, contextLength: config.contextLength, batchSize: 4,
            seed: 1012)
    }

    static func logits(_ model: TinyGPTModel) -> [Float] {
        let batch = corpus.batch(at: [0, 100, 200], contextLength: config.contextLength)
        return model.forward(batch.inputs, batchSize: batch.batchSize, time: batch.time).data
    }

    /// Folding 1/s into ln1, the value rows, ln2 and the scaled GELU, and s into the linears'
    /// columns, leaves the function unchanged: only float32 rounding of one multiplication
    /// and one division per weight separates the logits (measured ~1e-6 here; the tolerance
    /// 1e-4 of the logits' largest magnitude leaves room, and a wrong fold moves them by O(1)).
    @Test func foldedModelComputesTheSameLogitsBeforeQuantization() {
        let base = Self.model()
        let run = PostTraining.awq(
            base, calibration: Self.calibration(), groupSize: 8, clip: false)
        let before = Self.logits(base), after = Self.logits(run.folded)
        let scale = before.map(abs).max() ?? 1
        let worst = zip(before, after).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-4 * scale, "max |Δ logit| \(worst)")
        // The fold did something: some scale is not 1.
        #expect(run.groups.contains { $0.scales.contains { $0 != 1 } })
    }

    /// A grid of one point tries only ratio 0, where s = 1 exactly: every block linear is
    /// then AWQ's round-to-nearest of the base weight, bit for bit, and nothing else changes.
    @Test func ratioZeroIsRoundToNearest() {
        let base = Self.model()
        let run = PostTraining.awq(
            base, calibration: Self.calibration(), groupSize: 8, clip: false, gridSize: 1)
        let original = Dictionary(uniqueKeysWithValues: base.parameters.map { ($0.name, $0.value) })
        for p in run.quantized.model.parameters {
            let w = original[p.name]!
            if p.name.hasPrefix("blocks.") && p.shape.count == 2 {
                let rtn = PseudoQuantizer.dequantized(
                    w, rows: p.shape[0], columns: p.shape[1], bits: 4, groupSize: 8)
                #expect(p.value == rtn, "\(p.name) is not RTN")
            } else {
                #expect(p.value == w, "\(p.name) changed")
            }
        }
    }

    /// The search keeps ratio 0 (RTN) unless a later ratio is strictly better, so in every
    /// group AWQ's loss on its own objective is at most RTN's; on this model some group's
    /// best ratio is above 0 (otherwise the search would not be exercised).
    @Test func searchedLossIsNeverAboveRoundToNearest() {
        let run = PostTraining.awq(
            Self.model(), calibration: Self.calibration(), groupSize: 8, clip: false)
        #expect(run.groups.count == 8)
        for g in run.groups {
            #expect(g.search.bestLoss <= g.search.rtnLoss, "block \(g.block) \(g.kind)")
        }
        #expect(run.groups.contains { $0.search.bestIndex > 0 })
    }

    /// The base model's parameters are untouched by a full run (search, fold, clip, quantize).
    @Test func baseModelIsUnchanged() {
        let base = Self.model()
        let before = base.parameters.map(\.value)
        _ = PostTraining.awq(base, calibration: Self.calibration(), groupSize: 8, clip: true)
        #expect(base.parameters.map(\.value) == before)
        #expect(base.blocks.allSatisfy { $0.mlp.proj is Linear })
    }

    /// The clip search runs on value, output, fc and proj and skips query and key, as
    /// `auto_clip_block` does; its max values never exceed the group's largest |w|, and
    /// the clipped, quantized model's loss stays finite.
    @Test func clipSkipsQueryAndKey() {
        let run = PostTraining.awq(
            Self.model(), calibration: Self.calibration(), groupSize: 8, clip: true)
        let clipped = run.clipMaxValues.keys.sorted()
        #expect(clipped.count == 8)
        #expect(!clipped.contains { $0.hasSuffix("query") || $0.hasSuffix("key") })
        #expect(clipped.contains("blocks.1.mlp.proj"))
        let loss = run.quantized.model.meanLoss(Self.calibration().batches)
        #expect(loss.isFinite)
    }

    /// Bits per weight: 4-bit codes, per group of 8 a float16 scale and a 4-bit zero
    /// (20 / 8 = 2.5 bits), plus 64 float16 GELU scales for each block whose proj group chose
    /// alpha > 0, spread over the 2 · (4 · 16 · 16 + 2 · 16 · 64) = 6,144 weights. RTN's
    /// all-ones GELU scales can be dropped and cost nothing.
    @Test func bitsPerWeightCountCodesScalesZerosAndActivationScales() {
        let rtn = PostTraining.awq(
            Self.model(), calibration: Self.calibration(), groupSize: 8, clip: false, gridSize: 1)
        #expect(rtn.quantized.bitsPerWeight == 6.5)
        let run = PostTraining.awq(
            Self.model(), calibration: Self.calibration(), groupSize: 8, clip: false)
        let scaled = run.groups.filter { $0.kind == .proj && $0.search.bestIndex > 0 }.count
        let expected = 6.5 + Double(scaled * 64 * 16) / 6_144
        #expect(abs(run.quantized.bitsPerWeight - expected) < 1e-12)
    }
}
