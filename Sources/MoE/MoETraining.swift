import Core
import NN
import Optimizers

/// Chapter 8's experiment as one call: train a `MoEClassifier` (MoE or dense) with AdamW on
/// batches of `ClusteredTokens`, and record what the chapter prints and plots — the held-out
/// loss now and then, and how many top-K slots every expert received at every step.
///
/// ```
/// for step in 1...steps:
///     (x, y) = task.sample(batchSize, rng: batches)      batches = SeededRNG(batchSeed)
///     L = cross-entropy + α · L_aux + β · L_z             MoEClassifier.lossAndGradients
///     AdamW step (weight decay 0)
///     loadPerStep[step − 1] = slots per expert            [E] Ints, summing to batchSize · K
///     held-out loss at step 1 and every `evaluationEvery` steps
/// ```
///
/// Every model trained with the same recipe sees the same batches in the same order, so runs
/// that differ only in α (or MoE against dense) differ only in what the model does.
public enum MoETraining {
    /// How long and how fast to train, and which batches to draw.
    public struct Recipe: Equatable, Sendable {
        public var steps: Int
        public var batchSize: Int
        /// AdamW's learning rate (betas 0.9, 0.999; no weight decay).
        public var learningRate: Double
        /// Seed of the batch generator.
        public var batchSeed: UInt64
        /// Held-out loss at step 1 and at every multiple of this.
        public var evaluationEvery: Int

        public init(steps: Int, batchSize: Int, learningRate: Double, batchSeed: UInt64, evaluationEvery: Int) {
            precondition(steps > 0 && batchSize > 0 && evaluationEvery > 0, "MoETraining: empty recipe")
            self.steps = steps
            self.batchSize = batchSize
            self.learningRate = learningRate
            self.batchSeed = batchSeed
            self.evaluationEvery = evaluationEvery
        }
    }

    /// What one training run recorded. The model itself is trained in place.
    public struct Run {
        public let model: MoEClassifier
        /// Steps at which the held-out loss was measured, and the losses (mean cross-entropy).
        public internal(set) var evaluationSteps: [Int] = []
        public internal(set) var heldOutLosses: [Double] = []
        /// Slots per expert at each step: [steps][E]; empty for the dense model.
        public internal(set) var loadPerStep: [[Int]] = []

        /// Slots per expert summed over `steps` (1-based, inclusive).
        public func load(over steps: ClosedRange<Int>) -> [Int] {
            precondition(steps.lowerBound >= 1 && steps.upperBound <= loadPerStep.count, "MoETraining: no such steps")
            var total = [Int](repeating: 0, count: loadPerStep[0].count)
            for step in steps {
                for (e, n) in loadPerStep[step - 1].enumerated() { total[e] += n }
            }
            return total
        }

        /// Each expert's share of the slots over `steps` (sums to 1).
        public func shares(over steps: ClosedRange<Int>) -> [Double] {
            let counts = load(over: steps)
            let total = Double(counts.reduce(0, +))
            return counts.map { Double($0) / total }
        }

        /// The share of the slots taken by the `count` busiest experts over `steps`.
        /// With K = 2 and an even load the busiest two take 2/E.
        public func busiestShare(_ count: Int, over steps: ClosedRange<Int>) -> Double {
            shares(over: steps).sorted(by: >).prefix(count).reduce(0, +)
        }
    }

    /// Trains `model` by `recipe` on `task`; the held-out loss is measured on `heldOut`.
    public static func train(
        _ model: MoEClassifier, on task: ClusteredTokens, recipe: Recipe, heldOut: (inputs: Tensor, labels: [Int])
    ) throws(MoEError) -> Run {
        var run = Run(model: model)
        let optimizer = AdamW(model.parameters, AdamHyperparameters(learningRate: recipe.learningRate))
        var batches = SeededRNG(seed: recipe.batchSeed)
        for step in 1...recipe.steps {
            let (x, labels) = task.sample(count: recipe.batchSize, rng: &batches)
            let result = try model.lossAndGradients(x, labels: labels)
            optimizer.step()
            if !result.tokensPerExpert.isEmpty { run.loadPerStep.append(result.tokensPerExpert) }
            if step == 1 || step % recipe.evaluationEvery == 0 {
                run.evaluationSteps.append(step)
                run.heldOutLosses.append(try model.evaluate(heldOut.inputs, labels: heldOut.labels).loss)
            }
        }
        return run
    }
}
