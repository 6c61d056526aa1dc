import Core
import NN
import Optimizers
import TestSupport
import Testing

/// The spiky training loop on a tiny budget (sizes chosen so that it runs in well under a
/// second):
///
/// ```
/// MLP [8, 64, 64, 4]: 4 996 parameters → 19 984 B of weights + 19 984 B of gradients (pinned)
/// AdamW32 states: 6 buffers in 1 KiB pages → 4 + 1 + 32 + 1 + 2 + 1 = 41 pages = 41 984 B
/// activations: 1 088 B per row → 17 408 B for 16 rows, 52 224 B for a 48-row spike
/// budget 100 000 B: a normal step peaks at 99 360 B with every state page resident;
///   a spike finds 18 048 B free — too little — but 60 032 B once the state pages leave,
///   so it fits only with paging (34 pages evicted, and paged back in for the optimizer step)
/// ```
@Suite struct PagingSimulationTests {
    static let sizes = [8, 64, 64, 4]
    static let schedule = PagingSimulation.spikySchedule(steps: 12, normalBatch: 16, spikeBatch: 48, every: 5)

    static func config(paging: Bool, budget: Int = 100_000, optimizer: PagingSimulation.OptimizerKind = .adamW32)
        -> PagingSimulation.Configuration
    {
        PagingSimulation.Configuration(
            layerSizes: sizes, budgetBytes: budget, pageSize: 1024, pagingEnabled: paging,
            batchSizes: schedule, optimizer: optimizer)
    }

    /// The plan reproduces the arithmetic in this suite's comment.
    @Test func memoryPlanMatchesTheArithmetic() {
        let plan = PagingSimulation.plan(Self.config(paging: true))
        #expect(plan.pinnedBytes == 39_968 && plan.statePages == 41 && plan.statePageBytes == 41_984)
        #expect(plan.activationBytesPerRow == 1_088)
        #expect(plan.unpagedBytes(rows: 16) == 99_360 && plan.unpagedBytes(rows: 48) > 100_000)
        #expect(plan.pagedMinimumBytes(rows: 48) <= 100_000)
    }

    @Test func scheduleHasSpikesAfterWarmUp() {
        #expect(Self.schedule == [16, 16, 16, 16, 16, 48, 16, 16, 16, 16, 48, 16])
    }

    /// Without paging the first spike (step 5) runs out of memory, with a typed error that
    /// names the allocation.
    @Test func withoutPagingTheSpikeThrowsOutOfMemory() {
        var completed: [Int] = []
        do {
            _ = try PagingSimulation.run(Self.config(paging: false)) { completed.append($0.step) }
            Issue.record("the spike must not fit without paging")
        } catch {
            #expect(error.what.contains("48-row batch at step 5"), "\(error)")
            #expect(error.requested > error.free)
            #expect(error.budget == 100_000)
        }
        #expect(completed == [0, 1, 2, 3, 4])
    }

    /// `Outcome` keeps the reports of a run that fails, and the result of one that completes.
    @Test func outcomeKeepsTheStepsBeforeAFailure() {
        let failed = PagingSimulation.Outcome(Self.config(paging: false))
        #expect(failed.result == nil && failed.error?.budget == 100_000)
        #expect(failed.reports.map(\.step) == [0, 1, 2, 3, 4], "the spike at step 5 fails")
        let completed = PagingSimulation.Outcome(Self.config(paging: true))
        #expect(completed.error == nil && completed.reports.count == Self.schedule.count)
        #expect(completed.result?.reports.count == completed.reports.count)
    }

    /// With paging every step completes: spike steps evict pages for their activations and
    /// page them back in for the optimizer step; normal steps move nothing; the device never
    /// holds more than its budget.
    @Test func withPagingTheRunCompletes() throws {
        let result = try PagingSimulation.run(Self.config(paging: true))
        #expect(result.reports.count == Self.schedule.count)
        var log = MismatchLog("steps that break the paging contract")
        for report in result.reports {
            let step = "step \(report.step)"
            if report.peakBytes > 100_000 { log.add("\(step): peak \(report.peakBytes) B over the budget") }
            if report.batchRows == 48 {
                if report.pagesToHost == 0 { log.add("\(step) must evict") }
                if report.pagesToDevice != report.pagesToHost { log.add("\(step): \(report.pagesToHost) out, \(report.pagesToDevice) back") }
                if report.bytesToHost != report.pagesToHost * 1024 { log.add("\(step): \(report.bytesToHost) bytes to host") }
            } else if report.pagesToHost != 0 || report.pagesToDevice != 0 {
                log.add("\(step) moves \(report.pagesToHost) pages out and \(report.pagesToDevice) back, expected none")
            }
            if report.hostStatePages != 0 { log.add("\(step): \(report.hostStatePages) pages still on the host after the optimizer step") }
            if report.peakBytes != result.parameterAndGradientBytes + report.stateBytesAtPeak + report.activationBytes {
                log.add("\(step): the peak is not weights + gradients + resident state + activations")
            }
        }
        log.expectEmpty()
    }

    /// Paging must not change a number: the paged run under the tight budget ends with the
    /// same parameters, bit for bit, as an unpaged run under a budget with room to spare —
    /// for 32-bit and 8-bit states alike.
    @Test(arguments: [PagingSimulation.OptimizerKind.adamW32, .adam8bit])
    func pagingDoesNotChangeTheNumbers(optimizer: PagingSimulation.OptimizerKind) throws {
        let paged = try PagingSimulation.run(Self.config(paging: true, optimizer: optimizer))
        let roomy = try PagingSimulation.run(Self.config(paging: false, budget: 10_000_000, optimizer: optimizer))
        #expect(paged.finalParameters.count == roomy.finalParameters.count)
        for (k, (a, b)) in zip(paged.finalParameters, roomy.finalParameters).enumerated() {
            #expect(firstBitMismatch(b, a) == nil, "parameter \(k): \(firstBitMismatch(b, a) ?? "")")
        }
        #expect(firstBitMismatch(roomy.reports.map(\.loss), paged.reports.map(\.loss)) == nil)
        #expect(paged.reports.contains { $0.pagesToHost > 0 }, "the paged run must actually have paged")
        #expect(roomy.reports.allSatisfy { $0.pagesToHost == 0 })
    }

    /// The simulated paged optimizer computes what the ordinary one computes.
    @Test func pagedAdamEqualsAdam() throws {
        var rng = SeededRNG(seed: 31)
        let a = MLP(sizes: [6, 80, 3], rng: &rng)  // fc1.weight: 480 values; min8BitSize 256 → 8-bit
        rng = SeededRNG(seed: 31)
        let b = MLP(sizes: [6, 80, 3], rng: &rng)
        let rule = Adam8bitRule(AdamHyperparameters(learningRate: 1e-2), min8BitSize: 256)
        let plain = AdamOptimizer(a.parameters, rule: rule)
        let store = PagedStateStore(memory: AcceleratorMemory(budget: 1 << 20), pageSize: 256, pagingEnabled: true)
        let paged = try PagedAdam(b.parameters, rule: rule, store: store)
        let task = GaussianMixtureTask(classes: 3, dimensions: 6, seed: 32)
        var data = SeededRNG(seed: 33)
        for _ in 0..<5 {
            let batch = task.sample(count: 8, rng: &data)
            _ = a.lossAndGradients(batch.inputs, labels: batch.labels)
            _ = b.lossAndGradients(batch.inputs, labels: batch.labels)
            plain.step()
            try paged.step()
        }
        for (p, q) in zip(a.parameters, b.parameters) {
            #expect(firstBitMismatch(p.value, q.value) == nil, "\(p.name): \(firstBitMismatch(p.value, q.value) ?? "")")
        }
        #expect(plain.stateBytes == paged.stateBytes)
    }
}
