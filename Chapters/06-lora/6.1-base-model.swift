import Book
import Core
import Optimizers
import Plot
import TinyGPT

/// What 6.1 hands on: the trained base model and its held-out losses.
struct BaseModel {
    let model: TinyGPTModel
    let vocabulary: CharacterVocabulary
    let fables: Double
    let diary: Double
}

/// 6.1: TinyGPT trained from scratch on fables, measured against the grammar's exact entropy,
/// and saved for Chapter 7.
func baseModelSection(
    _ book: Notebook, seed: UInt64, config: GPTConfig, corpora: ChapterCorpora, steps: Int,
    learningRate: Double
) -> BaseModel {
    book.section("6.1", "A tiny GPT, trained from scratch on text whose entropy we know")
    book.say(
        """
        The base model learns "fables", text from a seeded probabilistic grammar (TinyGPT's
        ProbabilisticGrammar: states, weighted words, a Markov chain). Because we wrote the grammar,
        we can compute the entropy rate of its text exactly (Shannon 1948, §7): the lowest loss any
        model can reach. The unigram entropy is what a model scores that knows only how often each
        character occurs. A language model's loss is the cross-entropy in nats per character.
        """)
    let vocabulary = CharacterVocabulary.standard
    let fables = corpora.fables
    print("fables: \"\(fables.text.prefix(80))...\"")
    print()
    let rate = ProbabilisticGrammar.fables.entropyRate
    let unigram = ProbabilisticGrammar.fables.unigramEntropy(vocabulary)
    book.table(
        ["fables", "bits / character", "nats / character"],
        [
            ["entropy rate (exact)", Fmt.f(rate.bits, 4), Fmt.f(rate.nats, 4)],
            ["unigram entropy (exact)", Fmt.f(unigram.bits, 4), Fmt.f(unigram.nats, 4)],
            [
                "unigram entropy of this corpus", Fmt.f(fables.unigramEntropy.bits, 4),
                Fmt.f(fables.unigramEntropy.nats, 4),
            ],
            ["uniform over 29 characters", Fmt.f(Math.log2(29), 4), Fmt.f(Math.log(29), 4)],
        ])
    print()
    var rng = SeededRNG(seed: seed)
    let model = TinyGPTModel(config: config, rng: &rng)
    var sampleRNG = SeededRNG(seed: seed + 100)
    print("sample before training (prompt \"the \", temperature 1):")
    print(
        "  the "
            + model.generate(prompt: "the ", count: 76, vocabulary: vocabulary, rng: &sampleRNG))
    print()
    let optimizer = AdamW(model.parameters, AdamHyperparameters(learningRate: learningRate))
    var batchRNG = SeededRNG(seed: seed + 1)
    let run = Trainer.train(
        model, on: fables, steps: steps, batchSize: corpora.batchSize, replicas: 2,
        rng: &batchRNG, progress: ProgressLine(label: "6.1 base").report
    ) { optimizer.step() }
    let (heldOutFables, heldOutDiary) = corpora.heldOutLosses(model)
    print(
        "trained \(steps) steps with AdamW (lr \(Fmt.g(learningRate)), no weight decay), each "
            + "batch split over 2 replicas (DataParallel)")
    book.table(
        ["loss on held-out fables", "nats / character"],
        [
            ["TinyGPT after \(steps) steps", Fmt.f(heldOutFables, 4)],
            ["entropy rate: the floor", Fmt.f(rate.nats, 4)],
            ["unigram entropy", Fmt.f(unigram.nats, 4)],
        ])
    print()
    print("sample after training:")
    print(
        "  the "
            + model.generate(prompt: "the ", count: 76, vocabulary: vocabulary, rng: &sampleRNG))
    print()
    book.say(
        """
        The loss falls \(Fmt.f(unigram.nats - heldOutFables, 2)) nats below the unigram entropy: the
        model uses context — it spells the words and follows the grammar — and ends
        \(Fmt.f(heldOutFables - rate.nats, 3)) nats above the entropy rate, the part of the text
        that is truly random plus what \(steps) steps and a 64-character window leave unlearnt.

        Each step's \(corpora.batchSize) windows were split over two replicas of the model, one per
        core (TinyGPT's DataParallel: PyTorch's DistributedDataParallel on one machine). Each
        replica computes the gradient of its half; the model averages the two, which is the
        gradient of the whole batch because the loss is a mean, and takes one AdamW step. The
        same training as one replica up to float rounding (DataParallelTests), with both cores
        busy: a model this small has matrix products too small to split well over cores.
        """)
    book.figure(
        Charts.line(
            title: "TinyGPT's loss falls far below the unigram entropy",
            xLabel: "training step", yLabel: "training loss (nats/char, mean of 10 steps)",
            series: [smoothedSeries("TinyGPT on fables", run.losses)], yScale: .log10,
            annotations: [
                .horizontal(unigram.nats, label: "unigram entropy \(Fmt.f(unigram.nats, 2))"),
                .horizontal(rate.nats, label: "entropy rate \(Fmt.f(rate.nats, 3))"),
            ]),
        "base-loss", caption: "training loss of the base model on fables, with the two entropies")
    book.saveModel(
        model, vocabulary: vocabulary, as: "tinygpt-fables.safetensors",
        metadata: [
            "trained_by": "Chapter06", "seed": String(seed), "steps": String(steps),
            "batch": "\(corpora.batchSize)x\(config.contextLength), 2 data-parallel replicas",
            "corpus": "fables, \(fables.text.count) characters, seed \(fables.seed)",
            "optimizer": "AdamW lr \(Fmt.g(learningRate))",
            "heldout_fables_loss": Fmt.f(heldOutFables, 4),
        ],
        note: "float32, every parameter; Chapter 7 loads it")
    print()
    return BaseModel(
        model: model, vocabulary: vocabulary, fables: heldOutFables, diary: heldOutDiary)
}
