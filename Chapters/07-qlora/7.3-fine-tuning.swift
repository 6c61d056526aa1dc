import Book
import Plot
import QLoRA
import TinyGPT

/// The runs of 7.3, by role.
struct QLoRARuns {
    let main: [FineTune]  // LoRA, float + paged 8-bit, NF4 + AdamW, QLoRA
    let bf16: FineTune
    let reruns: [FineTune]  // LoRA on two other batch orders
    var lora: FineTune { main[0] }
    var qlora: FineTune { main[3] }
}

/// 7.3: LoRA on the float base against QLoRA, the two choices crossed, plus bf16 compute.
func fineTuneSection(_ book: Notebook, setup: QLoRASetup) -> QLoRARuns {
    book.section("7.3", "Fine-tuning: QLoRA against LoRA on the float base")
    book.say(
        """
        Four runs from the same adapters and the same batches (Chapter 6's FineTuneRecipe), two
        choices crossed: the base in float32 or in NF4 + double quantization, and the adapters'
        optimizer AdamW with float32 states or bitsandbytes' paged 8-bit AdamW (Chapter 5; states
        8-bit blockwise for tensors of at least \(setup.min8BitSize) values — bitsandbytes' default
        min_8bit_size of 4096 would leave every adapter of this tiny model in float32 — in
        \(setup.pageSize)-byte pages on the simulated accelerator). The first run is Chapter 6's
        "LoRA all linear r=8" again; the fourth is QLoRA. A fifth is QLoRA with bf16 compute (7.2),
        and LoRA runs twice more on other batch orders to show how much a loss moves for reasons
        that have nothing to do with 4 bits.
        """)
    let recipe = setup.recipe
    let jobs: [(String, Bool, Bool, ComputeType, FineTuneRecipe)] =
        [
            ("LoRA: float, AdamW", false, false, .float32, recipe),
            ("float, paged 8-bit AdamW", false, true, .float32, recipe),
            ("NF4, AdamW", true, false, .float32, recipe),
            ("QLoRA: NF4, paged 8-bit", true, true, .float32, recipe),
            ("QLoRA, bf16 compute", true, true, .bfloat16, recipe),
        ]
        + [1, 2].map { k in
            var other = recipe
            other.batchSeed += UInt64(k)
            return ("LoRA, batches seed \(other.batchSeed)", false, false, .float32, other)
        }
    let all = book.attempt("fine-tuning") {
        try inParallel(jobs.count) { i in
            try fineTune(
                jobs[i].0, setup: setup, fourBit: jobs[i].1, paged8Bit: jobs[i].2,
                compute: jobs[i].3,
                recipe: jobs[i].4)
        }
    }
    let runs = QLoRARuns(main: Array(all[0..<4]), bf16: all[4], reruns: Array(all[5...]))
    let lora = runs.lora
    book.table(
        [
            "run (base, optimizer)", "base", "states", "compute", "diary loss", "vs LoRA",
            "fables loss",
        ],
        (runs.main + [runs.bf16]).map { run in
            let delta = run.diary - lora.diary
            return [
                run.name, run.fourBit ? "NF4+DQ" : "float32",
                (run.paged8Bit ? "8-bit paged " : "float32 ") + Fmt.grouped(run.stateBytes) + " B",
                run.compute == .bfloat16 ? "bf16" : "float32", Fmt.f(run.diary, 4),
                run.name == lora.name
                    ? ""
                    : Fmt.f(abs(delta), 4) == Fmt.f(0, 4)
                        ? "0.0000" : (delta > 0 ? "+" : "") + Fmt.f(delta, 4),
                Fmt.f(run.fables, 4),
            ]
        })
    print()
    let margin = runs.qlora.diary - lora.diary
    let spreadRuns = [lora] + runs.reruns
    let spread = spreadRuns.map(\.diary).max()! - spreadRuns.map(\.diary).min()!
    print(
        "margin: QLoRA ends \(Fmt.f(abs(margin), 4)) nats \(margin >= 0 ? "above" : "below") "
            + "LoRA on the float base "
            + "(\(Fmt.f(100 * abs(margin) / lora.diary, 1)) %;")
    print("        checked on every run: within 0.1)")
    print(
        "LoRA on the float base with two other batch orders: diary "
            + "\(runs.reruns.map { Fmt.f($0.diary, 4) }.joined(separator: " and "))")
    print("    (a spread of \(Fmt.f(spread, 4)) nats over the three batch orders)")
    print()
    book.check(abs(margin) < 0.1, "QLoRA is \(margin) nats from LoRA (bound 0.1)")
    let largest = (runs.main + [runs.bf16]).map { abs($0.diary - lora.diary) }.max()!
    let bf16Change = runs.bf16.diary - runs.qlora.diary
    book.say(
        """
        The paper's finding (§4, Tables 3 and 4: NF4 with double quantization matches 16-bit LoRA)
        holds at this tiny scale. The largest difference in the table, \(Fmt.f(largest, 4)) nats, is
        \(largest < spread ? "smaller than" : "of the order of") the \(Fmt.f(spread, 4)) nats that
        LoRA itself moves when only the order of its batches changes. The adapters train through the
        quantization error of the frozen base, and the 8-bit states take a quarter of the bytes
        without a measurable cost. Computing in bf16 instead of float32 moves QLoRA's held-out diary
        loss by \(Fmt.f(abs(bf16Change), 4)) nats (\(bf16Change > 0 ? "up" : "down")): bf16 rounds
        each operand by at most 2^-9 (0.2 %) of its value, small beside the 4-bit weights' own error
        (9 % RMS, 7.1), so the storage type, not the compute type, decides the quality here.
        """)
    lossDifferenceFigure(book, runs: runs)
    return runs
}

/// Each run's training loss minus LoRA's, with the spread of LoRA's other batch orders as a band.
private func lossDifferenceFigure(_ book: Notebook, runs: QLoRARuns) {
    // Means of 5 steps: ten points over the recipe's 50 steps.
    let reference = smoothedSeries("LoRA", runs.lora.losses, window: 5)
    func minusLoRA(_ run: FineTune) -> [Double] {
        zip(smoothedSeries(run.name, run.losses, window: 5).y, reference.y).map { $0 - $1 }
    }
    let others = runs.reruns.map(minusLoRA)
    let band = Band(
        lower: reference.y.indices.map { i in others.map { $0[i] }.min()! },
        upper: reference.y.indices.map { i in others.map { $0[i] }.max()! },
        label: "LoRA on 2 other batch orders (min-max)")
    var series = [
        Series(
            name: "LoRA: float, AdamW (the zero line)", x: reference.x,
            y: reference.y.map { _ in 0 }, color: Palette.grey, band: band)
    ]
    let styles: [(RGB, LineStyle)] = [
        (Palette.orange, .dashed), (Palette.bluishGreen, .dashed), (Palette.blue, .solid),
        (Palette.vermillion, .dotted),
    ]
    for (run, (color, style)) in zip(runs.main.dropFirst() + [runs.bf16], styles) {
        series.append(
            Series(name: run.name, x: reference.x, y: minusLoRA(run), color: color, style: style))
    }
    let fourBit = series.dropFirst().filter { $0.name.contains("NF4") || $0.name.contains("QLoRA") }
    let largest = fourBit.flatMap(\.y).map(abs).max()!
    let batchOrder = (band.lower + band.upper).map(abs).max()!
    book.figure(
        Charts.line(
            title:
                "NF4 moves LoRA's loss \(Fmt.f(largest, 2)) nats at most, batch order "
                    + "\(Fmt.f(batchOrder, 2))",
            xLabel: "fine-tuning step",
            yLabel: "training loss minus LoRA's (nats/char, mean of 5)",
            series: series),
        "finetune-loss", caption: "training loss minus LoRA's; band: LoRA on other batch orders")
    print()
}
