// Chapter 5 — blockwise 8-bit quantization, 8-bit Adam and paged optimizers.
//
// Run: swift run -c release Chapter05 [--figures DIR]
// A notebook: the parameters below, then one call per section (files 5.N-*.swift), each
// printing its prose, tables and figures. The ideas live in Sources/Blockwise8 (the dynamic
// map, the blockwise quantizer) and Sources/Optimizers (AdamW, 8-bit Adam, the training run,
// the paging simulation); the MLP and the task are Sources/NN's.
import Book
import Optimizers

let book = Notebook(
    chapter: 5, title: "Blockwise 8-bit quantization, 8-bit Adam and paged optimizers")
let seed: UInt64 = 5
let stateCount = 1 << 16
let training = OptimizerTrainingRun.Configuration(
    layerSizes: [16, 64, 64, 8], batchSize: 32, steps: 400, evaluateEvery: 25, heldOutCount: 512,
    hyperparameters: AdamHyperparameters(learningRate: 3e-3, weightDecay: 0.01), min8BitSize: 512,
    seed: seed)
let paging = PagingSimulation.Configuration(
    layerSizes: training.layerSizes, budgetBytes: 128_000, pageSize: 1024, pagingEnabled: true,
    batchSizes: PagingSimulation.spikySchedule(
        steps: 30, normalBatch: 16, spikeBatch: 48, every: 10),
    optimizer: .adamW32, hyperparameters: training.hyperparameters, seed: seed)
let adam = training.hyperparameters
book.parameters([
    "seed": "\(seed) (task \(seed), weights \(seed + 1), batches \(seed + 2), "
        + "held-out \(seed + 3), 5.2's tensor \(seed + 20))",
    "state tensor (5.2)": "\(stateCount) Student-t (3 dof) values",
    "training (5.3)": "MLP \(training.layerSizes), Gaussian-mixture task (8 classes), "
        + "\(training.steps) steps",
    "batches (5.3)": "\(training.batchSize) points; held-out: \(training.heldOutCount) points",
    "AdamW": "lr \(adam.learningRate), betas (\(adam.beta1), \(adam.beta2)), "
        + "eps \(adam.epsilon), weight decay \(adam.weightDecay)",
    "8-bit AdamW": "blocks of \(BlockwiseAdamState.blockSize), "
        + "tensors of ≥ \(training.min8BitSize) values",
    "paging (5.4)": "budget \(paging.budgetBytes) B, pages of \(paging.pageSize) B, "
        + "\(paging.batchSizes.count) steps",
    "batches (5.4)": "16 rows, with 48-row spikes at steps 10 and 20",
])
dynamicMapSection(book)
blockwiseSection(book, stateCount: stateCount, seed: seed &+ 20)
let runs = trainingSection(book, training)
optimizerMemorySection(book, runs, min8BitSize: training.min8BitSize)
stateErrorSection(book, run32: runs.run32, min8BitSize: training.min8BitSize)
pagingSection(book, paging)
yourTurnSection(book)
