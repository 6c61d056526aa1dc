import Core
import TinyGPT

/// The calibration text a data-aware scheme reads: random windows of the training text.
///
/// GPTQ's reference (`opt.py`, `get_c4`/`get_wikitext2`) draws 128 random segments of 2,048
/// tokens from the training data with a fixed seed; AWQ's draws 128 samples of 512 tokens
/// from the Pile. Ours draws `windows` windows of the model's context length from the text
/// the model was trained on (Chapter 6's `fables`), at offsets from a seeded `SeededRNG`,
/// grouped `batchSize` windows per forward pass.
public struct Calibration: Sendable {
    /// The windows, `batchSize` per batch (the last batch may hold fewer).
    public let batches: [Corpus.Batch]
    /// The seed the offsets were drawn with.
    public let seed: UInt64

    public init(
        corpus: Corpus, windows: Int, contextLength: Int, batchSize: Int = 8, seed: UInt64
    ) {
        precondition(windows > 0 && batchSize > 0, "Calibration: need windows and a batch size")
        var rng = SeededRNG(seed: seed)
        batches = stride(from: 0, to: windows, by: batchSize).map { start in
            corpus.randomBatch(
                batchSize: min(batchSize, windows - start), contextLength: contextLength, rng: &rng)
        }
        self.seed = seed
    }

    /// How many windows (the reference's `nsamples`: one `add_batch` call each).
    public var windows: Int { batches.reduce(0) { $0 + $1.batchSize } }
    /// Positions per window.
    public var windowLength: Int { batches.first?.time ?? 0 }
    /// Input rows every linear layer sees: windows × positions.
    public var rows: Int { windows * windowLength }
}
