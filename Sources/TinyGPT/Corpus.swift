import Core

/// A stretch of text from one grammar, as token ids, with the batches a training loop draws.
///
/// ```
/// text:   [N] characters, grammar.generate(characters: N, seed)
/// tokens: [N] Int, vocabulary.encode(text)
/// a batch of B windows of T + 1 consecutive tokens starting at random offsets oᵦ:
///   inputs [B][T]  = tokens[oᵦ ..< oᵦ+T]
///   targets [B][T] = tokens[oᵦ+1 ..< oᵦ+T+1]         (each position predicts the next character)
/// ```
///
/// nanoGPT's `get_batch` draws its windows the same way (`torch.randint(len(data) − T, (B,))`).
public struct Corpus: Sendable {
    public let grammar: ProbabilisticGrammar
    public let vocabulary: CharacterVocabulary
    /// The seed the text was generated from (chapters print it).
    public let seed: UInt64
    public let text: String
    /// tokens[i] = vocabulary id of text[i].
    public let tokens: [Int]

    /// `characters` characters of `grammar`'s text from `SeededRNG(seed: seed)`.
    public init(
        grammar: ProbabilisticGrammar, characters: Int, seed: UInt64, vocabulary: CharacterVocabulary = .standard
    ) {
        precondition(characters > 1, "Corpus: need at least two characters")
        var rng = SeededRNG(seed: seed)
        let text = grammar.generate(characters: characters, rng: &rng)
        precondition(vocabulary.covers(text), "Corpus: grammar \(grammar.name) writes characters outside the alphabet")
        self.grammar = grammar
        self.vocabulary = vocabulary
        self.seed = seed
        self.text = text
        tokens = vocabulary.encode(text)
    }

    /// One training batch: inputs and next-character targets, both [B][T] flattened.
    public struct Batch: Sendable {
        public let batchSize: Int
        public let time: Int
        /// [B][T] token ids.
        public let inputs: [Int]
        /// [B][T] token ids: targets[b][t] = the character after inputs[b][t].
        public let targets: [Int]
    }

    /// B windows at offsets drawn uniformly from `rng`.
    public func randomBatch(batchSize: Int, contextLength: Int, rng: inout SeededRNG) -> Batch {
        precondition(tokens.count > contextLength,
                     "Corpus: \(tokens.count) tokens cannot fill a window of \(contextLength) + 1")
        let offsets = (0..<batchSize).map { _ in rng.index(below: tokens.count - contextLength) }
        return batch(at: offsets, contextLength: contextLength)
    }

    /// The batch of windows starting at `offsets`.
    public func batch(at offsets: [Int], contextLength: Int) -> Batch {
        var inputs: [Int] = [], targets: [Int] = []
        inputs.reserveCapacity(offsets.count * contextLength)
        targets.reserveCapacity(offsets.count * contextLength)
        for o in offsets {
            precondition(o >= 0 && o + contextLength < tokens.count, "Corpus: window at \(o) runs past the end")
            inputs += tokens[o..<(o + contextLength)]
            targets += tokens[(o + 1)...(o + contextLength)]
        }
        return Batch(batchSize: offsets.count, time: contextLength, inputs: inputs, targets: targets)
    }

    /// Non-overlapping windows from the start of the text, `batchSize` per batch, at most
    /// `maxBatches` batches: a fixed evaluation set, the same for every model.
    public func evaluationBatches(batchSize: Int, contextLength: Int, maxBatches: Int = .max) -> [Batch] {
        let windows = (tokens.count - 1) / contextLength
        let batchCount = min(windows / batchSize, maxBatches)
        return (0..<batchCount).map { b in
            batch(at: (0..<batchSize).map { (b * batchSize + $0) * contextLength }, contextLength: contextLength)
        }
    }

    /// How often each character occurs in this text, [V], summing to 1.
    public var characterFrequencies: [Double] {
        var counts = [Double](repeating: 0, count: vocabulary.count)
        for t in tokens { counts[t] += 1 }
        return counts.map { $0 / Double(tokens.count) }
    }

    /// The unigram entropy of this text: −Σ f log₂ f over its character frequencies. The
    /// grammar's `unigramEntropy` is the same quantity for an infinitely long text.
    public var unigramEntropy: EntropyPerCharacter {
        EntropyPerCharacter(bits: ProbabilisticGrammar.entropyBits(of: characterFrequencies))
    }
}
