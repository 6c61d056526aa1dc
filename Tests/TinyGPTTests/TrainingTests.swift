import Core
import NN
import Testing
import TinyGPT

/// The training loop and generation (the throughput helper of `lowbit bench train` is tested
/// in CLITests).
@Suite struct TrainingTests {

    /// A few dozen steps of a tiny model lower the loss from ≈ log 29 = 3.37 nats toward the
    /// unigram entropy (2.79 nats) and below: the mean of the last 10 step losses must be at
    /// least 0.5 nats under the first step's. Seconds in a debug build.
    @Test func shortTrainingRunLowersTheLoss() {
        var rng = SeededRNG(seed: 41)
        let config = GPTConfig(vocabularySize: 29, contextLength: 16, channels: 16, heads: 2, layers: 1)
        let model = TinyGPTModel(config: config, rng: &rng)
        let corpus = Corpus(grammar: .fables, characters: 20_000, seed: 42)
        let sgd = PlainSGD(model.parameters, learningRate: 0.5)
        var reports: [Trainer.Progress] = []
        let run = Trainer.train(model, on: corpus, steps: 40, batchSize: 4, rng: &rng,
                                progress: { reports.append($0) }) { sgd.step() }
        #expect(run.losses.count == 40 && run.tokens == 40 * 4 * 16)
        let first = Double(run.losses[0])
        #expect(abs(first - Math.log(29)) < 0.3)
        #expect(run.meanOfLast(10) < first - 0.5, "first \(first), last 10 \(run.meanOfLast(10))")
        #expect(reports.map(\.step) == Array(1...40) && reports.last!.loss == run.losses.last!)
        #expect(run.tokensPerSecond > 0)
    }

    /// Training is deterministic: the same seeds give the same loss history, bit for bit.
    @Test func trainingIsDeterministic() {
        func history() -> [Float] {
            var rng = SeededRNG(seed: 43)
            let model = TinyGPTModel(config: .tiny(vocabularySize: 29), rng: &rng)
            let sgd = PlainSGD(model.parameters, learningRate: 0.3)
            let corpus = Corpus(grammar: .diary, characters: 2_000, seed: 44)
            return Trainer.train(model, on: corpus, steps: 5, batchSize: 2, rng: &rng) { sgd.step() }.losses
        }
        #expect(history() == history())
    }

    /// Generation: greedy decoding is a function of the prompt alone; sampling is a function
    /// of the prompt and the seed; the text stays in the alphabet.
    @Test func generationIsDeterministicAndInAlphabet() {
        let model = tinyModel(seed: 45)
        let vocabulary = CharacterVocabulary.standard
        var r1 = SeededRNG(seed: 1), r2 = SeededRNG(seed: 2)
        let greedy1 = model.generate(prompt: "the ", count: 20, vocabulary: vocabulary, temperature: 0, rng: &r1)
        let greedy2 = model.generate(prompt: "the ", count: 20, vocabulary: vocabulary, temperature: 0, rng: &r2)
        #expect(greedy1 == greedy2 && greedy1.count == 20)
        var s1 = SeededRNG(seed: 5), s2 = SeededRNG(seed: 5), s3 = SeededRNG(seed: 6)
        let sampled1 = model.generate(prompt: "a ", count: 30, vocabulary: vocabulary, rng: &s1)
        let sampled2 = model.generate(prompt: "a ", count: 30, vocabulary: vocabulary, rng: &s2)
        let sampled3 = model.generate(prompt: "a ", count: 30, vocabulary: vocabulary, rng: &s3)
        #expect(sampled1 == sampled2 && sampled1 != sampled3)
        #expect(vocabulary.covers(sampled1) && sampled1.count == 30)
    }

    /// Greedy decoding picks the largest logit; the longest prompt is cut to the context.
    @Test func greedyFollowsTheArgmaxAndWindowSlides() {
        let model = tinyModel(seed: 46)
        let vocabulary = CharacterVocabulary.standard
        let prompt = "one day the old fox"  // 19 characters, context 8
        var rng = SeededRNG(seed: 3)
        let next = model.generate(prompt: prompt, count: 1, vocabulary: vocabulary, temperature: 0, rng: &rng)
        let window = Array(vocabulary.encode(prompt).suffix(8))
        let logits = model.forward(window, batchSize: 1, time: 8).row(7)
        let argmax = logits.indices.max { logits[$0] < logits[$1] }!
        #expect(next == vocabulary.decode([argmax]))
    }
}
