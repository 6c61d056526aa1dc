import Core
import TestSupport
import Testing
import TinyGPT

/// The grammar, its exact entropy, and the corpus built from it.
@Suite struct CorpusTests {

    /// A grammar a reader can do by hand: state 0 always writes "a " (0 bits, 2 characters)
    /// and moves to state 1, which writes "bb " or "c " with probability ½ each (1 bit,
    /// 2.5 characters on average) and moves back. π = (½, ½), so
    /// H = (½·0 + ½·1) / (½·2 + ½·2.5) = 0.5 / 2.25 = 2/9 bits per character.
    /// The chain is periodic (period 2), which plain power iteration would not survive.
    static let alternating = ProbabilisticGrammar(
        name: "alternating", start: "s0",
        states: [
            "s0": [.init(["a ": 1], then: "s1")],
            "s1": [.init(["bb ": 1, "c ": 1], then: "s0")],
        ])

    @Test func entropyRateOfAHandWorkedGrammar() {
        let g = Self.alternating
        #expect(g.stationaryDistribution.map { abs($0 - 0.5) < 1e-12 } == [true, true])
        #expect(abs(g.entropyRate.bits - 2.0 / 9.0) < 1e-12, "\(g.entropyRate)")
        #expect(abs(g.entropyRate.nats - 2.0 / 9.0 * Math.log(2)) < 1e-12)
    }

    /// The exact rate against a brute-force estimate: −log₂ P(text) / |text| over 200,000
    /// sampled characters, with P(text) found by decoding the text arc by arc. The estimate
    /// converges to the rate (Shannon–McMillan–Breiman); its standard error here is about
    /// 0.3%, so 2% is a loose bound that still catches a wrong formula (forgetting π, or
    /// dividing by the wrong length, is off by 10% or more).
    @Test(arguments: ["alternating", "fables", "diary"])
    func entropyRateMatchesBruteForceEstimate(name: String) throws {
        let grammar = [Self.alternating, .fables, .diary].first { $0.name == name }!
        var rng = SeededRNG(seed: 21)
        let text = grammar.generate(characters: 200_000, rng: &rng)
        let decoded = try #require(grammar.informationContent(of: text))
        #expect(decoded.characters > 199_900)
        let estimate = decoded.bits / Double(decoded.characters)
        let exact = grammar.entropyRate.bits
        #expect(abs(estimate - exact) < 0.02 * exact, "estimate \(estimate), exact \(exact) bits/char")
    }

    /// The same seed gives the same text; another seed gives another.
    @Test func generatorIsDeterministic() {
        let a = Corpus(grammar: .fables, characters: 5_000, seed: 7)
        let b = Corpus(grammar: .fables, characters: 5_000, seed: 7)
        let c = Corpus(grammar: .fables, characters: 5_000, seed: 8)
        #expect(a.text == b.text && a.tokens == b.tokens)
        #expect(a.text != c.text)
        #expect(a.text.count == 5_000)
        // Pinned: a change to the sampler or the generator would change every chapter's corpus.
        #expect(a.text.hasPrefix("a cat sleeps. then the duck sleeps. the red fox sees a cat, so one day the fox"))
    }

    /// The corpus's empirical character frequencies approach the grammar's exact ones; the
    /// unigram entropy (≈ 4 bits) is far above the entropy rate (≈ 0.5 bits) — the room a
    /// model that uses context has to improve.
    @Test(arguments: ["fables", "diary"])
    func unigramEntropyMatchesGrammar(name: String) {
        let grammar: ProbabilisticGrammar = name == "fables" ? .fables : .diary
        let corpus = Corpus(grammar: grammar, characters: 100_000, seed: 22)
        let exact = grammar.unigramEntropy(.standard).bits
        #expect(abs(corpus.unigramEntropy.bits - exact) < 0.01, "corpus \(corpus.unigramEntropy.bits), exact \(exact)")
        #expect(exact > 3.5 && exact < 4.3)
        #expect(grammar.entropyRate.bits > 0.3 && grammar.entropyRate.bits < 0.8)
        #expect(abs(grammar.characterFrequencies(.standard).reduce(0, +) - 1) < 1e-12)
    }

    /// Text from another source does not decode; a cut-off last word is allowed.
    @Test func decodingRejectsForeignText() throws {
        #expect(ProbabilisticGrammar.fables.informationContent(of: "the cat barks. ") == nil)
        let partial = try #require(ProbabilisticGrammar.fables.informationContent(of: "the cat se"))
        #expect(partial.characters == 8)
    }

    /// Batches: targets are the inputs shifted by one; evaluation windows do not overlap.
    @Test func batchesPredictTheNextCharacter() {
        let corpus = Corpus(grammar: .diary, characters: 3_000, seed: 23)
        var rng = SeededRNG(seed: 24)
        let batch = corpus.randomBatch(batchSize: 3, contextLength: 10, rng: &rng)
        #expect(batch.inputs.count == 30 && batch.targets.count == 30)
        for b in 0..<3 {
            #expect(Array(batch.inputs[(b * 10 + 1)..<(b * 10 + 10)]) == Array(batch.targets[(b * 10)..<(b * 10 + 9)]))
        }
        let evaluation = corpus.evaluationBatches(batchSize: 4, contextLength: 10)
        #expect(evaluation.count == 2999 / 10 / 4)
        #expect(Array(evaluation[0].inputs[0..<10]) == Array(corpus.tokens[0..<10]))
        #expect(Array(evaluation[0].inputs[10..<20]) == Array(corpus.tokens[10..<20]))
    }

    /// The vocabulary round-trips text and has the 29 characters both domains use.
    @Test func vocabularyRoundTrips() {
        let vocabulary = CharacterVocabulary.standard
        #expect(vocabulary.count == 29)
        let text = "yesterday i fed the duck, so the fox ran away."
        #expect(vocabulary.decode(vocabulary.encode(text)) == text)
        #expect(vocabulary.encode(" ,.a") == [0, 1, 2, 3])
        #expect(!vocabulary.covers("The cat"))
    }
}
