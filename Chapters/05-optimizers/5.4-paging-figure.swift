import Book
import Optimizers
import Plot

/// §5.4, continued: device memory per step of the paged run against the unpaged one, and
/// what real CUDA unified memory does that the simulation does not.
func pagingFigure(
    _ book: Notebook, config: PagingSimulation.Configuration, plan: PagingSimulation.MemoryPlan,
    paged: PagingSimulation.Outcome, unpaged: PagingSimulation.Outcome
) {
    let kib = { (bytes: Int) in Double(bytes) / 1024 }
    let steps = paged.reports.map { Double($0.step) }
    let pinned = kib(plan.pinnedBytes)
    let unpagedPeaks = unpaged.reports.map { kib($0.peakBytes) }
    let budget = kib(config.budgetBytes)
    var annotations: [Annotation] = [.horizontal(budget, label: "budget \(Fmt.f(budget, 1)) KiB")]
    if let error = unpaged.error {
        let wanted = kib(config.budgetBytes - error.free + error.requested)
        annotations.append(
            .point(
                x: Double(unpaged.reports.count), y: wanted,
                label: "AdamW without paging needs \(Fmt.f(wanted, 0)) KiB: out of memory",
                color: Palette.vermillion))
    }
    book.figure(
        Charts.line(
            title: "Paging moves optimizer state out so spikes fit",
            xLabel: "training step", yLabel: "device memory at the step's peak (KiB)",
            series: [
                Series(
                    name: "weights + gradients (pinned)", x: steps, y: steps.map { _ in pinned },
                    color: Palette.grey),
                Series(
                    name: "+ optimizer state resident", x: steps,
                    y: paged.reports.map { pinned + kib($0.stateBytesAtPeak) },
                    color: Palette.bluishGreen),
                Series(
                    name: "+ activations = peak (PagedAdamW)", x: steps,
                    y: paged.reports.map { kib($0.peakBytes) }, color: Palette.blue),
                Series(
                    name: "peak, AdamW without paging", x: unpagedPeaks.indices.map(Double.init),
                    y: unpagedPeaks, color: Palette.vermillion, style: .dashed),
            ],
            markers: true, yRange: 0...(budget * 1.25), annotations: annotations),
        "pool-occupancy", caption: "simulated device memory per step, by what holds it")
    print()
    book.say(
        """
        What real CUDA unified memory does that this simulation does not. bitsandbytes
        allocates paged states with cudaMallocManaged; the GPU raises a page fault when a
        kernel touches a page that is not resident, and the driver migrates it — no call in
        the program, no explicit eviction: under memory pressure the driver chooses what to
        evict by its own policy, not a strict LRU (oversubscribing GPU memory needs Linux and
        a Pascal or newer GPU). Pages move at 4 KiB (CPU) to 2 MiB (GPU) granularity, grouped
        by the driver's prefetch heuristics, over PCIe or NVLink, overlapped with compute —
        and they take time, which our transfers do not. bitsandbytes also prefetches the
        optimizer's pages (cudaMemPrefetchAsync) just before the update kernel needs them,
        and pages only tensors of at least 100 000 values. Here the program moves pages
        itself, one size for all, instantly; what the simulation keeps honest is which bytes
        must move, when, and how many.
        """)
}
