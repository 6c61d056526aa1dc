import Core
import NN
import TinyGPT

/// Training throughput of a TinyGPT model in tokens per second — forward, backward and
/// optimizer step, on one thread — for `lowbit bench train` (`BenchTrain`), which sets
/// Chapter 6's model beside the same one in PyTorch on CPU.
///
/// ```
/// tokens/s = measuredSteps · B · T / seconds        (after `warmupSteps` untimed steps)
/// ```
///
/// The warm-up steps let the optimizer allocate its states and the caches fill; they are
/// not timed. Batches are drawn from `rng` exactly as in training, so the work is the same.
enum Throughput {
    struct Measurement: Sendable {
        let batchSize: Int
        let contextLength: Int
        let steps: Int
        let seconds: Double
        var tokens: Int { steps * batchSize * contextLength }
        var tokensPerSecond: Double { seconds > 0 ? Double(tokens) / seconds : 0 }
        var millisecondsPerStep: Double { steps > 0 ? 1000 * seconds / Double(steps) : 0 }
    }

    /// Times `steps` training steps of `model` on `corpus` after `warmupSteps` untimed ones.
    /// The model's weights change (it trains), so measure on a copy you can spare.
    static func measure(
        _ model: TinyGPTModel, on corpus: Corpus, batchSize: Int, steps: Int, warmupSteps: Int = 2,
        rng: inout SeededRNG, optimizerStep: () throws -> Void
    ) rethrows -> Measurement {
        precondition(steps > 0 && warmupSteps >= 0, "Throughput: need at least one timed step")
        _ = try Trainer.train(
            model, on: corpus, steps: warmupSteps, batchSize: batchSize, rng: &rng, optimizerStep: optimizerStep)
        let run = try Trainer.train(
            model, on: corpus, steps: steps, batchSize: batchSize, rng: &rng, optimizerStep: optimizerStep)
        return Measurement(
            batchSize: batchSize, contextLength: model.config.contextLength, steps: steps, seconds: run.seconds)
    }
}
