import Core
import PostTraining
import TinyGPT

/// A small two-block TinyGPT (C = 32, MLP 128) and fables text for the whole-model tests:
/// the same shapes as Chapter 9's model, scaled down so that every scheme runs in well under
/// a second. Untrained (seeded initialisation): the properties tested hold for any weights.
enum SmallModel {
    static let config = GPTConfig(
        vocabularySize: CharacterVocabulary.standard.count, contextLength: 16, channels: 32,
        heads: 2, layers: 2)

    static func make(seed: UInt64 = 91) -> TinyGPTModel {
        var rng = SeededRNG(seed: seed)
        return TinyGPTModel(config: config, rng: &rng)
    }

    static let text = Corpus(grammar: .fables, characters: 6_000, seed: 92)

    /// 24 windows of 16 positions (384 rows per layer), 8 per batch.
    static let calibration = Calibration(
        corpus: text, windows: 24, contextLength: config.contextLength, seed: 93)

    /// Held-out batches for the loss.
    static let evaluation = Corpus(grammar: .fables, characters: 3_000, seed: 94)
        .evaluationBatches(batchSize: 4, contextLength: config.contextLength, maxBatches: 4)
}
