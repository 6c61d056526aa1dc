// Chapter 6 — LoRA from scratch: a tiny GPT trained on our own text, then adapted with
// low-rank updates.
//
// Run: swift run -c release Chapter06 [--figures DIR] [--models DIR]
// Each section is one file (6.1-base-model.swift, …) holding one function; this file passes
// each the inputs it needs. The ideas live in Sources/TinyGPT (the model, the grammars, the
// training loop, the fine-tuning recipe) and Sources/LoRA (the adapters). The trained base
// model goes to Models/tinygpt-fables.safetensors (Chapter 7 loads it); progress to stderr.
import Book
import TinyGPT

let seed: UInt64 = 6
let book = Notebook(chapter: 6, title: "LoRA from scratch: a tiny GPT and its low-rank adapters")
let vocabulary = CharacterVocabulary.standard
let config = GPTConfig.chapter(vocabularySize: vocabulary.count)
let corpora = ChapterCorpora(contextLength: config.contextLength)
let baseSteps = 400
let baseLearningRate = 3e-3
let recipe = FineTuneRecipe.chapters6And7
let replicas = 3
book.parameters([
    "seed": String(seed),
    "model": "\(config.layers) blocks, C \(config.channels), \(config.heads) heads, context "
        + "\(config.contextLength), MLP \(config.mlpRatio)C, V \(config.vocabularySize): "
        + "\(config.parameterCount) parameters",
    "fables": corpora.fablesSummary,
    "diary": corpora.diarySummary,
    "evaluation":
        "\(corpora.fablesEval.count) batches of \(corpora.batchSize) x \(config.contextLength) "
            + "characters per held-out text",
    "base training":
        "\(baseSteps) steps of \(corpora.batchSize) windows, AdamW lr \(Fmt.g(baseLearningRate))",
    "fine-tuning":
        "\(recipe.steps) steps of \(recipe.batchSize) windows, AdamW lr "
        + "\(Fmt.g(recipe.fullLearningRate)) (full) or "
        + "\(Fmt.g(recipe.adapterLearningRate)) (adapters)",
    "seeds of runs":
        "adapters \(recipe.adapterSeed), batches \(recipe.batchSeed); \(replicas) replicas "
            + "(+1000 each)",
])

let base = baseModelSection(
    book, seed: seed, config: config, corpora: corpora, steps: baseSteps,
    learningRate: baseLearningRate)
readableBackwardCheck(book, base: base, corpora: corpora, seed: seed)
loraLayerSection(book, base: base, seed: seed, alpha: 16)
let runs = fineTuneSection(book, base: base, corpora: corpora, recipe: recipe, alpha: 16)
forgettingSection(
    book, base: base, runs: runs, corpora: corpora, recipe: recipe, replicas: replicas, alpha: 16)
mergeSection(book, adapted: runs.allLinear.model, corpora: corpora)
realModelsSection(book)
exercisesSection(book)
