import Core

/// The fine-tuning recipe of Chapters 6 and 7, in one place: how many steps, how big a
/// batch, which learning rate, and which seeds draw the adapters and the batches. Chapter 7
/// repeats Chapter 6's LoRA run on a 4-bit base; both chapters call ``fineTune(_:on:progress:optimizerStep:)``
/// with the same recipe, so "the same run" is true by construction rather than by comment.
///
/// ```
/// model   = recipe.freshCopy(of: base)             float weights, bit for bit the saved base
/// (adapters injected by the caller, drawn from recipe.adapterRNG())
/// optimizer with recipe.learningRate(adapters:)    1e-3 for every weight, 1e-2 for adapters
/// for step in 1...steps:                           batches of batchSize windows, drawn from
///     loss, gradients, optimizer step              SeededRNG(seed: batchSeed)
/// ```
///
/// The learning rates are the best of each side in a small sweep of 200-step runs on an
/// earlier base model (full: 1e-3, 3e-3; LoRA: 3e-3, 1e-2, 2e-2, 3e-2), so neither side is
/// handicapped by its step size. `replica(k)` moves both seeds together: the same recipe with other adapters
/// and another batch order, for the spread of a result over seeds (replica 0 is the recipe).
///
/// The model and the optimizer stay with the caller: this module knows the transformer and
/// the training loop, `LoRA`/`QLoRA` know the adapters, `Optimizers` the optimizers.
///
/// ### See Also
/// `Trainer.train` (the loop it runs), `LoRAInjection.adapt`, `QLoRAInjection.adapt`.
public struct FineTuneRecipe: Equatable, Sendable {
    /// Optimizer steps (one batch each).
    public var steps: Int
    /// Windows per batch; each window is the model's context length.
    public var batchSize: Int
    /// AdamW's learning rate when every weight trains (full fine-tuning).
    public var fullLearningRate: Double
    /// AdamW's learning rate when only adapters train (LoRA, QLoRA).
    public var adapterLearningRate: Double
    /// Seeds the generator that draws every adapter's A (the same A for the same layer in
    /// every run of one replica).
    public var adapterSeed: UInt64
    /// Seeds the generator that draws the batches (the same batches in every run of one replica).
    public var batchSeed: UInt64

    public init(
        steps: Int, batchSize: Int, fullLearningRate: Double, adapterLearningRate: Double,
        adapterSeed: UInt64, batchSeed: UInt64
    ) {
        precondition(steps >= 0 && batchSize > 0, "FineTuneRecipe: steps must be ≥ 0 and batches non-empty")
        self.steps = steps
        self.batchSize = batchSize
        self.fullLearningRate = fullLearningRate
        self.adapterLearningRate = adapterLearningRate
        self.adapterSeed = adapterSeed
        self.batchSeed = batchSeed
    }

    /// Chapter 6's recipe (and so Chapter 7's): 50 steps of 8 windows, lr 1e-3 full and 1e-2
    /// for adapters, seeds 16 and 17 (Chapter 6's seed 6 + 10 and + 11).
    public static let chapters6And7 = FineTuneRecipe(
        steps: 50, batchSize: 8, fullLearningRate: 1e-3, adapterLearningRate: 1e-2,
        adapterSeed: 16, batchSeed: 17)

    /// The same recipe with both seeds moved by `k` · 1000: other adapters, other batches.
    public func replica(_ k: Int) -> FineTuneRecipe {
        precondition(k >= 0, "FineTuneRecipe: replica \(k) is negative")
        var r = self
        r.adapterSeed = adapterSeed &+ 1000 &* UInt64(k)
        r.batchSeed = batchSeed &+ 1000 &* UInt64(k)
        return r
    }

    /// The learning rate for a run that trains only adapters (`true`) or every weight.
    public func learningRate(adapters: Bool) -> Double { adapters ? adapterLearningRate : fullLearningRate }

    /// The generator to draw adapters from: a fresh one per run, so every run of a replica
    /// gives the same layer the same A.
    public func adapterRNG() -> SeededRNG { SeededRNG(seed: adapterSeed) }

    /// A fresh float copy of `base` (a model without adapters): the same config, every
    /// weight copied bit for bit and trainable, so a run never changes the base it started from.
    public func freshCopy(of base: TinyGPTModel) -> TinyGPTModel { base.copy() }

    /// Fine-tunes `model` (prepared by the caller: adapters injected, the rest frozen) on
    /// `corpus`: `steps` batches of `batchSize` windows drawn from `SeededRNG(seed: batchSeed)`,
    /// `optimizerStep` after every backward pass. Returns the run's losses.
    public func fineTune(
        _ model: TinyGPTModel, on corpus: Corpus, progress: ((Trainer.Progress) -> Void)? = nil,
        optimizerStep: () throws -> Void
    ) rethrows -> Trainer.Run {
        var batches = SeededRNG(seed: batchSeed)
        return try Trainer.train(
            model, on: corpus, steps: steps, batchSize: batchSize, rng: &batches, progress: progress,
            optimizerStep: optimizerStep)
    }
}
