import Core
import NN

/// One seeded training run of an MLP on the Gaussian-mixture task with 32-bit AdamW or
/// 8-bit AdamW — the experiment of Chapter 5 §5.3, in the library so a chapter only calls it.
///
/// Source: Dettmers et al. 2022, "8-bit Optimizers via Block-wise Quantization", §4 (8-bit
/// optimizers match 32-bit ones); the loop is PyTorch's usual one:
///
/// ```
/// for step in 1 … steps:
///     batch  = task.sample(batchSize, batchRNG)        same batches for every optimizer
///     loss   = mlp.lossAndGradients(batch)              forward, backward: grads set
///     optimizer.step()                                   AdamW or Adam8bit
///     every evaluateEvery steps: held-out loss
/// ```
///
/// Seeds: the task is `seed`, initial weights `seed + 1`, batches `seed + 2`, held-out points
/// `seed + 3`, so two runs that differ only in `eightBit` start from the same weights and see
/// the same batches.
public struct OptimizerTrainingRun {
    /// What to train and how.
    public struct Configuration: Sendable {
        public var layerSizes: [Int]
        public var batchSize: Int
        public var steps: Int
        /// The held-out loss is measured before training and after every `evaluateEvery` steps.
        public var evaluateEvery: Int
        public var heldOutCount: Int
        public var hyperparameters: AdamHyperparameters
        /// Tensors with fewer values keep 32-bit states in the 8-bit optimizer.
        public var min8BitSize: Int
        public var seed: UInt64

        public init(
            layerSizes: [Int], batchSize: Int, steps: Int, evaluateEvery: Int, heldOutCount: Int,
            hyperparameters: AdamHyperparameters, min8BitSize: Int, seed: UInt64
        ) {
            precondition(
                steps > 0 && evaluateEvery > 0 && batchSize > 0 && heldOutCount > 0,
                "OptimizerTrainingRun: steps, evaluateEvery, batchSize, heldOutCount must be > 0")
            self.layerSizes = layerSizes
            self.batchSize = batchSize
            self.steps = steps
            self.evaluateEvery = evaluateEvery
            self.heldOutCount = heldOutCount
            self.hyperparameters = hyperparameters
            self.min8BitSize = min8BitSize
            self.seed = seed
        }
    }

    /// The optimizer after the run (its states are the final ones).
    public let optimizer: any Optimizer
    /// trainingLosses[s]: the batch loss at step s + 1 (before that step's update).
    public let trainingLosses: [Double]
    /// heldOutLosses[e]: the held-out loss after e · evaluateEvery steps (e = 0: before training).
    public let heldOutLosses: [Double]
    /// Fraction of the held-out points classified correctly after the last step.
    public let heldOutAccuracy: Double

    /// Trains a fresh MLP with 32-bit AdamW (`eightBit` false) or 8-bit AdamW (true).
    public init(_ config: Configuration, eightBit: Bool) {
        let task = GaussianMixtureTask(seed: config.seed)
        var heldOutRNG = SeededRNG(seed: config.seed &+ 3)
        let heldOut = task.sample(count: config.heldOutCount, rng: &heldOutRNG)
        var weightRNG = SeededRNG(seed: config.seed &+ 1)
        let mlp = MLP(sizes: config.layerSizes, rng: &weightRNG)
        var batchRNG = SeededRNG(seed: config.seed &+ 2)
        let optimizer: any Optimizer =
            eightBit
            ? Adam8bit(mlp.parameters, config.hyperparameters, min8BitSize: config.min8BitSize)
            : AdamW(mlp.parameters, config.hyperparameters)
        var losses: [Double] = []
        var heldOutLosses = [Double(mlp.loss(heldOut.inputs, labels: heldOut.labels))]
        for step in 1...config.steps {
            let batch = task.sample(count: config.batchSize, rng: &batchRNG)
            losses.append(Double(mlp.lossAndGradients(batch.inputs, labels: batch.labels)))
            // In-memory optimizers never throw; only paged ones can run out of memory.
            do {
                try optimizer.step()
            } catch {
                preconditionFailure("in-memory optimizer threw: \(error)")
            }
            if step % config.evaluateEvery == 0 {
                heldOutLosses.append(Double(mlp.loss(heldOut.inputs, labels: heldOut.labels)))
            }
        }
        self.optimizer = optimizer
        trainingLosses = losses
        self.heldOutLosses = heldOutLosses
        heldOutAccuracy = Double(mlp.accuracy(heldOut.inputs, labels: heldOut.labels))
    }

    /// The mean of the last `window` values at each index (fewer at the start).
    public static func movingAverage(_ xs: [Double], window: Int = 20) -> [Double] {
        precondition(window > 0, "movingAverage: window must be positive")
        return xs.indices.map { i in
            let slice = xs[max(0, i - window + 1)...i]
            return slice.reduce(0, +) / Double(slice.count)
        }
    }
}
