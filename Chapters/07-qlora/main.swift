// Chapter 7 — QLoRA: LoRA adapters trained through a frozen 4-bit NormalFloat base.
//
// Run: swift run -c release Chapter07 [--figures DIR] [--models DIR]
// Needs Models/tinygpt-fables.safetensors, which Chapter 6 trains and saves. Each section is
// one file (7.1-four-bit-base.swift, …) holding one function; this file passes each the inputs
// it needs. The ideas live in Sources/QLoRA (the 4-bit layer, the adapter on it, merging,
// memory), built on Sources/NF4, Sources/LoRA, Sources/Optimizers and TinyGPT's FineTuneRecipe
// (Chapter 6's recipe, reused). Training progress goes to standard error.
import Book
import LoRA
import TinyGPT

let seed: UInt64 = 7
let book = Notebook(chapter: 7, title: "QLoRA: LoRA adapters on a frozen 4-bit base")
let loaded = book.loadModel("tinygpt-fables.safetensors", trainedBy: "Chapter06")
let recipe = FineTuneRecipe.chapters6And7
let setup = QLoRASetup(
    base: loaded.model, recipe: recipe,
    lora: LoRAConfig(rank: 8, alpha: 16, targetModules: LoRAConfig.allLinear),
    corpora: ChapterCorpora(contextLength: loaded.model.config.contextLength), min8BitSize: 256,
    pageSize: 4096)
book.parameters([
    "seed": "\(seed) (the runs use Chapter 6's FineTuneRecipe and its seeds)",
    "base model": "tinygpt-fables.safetensors by \(loaded.metadata["trained_by"] ?? "?"), "
        + "\(loaded.metadata["steps"] ?? "?") steps; held-out fables loss "
        + "\(loaded.metadata["heldout_fables_loss"] ?? "?")",
    "adapters":
        "r \(setup.lora.rank), alpha \(Fmt.g(setup.lora.alpha)), on "
            + "\(setup.lora.targetModules.joined(separator: ", "))",
    "fine-tuning": "\(recipe.steps) steps on diary, batches of \(recipe.batchSize) x 64, "
        + "lr \(Fmt.g(recipe.adapterLearningRate)), seeds \(recipe.adapterSeed), "
        + "\(recipe.batchSeed)",
    "4-bit storage": "NF4, blocks of 64, double-quantized constants; the head stays float32",
])

let quantized = fourBitBaseSection(book, setup: setup)
formatsComparison(book, setup: setup)
qloraLayerSection(book, setup: setup, quantized: quantized)
let runs = fineTuneSection(book, setup: setup)
memorySection(book, setup: setup, runs: runs)
afterTrainingSection(book, setup: setup, qlora: runs.qlora, quantized: quantized)
transformersMapSection(book)
exercisesSection(book)
