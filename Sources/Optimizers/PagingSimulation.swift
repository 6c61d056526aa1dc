import Core
import NN

/// A training loop with memory spikes, run on the simulated accelerator with or without
/// paged optimizer states — the experiment behind QLoRA's paged optimizers (§3): a long
/// batch's activations need more memory than is free, and the optimizer states are the one
/// thing that can leave for a while.
///
/// Each step, on a `PagedStateStore` whose device memory also holds the MLP's parameters and
/// gradients (pinned, 4 bytes each per parameter):
///
/// ```
/// 1. make room (paging only), then allocate the batch's activations
///    (→ OutOfMemoryError without paging)
/// 2. forward and backward on the batch (real numbers, `MLP.lossAndGradients`)
/// 3. free the activations
/// 4. optimizer step: every state page is read, so evicted pages come back
/// ```
///
/// The activation bytes are the MLP's own cache sizes (`MLP.activationBytes(rows:)`), so a
/// batch eight times longer needs eight times the activation memory, as in a real model.
public enum PagingSimulation {
    public enum OptimizerKind: String, Sendable {
        case adamW32, adam8bit
    }

    public struct Configuration: Sendable {
        /// The MLP's widths: input (the task's dimensions), hidden…, classes.
        public var layerSizes: [Int]
        public var budgetBytes: Int
        public var pageSize: Int
        public var pagingEnabled: Bool
        /// Rows of the batch at each step (its length is the number of steps).
        public var batchSizes: [Int]
        public var optimizer: OptimizerKind
        public var hyperparameters: AdamHyperparameters
        public var seed: UInt64

        public init(
            layerSizes: [Int] = [32, 256, 256, 10], budgetBytes: Int, pageSize: Int = 4096,
            pagingEnabled: Bool, batchSizes: [Int], optimizer: OptimizerKind = .adamW32,
            hyperparameters: AdamHyperparameters = AdamHyperparameters(learningRate: 2e-3),
            seed: UInt64 = 5
        ) {
            self.layerSizes = layerSizes
            self.budgetBytes = budgetBytes
            self.pageSize = pageSize
            self.pagingEnabled = pagingEnabled
            self.batchSizes = batchSizes
            self.optimizer = optimizer
            self.hyperparameters = hyperparameters
            self.seed = seed
        }
    }

    /// What happened at one step — one point of the occupancy figure.
    public struct StepReport: Equatable, Sendable {
        public let step: Int
        public let batchRows: Int
        public let activationBytes: Int
        public let loss: Float
        /// Pages evicted to host / paged back in during this step, and the bytes they moved.
        public let pagesToHost: Int
        public let pagesToDevice: Int
        public let bytesToHost: Int
        public let bytesToDevice: Int
        /// The highest device occupancy during the step, and the occupancy after it.
        public let peakBytes: Int
        /// Optimizer-state bytes resident on the device while the activations were allocated
        /// (the moment of the peak) — with `activationBytes` and the pinned weights and
        /// gradients, the three layers of an occupancy figure.
        public let stateBytesAtPeak: Int
        public let bytesAfterStep: Int
        /// State pages resident on the device / waiting on the host after the step.
        public let residentStatePages: Int
        public let hostStatePages: Int
    }

    public struct Result: Sendable {
        public let reports: [StepReport]
        /// Every parameter's final values, in `MLP.parameters` order.
        public let finalParameters: [[Float]]
        /// Bytes pinned for parameters and gradients, and allocated for optimizer states.
        public let parameterAndGradientBytes: Int
        public let optimizerStateBytes: Int
    }

    /// The device memory a configuration needs, before running it — to choose a budget.
    ///
    /// ```
    /// pinned            = parameters + gradients (4 bytes each per parameter)
    /// statePageBytes    = Σ over tensors of ⌈state bytes / pageSize⌉ · pageSize
    /// a step of n rows  = pinned + statePageBytes + n · activationBytesPerRow  (all resident)
    /// with paging       ≥ pinned + n · activationBytesPerRow  (every state page evicted)
    /// ```
    public struct MemoryPlan: Equatable, Sendable {
        public let pinnedBytes: Int
        public let statePages: Int
        public let statePageBytes: Int
        public let activationBytesPerRow: Int

        /// Bytes a step of `rows` needs with every state page resident (the unpaged optimizer).
        public func unpagedBytes(rows: Int) -> Int {
            pinnedBytes + statePageBytes + rows * activationBytesPerRow
        }
        /// The least a step of `rows` needs when paging may evict every state page.
        public func pagedMinimumBytes(rows: Int) -> Int {
            pinnedBytes + rows * activationBytesPerRow
        }
    }

    public static func plan(_ config: Configuration) -> MemoryPlan {
        var rng = SeededRNG(seed: config.seed)
        let mlp = MLP(sizes: config.layerSizes, rng: &rng)
        let stateBytes: (Int) -> Int = switch config.optimizer {
        case .adamW32: AdamW32Rule(config.hyperparameters).stateBytes(count:)
        case .adam8bit: Adam8bitRule(config.hyperparameters).stateBytes(count:)
        }
        let pages = mlp.parameters.reduce(0) {
            $0 + max(1, (stateBytes($1.count) + config.pageSize - 1) / config.pageSize)
        }
        return MemoryPlan(
            pinnedBytes: 8 * mlp.parameters.totalCount, statePages: pages,
            statePageBytes: pages * config.pageSize,
            activationBytesPerRow: mlp.activationBytes(rows: 1))
    }

    /// `steps` batches of `normalBatch` rows, with `spikeBatch` rows at every step whose index
    /// is a positive multiple of `every` (steps 0-based: the first spike comes after warm-up).
    public static func spikySchedule(steps: Int, normalBatch: Int, spikeBatch: Int, every: Int)
        -> [Int]
    {
        (0..<steps).map { $0 > 0 && $0 % every == 0 ? spikeBatch : normalBatch }
    }

    /// Runs the loop; throws `OutOfMemoryError` at the first allocation that does not fit.
    /// `progress` sees each step's report as it completes (so a failed run still has its
    /// occupancy up to the failure).
    public static func run(
        _ config: Configuration, progress: (StepReport) -> Void = { _ in }
    ) throws(OutOfMemoryError) -> Result {
        var rng = SeededRNG(seed: config.seed)
        let task = GaussianMixtureTask(
            classes: config.layerSizes.last!, dimensions: config.layerSizes[0],
            seed: config.seed &+ 1)
        let mlp = MLP(sizes: config.layerSizes, rng: &rng)
        let memory = AcceleratorMemory(budget: config.budgetBytes)
        let weights = 4 * mlp.parameters.totalCount
        try memory.allocate(weights, for: .parameters, what: "parameters")
        try memory.allocate(weights, for: .gradients, what: "gradients")
        let store = PagedStateStore(
            memory: memory, pageSize: config.pageSize, pagingEnabled: config.pagingEnabled)
        // The optimizer's step, and its state size, whichever rule it runs.
        let optimizerStep: () throws(OutOfMemoryError) -> Void
        let optimizerStateBytes: Int
        switch config.optimizer {
        case .adamW32:
            let optimizer = try PagedAdam(
                mlp.parameters, rule: AdamW32Rule(config.hyperparameters), store: store)
            (optimizerStep, optimizerStateBytes) = (optimizer.step, optimizer.stateBytes)
        case .adam8bit:
            let optimizer = try PagedAdam(
                mlp.parameters, rule: Adam8bitRule(config.hyperparameters), store: store)
            (optimizerStep, optimizerStateBytes) = (optimizer.step, optimizer.stateBytes)
        }
        var reports: [StepReport] = []
        for (step, rows) in config.batchSizes.enumerated() {
            let before = (toHost: store.pagesToHost, toDevice: store.pagesToDevice)
            memory.resetPeak()
            let activations = mlp.activationBytes(rows: rows)
            store.makeRoom(for: activations)
            try memory.allocate(
                activations, for: .activations,
                what: "activations of a \(rows)-row batch at step \(step)")
            let stateBytesAtPeak = memory.usage[.optimizerState, default: 0]
            let batch = task.sample(count: rows, rng: &rng)
            let loss = mlp.lossAndGradients(batch.inputs, labels: batch.labels)
            memory.release(activations, for: .activations)
            try optimizerStep()
            let pagesToHost = store.pagesToHost - before.toHost
            let pagesToDevice = store.pagesToDevice - before.toDevice
            let report = StepReport(
                step: step, batchRows: rows, activationBytes: activations, loss: loss,
                pagesToHost: pagesToHost, pagesToDevice: pagesToDevice,
                bytesToHost: pagesToHost * config.pageSize,
                bytesToDevice: pagesToDevice * config.pageSize,
                peakBytes: memory.peak, stateBytesAtPeak: stateBytesAtPeak,
                bytesAfterStep: memory.used,
                residentStatePages: store.residentPages, hostStatePages: store.hostPages)
            reports.append(report)
            progress(report)
        }
        return Result(
            reports: reports, finalParameters: mlp.parameters.map(\.value),
            parameterAndGradientBytes: 2 * weights, optimizerStateBytes: optimizerStateBytes)
    }
}
