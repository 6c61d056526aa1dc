import Core
import MoE
import NN
import Testing

/// `MoETraining.train` and `routerInitScale`, in the layer's suite: they run the whole layer
/// forward and backward, so they fail with it when an exercise of Chapter 8 is blanked.
extension SparseMoELayerTests {
    /// The chapter's task (Chapter 8 §8.4): 8 classes × 8 clusters in 16 dimensions with a
    /// shared component of norm 6.
    static let task = ClusteredTokens(
        classes: 8, dimensions: 16, componentsPerClass: 8, centerSpread: 1.0, noise: 0.5, sharedNorm: 6, seed: 8)

    static func model(alpha: Double) throws -> MoEClassifier {
        var rng = SeededRNG(seed: 108)
        let configuration = MoEConfiguration(
            hidden: 16, intermediate: 8, experts: 8, topK: 2, auxLossCoefficient: alpha, routerInitScale: 0.1)
        return try MoEClassifier(moe: configuration, classes: 8, rng: &rng)
    }

    @Test func trainingRecordsEveryStepsLoadAndTheEvaluationSchedule() throws {
        var rng = SeededRNG(seed: 300)
        let heldOut = Self.task.sample(count: 64, rng: &rng)
        let recipe = MoETraining.Recipe(steps: 12, batchSize: 10, learningRate: 0.01, batchSeed: 200, evaluationEvery: 5)
        let run = try MoETraining.train(try Self.model(alpha: 0.01), on: Self.task, recipe: recipe, heldOut: heldOut)
        #expect(run.evaluationSteps == [1, 5, 10])
        #expect(run.heldOutLosses.count == 3)
        #expect(run.loadPerStep.count == 12)
        let badStep = run.loadPerStep.firstIndex { $0.count != 8 || $0.reduce(0, +) != 10 * 2 }
        #expect(badStep == nil, "every step routes 10 tokens × 2 slots to 8 experts; step \(badStep ?? -1) does not")
        #expect(run.load(over: 1...12).reduce(0, +) == 12 * 20)
        #expect(abs(run.shares(over: 3...7).reduce(0, +) - 1) < 1e-12)
        var dense = SeededRNG(seed: 108)
        let denseModel = MoEClassifier(denseHidden: 16, intermediate: 16, classes: 8, rng: &dense)
        #expect(try MoETraining.train(denseModel, on: Self.task, recipe: recipe, heldOut: heldOut).loadPerStep.isEmpty)
    }

    /// The same initial weights and recipe give the same run, bit for bit: the batches come
    /// from the recipe's seed alone.
    @Test func sameRecipeSameRun() throws {
        var rng = SeededRNG(seed: 300)
        let heldOut = Self.task.sample(count: 64, rng: &rng)
        let recipe = MoETraining.Recipe(steps: 20, batchSize: 16, learningRate: 0.01, batchSeed: 200, evaluationEvery: 5)
        let a = try MoETraining.train(try Self.model(alpha: 0.001), on: Self.task, recipe: recipe, heldOut: heldOut)
        let b = try MoETraining.train(try Self.model(alpha: 0.001), on: Self.task, recipe: recipe, heldOut: heldOut)
        #expect(a.heldOutLosses == b.heldOutLosses)
        #expect(a.loadPerStep == b.loadPerStep)
    }

    /// Chapter 8's claim at a third of its length: on this task the router collapses without
    /// L_aux (the chapter measures the busiest two experts at 0.69–0.73 of the slots) and
    /// α = 0.01 spreads the load (0.52 over steps 21–100). 0.1 below no-L_aux's share is a
    /// margin far above the step-to-step noise of a 100-step window (±0.03 in the chapter).
    @Test func loadBalancingLossSpreadsTheLoad() throws {
        var rng = SeededRNG(seed: 300)
        let heldOut = Self.task.sample(count: 64, rng: &rng)
        let recipe = MoETraining.Recipe(steps: 150, batchSize: 96, learningRate: 0.01, batchSeed: 208, evaluationEvery: 50)
        let without = try MoETraining.train(try Self.model(alpha: 0), on: Self.task, recipe: recipe, heldOut: heldOut)
        let with = try MoETraining.train(try Self.model(alpha: 0.01), on: Self.task, recipe: recipe, heldOut: heldOut)
        let collapsed = without.busiestShare(2, over: 51...150)
        let balanced = with.busiestShare(2, over: 51...150)
        #expect(collapsed > 0.6, "without L_aux the busiest two take \(collapsed)")
        #expect(balanced < collapsed - 0.1, "with α = 0.01 the busiest two take \(balanced), without \(collapsed)")
    }

    /// `routerInitScale` multiplies the router's initial weights and nothing else, and draws
    /// the same random numbers (the experts are unchanged).
    @Test func routerInitScaleScalesOnlyTheRouter() throws {
        var rngA = SeededRNG(seed: 77)
        var rngB = SeededRNG(seed: 77)
        let plain = try SparseMoE(MoEConfiguration(hidden: 6, intermediate: 5, experts: 4), rng: &rngA)
        let small = try SparseMoE(MoEConfiguration(hidden: 6, intermediate: 5, experts: 4, routerInitScale: 0.1), rng: &rngB)
        #expect(small.router.weight.value == plain.router.weight.value.map { $0 * 0.1 })
        #expect(small.experts.flatMap { $0.parameters.flatMap(\.value) } == plain.experts.flatMap { $0.parameters.flatMap(\.value) })
        #expect(throws: MoEError.self) {
            try MoEConfiguration(hidden: 6, intermediate: 5, routerInitScale: -1).validate()
        }
    }
}
