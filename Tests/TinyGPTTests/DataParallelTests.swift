import Core
import NN
import Testing
import TinyGPT

/// Splitting a batch over replicas (data parallelism) computes the same step.
@Suite struct DataParallelTests {

    /// One replica is plain training: the loss and every gradient are the same bits as the
    /// model's own lossAndGradients.
    @Test func oneReplicaIsPlainTraining() {
        let (a, b) = (tinyModel(seed: 61), tinyModel(seed: 61))
        let batch = fablesBatch(batchSize: 4, time: 8, seed: 62)
        let loss = DataParallel(a, replicas: 1).lossAndGradients(batch)
        #expect(loss.bitPattern == b.lossAndGradients(batch).bitPattern)
        #expect(zip(a.parameters, b.parameters).allSatisfy { $0.grad == $1.grad })
    }

    /// Two replicas give the whole batch's loss and gradient: the mean of the halves'
    /// gradients equals the gradient of the mean. Tolerance: the sums over the batch are
    /// split in two and added at the end, which moves float32 results by a few ulps; 1e-4 of
    /// the largest gradient magnitude is far above that and far below any real error (a
    /// missing 1/2 or a half left out is off by 50 %).
    @Test func twoReplicasComputeTheWholeBatchGradient() {
        let (a, b) = (tinyModel(seed: 63), tinyModel(seed: 63))
        let batch = fablesBatch(batchSize: 4, time: 8, seed: 64)
        let loss = DataParallel(a, replicas: 2).lossAndGradients(batch)
        let expected = b.lossAndGradients(batch)
        #expect(abs(loss - expected) <= 1e-5 * abs(expected))
        // One scale for all: the key bias's gradient is 0 in exact arithmetic (softmax ignores
        // a constant added to every key), so its float values are rounding noise of ~1e-8.
        let scale = b.parameters.flatMap { $0.grad.map(abs) }.max()!
        var worst: Float = 0
        for (p, q) in zip(a.parameters, b.parameters) {
            for (x, y) in zip(p.grad, q.grad) { worst = max(worst, abs(x - y) / scale) }
        }
        #expect(worst <= 1e-4, "largest relative gradient difference \(worst)")
    }

    /// The split is in a fixed order, so two runs of the same training are the same bits;
    /// and the replicas follow the model's weights step after step, so three SGD steps end
    /// where one replica's three steps end (same tolerance argument as above, on weights).
    @Test func dataParallelTrainingIsDeterministicAndTracksOneReplica() {
        func run(replicas: Int) -> [Float] {
            let model = tinyModel(seed: 65)
            let corpus = Corpus(grammar: .fables, characters: 2_000, seed: 66)
            var rng = SeededRNG(seed: 67)
            let parameters = model.parameters
            let result = Trainer.train(
                model, on: corpus, steps: 3, batchSize: 4, replicas: replicas, rng: &rng
            ) {
                for p in parameters { for i in p.value.indices { p.value[i] -= 0.1 * p.grad[i] } }
            }
            return result.losses + parameters.flatMap(\.value)
        }
        let twice = (run(replicas: 2), run(replicas: 2))
        #expect(twice.0.map(\.bitPattern) == twice.1.map(\.bitPattern))
        let one = run(replicas: 1)
        let worst = zip(twice.0, one).map { abs($0 - $1) / max(abs($1), 1) }.max() ?? 0
        #expect(worst <= 1e-4, "largest difference from one replica \(worst)")
    }
}
