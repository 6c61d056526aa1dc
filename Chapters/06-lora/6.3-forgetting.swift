import Book
import LoRA
import TinyGPT

/// 6.3, continued: does LoRA forget less of fables than full fine-tuning? The same two runs
/// on `replicas` seeds (other adapters, other batch orders), mean and min–max.
func forgettingSection(
    _ book: Notebook, base: BaseModel, runs: FineTuneRuns, corpora: ChapterCorpora,
    recipe: FineTuneRecipe,
    replicas: Int, alpha: Double
) {
    // Replica 0 is the run above; the others, full and LoRA side by side, two at a time.
    let extra = book.attempt("fine-tuning replicas") {
        try inParallel(2 * (replicas - 1)) { i in
            let replica = recipe.replica(1 + i / 2)
            return i % 2 == 0
                ? fineTune(
                    "full, replica \(1 + i / 2)", rank: nil, targets: [], base: base.model,
                    corpora: corpora,
                    recipe: replica, alpha: alpha)
                : fineTune(
                    "LoRA, replica \(1 + i / 2)", rank: 8, targets: LoRAConfig.allLinear,
                    base: base.model,
                    corpora: corpora, recipe: replica, alpha: alpha)
        }
    }
    let full = [runs.full] + extra.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
    let lora = [runs.allLinear] + extra.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    func summary(_ values: [Double]) -> [String] {
        let mean = values.reduce(0, +) / Double(values.count)
        return [Fmt.f(mean, 3), Fmt.f(values.min()!, 3) + " - " + Fmt.f(values.max()!, 3)]
    }
    let forgetting = { (r: [FineTune]) in r.map { $0.fables - base.fables } }
    book.say(
        """
        And LoRA does not protect the old domain by itself. Forgetting here is the rise of the loss
        on held-out fables (\(Fmt.f(base.fables, 4)) before fine-tuning). One seed proves little, so
        both runs are repeated on \(replicas) seeds (FineTuneRecipe.replica: other adapters A,
        another batch order):
        """)
    book.table(
        ["\(replicas) seeds", "diary: mean", "min - max", "forgetting: mean", "min - max"],
        [
            ["full fine-tuning"] + summary(full.map(\.diary)) + summary(forgetting(full)),
            ["LoRA all linear r=8"] + summary(lora.map(\.diary)) + summary(forgetting(lora)),
        ])
    print()
    let fullWorst = forgetting(full).max()!
    let loraBest = forgetting(lora).min()!
    let loraForgetsMore = loraBest > fullWorst
    let loraLearnsLess = lora.map(\.diary).min()! > full.map(\.diary).max()!
    let forgettingVerdict =
        loraForgetsMore
        ? "On every seed LoRA forgets more than full fine-tuning does" : "The two ranges overlap"
    let learningVerdict =
        loraLearnsLess
        ? "does learn less — it ends behind on diary on every seed —"
        : "does not clearly learn less,"
    book.say(
        """
        \(forgettingVerdict):
        LoRA's least forgetting is \(Fmt.f(loraBest, 3)) nats, full fine-tuning's most
        \(Fmt.f(fullWorst, 3)). Biderman et al. (2024, "LoRA Learns Less and Forgets Less") find, on
        Llama-2 7B trained on code and math, that LoRA learns less of the new domain and keeps more
        of the old than full fine-tuning. Here LoRA
        \(learningVerdict)
        but \(loraForgetsMore ? "forgets more, not less" : "does not clearly forget less"), and the
        setting explains why: our adapters are 17 % of a tiny model, trained at ten times full
        fine-tuning's learning rate, each chosen for the new domain alone. A frozen base with a
        strong adapter can change the function as much as training every weight: freezing the base
        does not by itself make a model forget less.
        """)
}
