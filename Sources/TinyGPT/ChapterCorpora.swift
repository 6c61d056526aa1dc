/// The four texts of Chapters 6 and 7, one place for their sizes and seeds: the base model
/// learns `fables`, fine-tuning moves it to `diary`, and the held-out texts (never trained
/// on) measure both — how much of the new domain a run learnt, how much of the old it kept.
///
/// ```
/// fables        300,000 characters, seed 61     base training
/// fablesHeldOut  20,000 characters, seed 62     "forgetting": the old domain's loss
/// diary         200,000 characters, seed 63     fine-tuning
/// diaryHeldOut   20,000 characters, seed 64     the new domain's loss
/// evaluation    the first 16 non-overlapping batches of 8 windows of each held-out text
/// ```
public struct ChapterCorpora: Sendable {
    public let fables: Corpus
    public let fablesHeldOut: Corpus
    public let diary: Corpus
    public let diaryHeldOut: Corpus
    /// Windows per evaluation batch.
    public let batchSize: Int
    /// fixed evaluation batches of the held-out texts
    public let fablesEval: [Corpus.Batch]
    public let diaryEval: [Corpus.Batch]

    public init(contextLength: Int, batchSize: Int = 8, evaluationBatches: Int = 16) {
        fables = Corpus(grammar: .fables, characters: 300_000, seed: 61)
        fablesHeldOut = Corpus(grammar: .fables, characters: 20_000, seed: 62)
        diary = Corpus(grammar: .diary, characters: 200_000, seed: 63)
        diaryHeldOut = Corpus(grammar: .diary, characters: 20_000, seed: 64)
        self.batchSize = batchSize
        fablesEval = fablesHeldOut.evaluationBatches(
            batchSize: batchSize, contextLength: contextLength, maxBatches: evaluationBatches)
        diaryEval = diaryHeldOut.evaluationBatches(
            batchSize: batchSize, contextLength: contextLength, maxBatches: evaluationBatches)
    }

    /// "300000 characters (seed 61), held-out 20000 (seed 62)"
    public var fablesSummary: String { Self.summary(fables, fablesHeldOut) }
    /// "200000 characters (seed 63), held-out 20000 (seed 64)"
    public var diarySummary: String { Self.summary(diary, diaryHeldOut) }

    private static func summary(_ training: Corpus, _ heldOut: Corpus) -> String {
        "\(training.text.count) characters (seed \(training.seed)), held-out \(heldOut.text.count) (seed \(heldOut.seed))"
    }

    /// A model's mean loss on the held-out texts: (fables, diary), nats per character.
    public func heldOutLosses(_ model: TinyGPTModel) -> (fables: Double, diary: Double) {
        (model.meanLoss(fablesEval), model.meanLoss(diaryEval))
    }
}
