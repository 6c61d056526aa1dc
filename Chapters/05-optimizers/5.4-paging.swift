import Book
import Optimizers

/// §5.4: paged optimizers on a simulated accelerator (`PagingSimulation`): the plan, four
/// optimizers through the same memory spikes, and the paged run step by step.
func pagingSection(_ book: Notebook, _ config: PagingSimulation.Configuration) {
    book.section("5.4", "Paged optimizers: surviving a memory spike")
    book.say(
        """
        QLoRA §3 ("Paged Optimizers"): the optimizer states live in NVIDIA unified memory, so
        when a long batch's activations need more GPU memory than is free, state pages are
        evicted to CPU RAM, and they are paged back in when the optimizer step touches them.
        We simulate it: a device with a byte budget (AcceleratorMemory), optimizer states in
        fixed-size pages (PagedStateStore, least-recently-used eviction), and a training loop
        whose batch is three times longer at steps 10 and 20. The plan for the run
        (PagingSimulation.plan), same MLP:
        """)
    /// `config` with another optimizer, paging switch or budget.
    func variant(
        _ optimizer: PagingSimulation.OptimizerKind, paging: Bool, budget: Int? = nil
    )
        -> PagingSimulation.Configuration
    {
        var c = config
        c.optimizer = optimizer
        c.pagingEnabled = paging
        c.budgetBytes = budget ?? config.budgetBytes
        return c
    }
    let plan = PagingSimulation.plan(variant(.adamW32, paging: true))
    let plan8 = PagingSimulation.plan(variant(.adam8bit, paging: true))
    book.table(
        ["", "bytes"],
        [
            ["budget", String(config.budgetBytes)],
            ["weights + gradients (pinned)", String(plan.pinnedBytes)],
            [
                "32-bit Adam states: \(plan.statePages) pages of \(config.pageSize) B",
                String(plan.statePageBytes),
            ],
            [
                "8-bit Adam states (default min_8bit_size 4096): \(plan8.statePages) pages",
                String(plan8.statePageBytes),
            ],
            ["activations per row", String(plan.activationBytesPerRow)],
            ["a 16-row step, 32-bit states resident", String(plan.unpagedBytes(rows: 16))],
            ["a 48-row spike, 32-bit states resident", String(plan.unpagedBytes(rows: 48))],
            ["a 48-row spike, every state page evicted", String(plan.pagedMinimumBytes(rows: 48))],
        ])
    print()
    let runs: [(name: String, config: PagingSimulation.Configuration)] = [
        ("AdamW (32-bit)", variant(.adamW32, paging: false)),
        ("PagedAdamW (32-bit)", variant(.adamW32, paging: true)),
        ("AdamW8bit", variant(.adam8bit, paging: false)),
        ("PagedAdamW8bit", variant(.adam8bit, paging: true)),
    ]
    let outcomes = runs.map { PagingSimulation.Outcome($0.config) }
    book.table(
        ["optimizer", "outcome", "steps", "pages out", "pages in", "bytes moved", "peak (B)"],
        zip(runs, outcomes).map { run, outcome in
            let r = outcome.reports
            return [
                run.name,
                outcome.error == nil ? "completes" : "out of memory, step \(r.count)",
                String(r.count), String(r.reduce(0) { $0 + $1.pagesToHost }),
                String(r.reduce(0) { $0 + $1.pagesToDevice }),
                String(r.reduce(0) { $0 + $1.bytesToHost + $1.bytesToDevice }),
                String(r.map(\.peakBytes).max() ?? 0),
            ]
        })
    print()
    if let error = outcomes[0].error { book.say("Without paging: \(error)") }
    let paged = outcomes[1]
    book.say("PagedAdamW step by step where pages moved (all other steps move nothing):")
    book.table(
        [
            "step", "rows", "activations (B)", "pages out", "pages in", "bytes moved",
            "state at peak (B)", "peak (B)",
        ],
        paged.reports.filter { $0.pagesToHost > 0 || $0.pagesToDevice > 0 }.map { r in
            [
                String(r.step), String(r.batchRows), String(r.activationBytes),
                String(r.pagesToHost), String(r.pagesToDevice),
                String(r.bytesToHost + r.bytesToDevice), String(r.stateBytesAtPeak),
                String(r.peakBytes),
            ]
        })
    print()
    // Paging must not change a number: compare with an unpaged run that has room to spare.
    let roomy = PagingSimulation.Outcome(variant(.adamW32, paging: false, budget: 10_000_000))
    let identical =
        paged.result != nil && paged.result?.finalParameters == roomy.result?.finalParameters
        && paged.reports.map(\.loss) == roomy.reports.map(\.loss)
    book.say(
        """
        Without paging the first spike asks for more than is free and the run stops — PyTorch
        would report "CUDA out of memory". With paging, the spike steps evict the
        least-recently-used state pages to make room for the activations; the optimizer step
        then reads every state buffer, which pages them back. Nothing else changes: the paged
        run's final parameters and losses are \
        \(identical ? "bit for bit the same" : "NOT the same") as those of an unpaged run \
        with a budget of 10 MB. 8-bit states need \(plan8.statePages) pages instead of \
        \(plan.statePages), so at this budget they fit the spike without paging: 8-bit states \
        and paging attack the same memory, and QLoRA uses paging for the spikes that remain.
        """)
    pagingFigure(book, config: config, plan: plan, paged: paged, unpaged: outcomes[0])
}
