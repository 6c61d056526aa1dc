import Core
import NN

/// The training loop (nanoGPT's `train.py` without its distributed and schedule machinery):
///
/// ```
/// for step in 1...steps:
///     batch  = corpus.randomBatch(B, T, rng)
///     loss   = model.lossAndGradients(batch)        zero grads, forward, backward
///     optimizerStep()                               e.g. { try optimizer.step() } with AdamW
///     losses.append(loss)
/// ```
///
/// The optimizer comes in as a closure: this module builds the model from `NN` and leaves the
/// choice of optimizer (32-bit AdamW, 8-bit Adam, paged — all in `Optimizers`) to the caller.
/// Progress goes to a callback; `ProgressLine` prints it on one updating line of standard
/// error, so a chapter's standard output — its golden text — never sees the timings.
///
/// ```swift
/// let optimizer = AdamW(model.parameters, AdamHyperparameters(learningRate: 3e-3))
/// let run = Trainer.train(model, on: corpus, steps: 800, batchSize: 8, rng: &rng,
///                         progress: ProgressLine(label: "base").report) { optimizer.step() }
/// print(run.meanOfLast(50))        // run.losses is the whole curve
/// ```
public enum Trainer {
    /// What one run returns: the loss of every step and how fast it went.
    public struct Run: Sendable {
        /// losses[i]: the mean cross-entropy (nats per character) of step i + 1's batch.
        public let losses: [Float]
        /// Tokens trained on: steps · B · T.
        public let tokens: Int
        /// Wall-clock seconds (forward + backward + optimizer step, batch sampling included).
        public let seconds: Double
        public var tokensPerSecond: Double { seconds > 0 ? Double(tokens) / seconds : 0 }

        /// The mean of the last `count` step losses: a less noisy "final loss".
        public func meanOfLast(_ count: Int) -> Double {
            let tail = losses.suffix(max(count, 1))
            return tail.reduce(0) { $0 + Double($1) } / Double(max(tail.count, 1))
        }
    }

    /// Where the loop is, for a progress display.
    public struct Progress: Sendable {
        public let step: Int
        public let steps: Int
        public let loss: Float
        public let tokensPerSecond: Double
        public let seconds: Double
    }

    /// Trains `model` for `steps` steps of `batchSize` windows of `contextLength` (the model's
    /// context by default). `rng` draws the batches; `optimizerStep` runs after each backward
    /// pass; `progress` (if any) is called after every step. With `replicas` > 1 each batch
    /// is split over that many copies of the model running on their own cores
    /// (`DataParallel`): the same steps, faster, equal to one replica's up to float rounding.
    public static func train(
        _ model: TinyGPTModel, on corpus: Corpus, steps: Int, batchSize: Int, contextLength: Int? = nil,
        replicas: Int = 1, rng: inout SeededRNG, progress: ((Progress) -> Void)? = nil,
        optimizerStep: () throws -> Void
    ) rethrows -> Run {
        let time = contextLength ?? model.config.contextLength
        precondition(steps >= 0 && batchSize > 0, "Trainer: steps must be ≥ 0 and batches non-empty")
        var losses: [Float] = []
        losses.reserveCapacity(steps)
        let parallel = DataParallel(model, replicas: replicas)
        let clock = ContinuousClock()
        let start = clock.now
        for step in stride(from: 1, through: steps, by: 1) {
            let batch = corpus.randomBatch(batchSize: batchSize, contextLength: time, rng: &rng)
            losses.append(parallel.lossAndGradients(batch))
            try optimizerStep()
            if let progress {
                let seconds = Self.seconds(clock.now - start)
                let tokensPerSecond = Double(step * batchSize * time) / max(seconds, 1e-9)
                progress(Progress(step: step, steps: steps, loss: losses.last!, tokensPerSecond: tokensPerSecond,
                                  seconds: seconds))
            }
        }
        return Run(losses: losses, tokens: steps * batchSize * time, seconds: seconds(clock.now - start))
    }

    /// A `Duration` in seconds.
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
