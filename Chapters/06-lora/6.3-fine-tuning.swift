import Book
import Core
import LoRA
import Optimizers
import Plot
import TinyGPT

/// One fine-tuning run: full (rank nil) or LoRA on `targets` at `rank`, and what it gave.
struct FineTune {
    let name: String
    let rank: Int?
    let trainable: Int
    let stateBytes: Int
    let losses: [Float]
    let diary: Double
    let fables: Double
    let model: TinyGPTModel
}

/// A fresh copy of `base` with `targets` adapted at `rank` (full fine-tuning when nil), trained
/// on diary with `recipe` — the same batches, and the same A for the same layer, in every run.
func fineTune(
    _ name: String, rank: Int?, targets: [String], base: TinyGPTModel, corpora: ChapterCorpora,
    recipe: FineTuneRecipe, alpha: Double
) -> FineTune {
    let model = recipe.freshCopy(of: base)
    if let rank {
        var rng = recipe.adapterRNG()
        let lora = LoRAConfig(rank: rank, alpha: alpha, targetModules: targets)
        model.replaceLinearLayers { name, layer in
            LoRAInjection.adapt(layer, named: name, config: lora, rng: &rng)
        }
        LoRAInjection.freezeAllButAdapters(model.parameters)
    }
    let optimizer = AdamW(
        model.parameters,
        AdamHyperparameters(learningRate: recipe.learningRate(adapters: rank != nil)))
    let run = recipe.fineTune(
        model, on: corpora.diary, progress: ProgressLine(label: "6.3 " + name).report
    ) {
        optimizer.step()
    }
    let (fables, diary) = corpora.heldOutLosses(model)
    return FineTune(
        name: name, rank: rank, trainable: model.parameters.filter(\.isTrainable).totalCount,
        stateBytes: optimizer.stateBytes, losses: run.losses, diary: diary, fables: fables,
        model: model)
}

/// The runs of 6.3, by role.
struct FineTuneRuns {
    let all: [FineTune]
    var full: FineTune { all[0] }
    var allLinear: FineTune { all.last! }
}

/// 6.3: full fine-tuning against LoRA at several placements and ranks, on the same batches.
func fineTuneSection(
    _ book: Notebook, base: BaseModel, corpora: ChapterCorpora, recipe: FineTuneRecipe,
    alpha: Double
) -> FineTuneRuns {
    book.section(
        "6.3", "Fine-tuning to a new domain: full fine-tuning against LoRA at r = 1 ... 16")
    let diaryRate = ProbabilisticGrammar.diary.entropyRate
    book.say(
        """
        The new domain is "diary": the same animals and alphabet, but a narrator, past tenses, times
        and places. The base model has never seen it:
        """)
    print("diary: \"\(corpora.diary.text.prefix(80))...\"")
    print()
    book.table(
        ["diary", "nats / character"],
        [
            ["entropy rate (exact)", Fmt.f(diaryRate.nats, 4)],
            [
                "unigram entropy (exact)",
                Fmt.f(ProbabilisticGrammar.diary.unigramEntropy(base.vocabulary).nats, 4),
            ],
            ["the base model (trained on fables)", Fmt.f(base.diary, 4)],
        ])
    print()
    book.say(
        """
        Six fine-tuning runs start from the saved base model, each for \(recipe.steps) steps on the
        same batches (FineTuneRecipe, which Chapter 7 reuses): full fine-tuning (every weight
        trainable, AdamW lr \(Fmt.g(recipe.fullLearningRate))); LoRA on W_q and W_v at r = 4 (the
        LoRA paper's §7.1 setting: its 18M-parameter budget on GPT-3 is r = 8 for one type of
        attention matrix or r = 4 for two, and Table 5 finds W_q and W_v together the best use of
        it); LoRA on all four attention projections W_q, W_k, W_v, W_o of both blocks at r = 1, 4,
        16; and LoRA on all six linear layers of each block (attention and MLP, the QLoRA paper's
        choice) at r = 8. LoRA runs use alpha = \(Fmt.g(alpha)), no dropout, AdamW lr
        \(Fmt.g(recipe.adapterLearningRate)), and the same initial A for the same layer; everything
        but the adapters is frozen (peft's bias = "none"). The learning rates are the best of each
        side in a small sweep of 200-step runs on an earlier base model (full: 1e-3, 3e-3; LoRA:
        3e-3, 1e-2, 2e-2, 3e-2), so neither side is handicapped by its step size; the runs here are
        \(recipe.steps) steps (the sweep's were 200), so that the chapter runs in seconds, and a
        short budget favours the larger step size: where a LoRA run ends level with full
        fine-tuning or ahead of it, read "learns as fast", not "learns more". The runs are
        independent, so they run two at a time on this machine's two cores (inParallel): the same
        numbers, up to half the wall-clock time.
        """)
    let specs: [(String, Int?, [String])] = [
        ("full fine-tuning", nil, []),
        ("LoRA W_q, W_v r=4", 4, LoRAConfig.attentionQueryValue),
        ("LoRA attention r=1", 1, LoRAConfig.attention),
        ("LoRA attention r=4", 4, LoRAConfig.attention),
        ("LoRA attention r=16", 16, LoRAConfig.attention),
        ("LoRA all linear r=8", 8, LoRAConfig.allLinear),
    ]
    let runs = FineTuneRuns(
        all: book.attempt("fine-tuning") {
            try inParallel(specs.count) { i in
                fineTune(
                    specs[i].0, rank: specs[i].1, targets: specs[i].2, base: base.model,
                    corpora: corpora,
                    recipe: recipe, alpha: alpha)
            }
        })
    fineTuneTable(book, base: base, runs: runs)
    return runs
}
