import Book
import LoRA
import NF4
import Plot
import QLoRA

/// 7.4: the tiny model's memory measured on the ledger; LLaMA-65B's computed from its shape.
func memorySection(_ book: Notebook, setup: QLoRASetup, runs: QLoRARuns) {
    book.section("7.4", "Where the memory goes: the tiny model measured, LLaMA-65B computed")
    book.say(
        """
        Each fine-tuning run above allocated everything it keeps on Chapter 5's simulated
        accelerator: the frozen base, the adapters, their gradients, the optimizer states (in pages,
        for the paged optimizer), and at every step the activations of one batch of
        \(setup.recipe.batchSize) x \(setup.config.contextLength) characters, counted from the
        caches each layer keeps for backward. The ledger's peak is the measured total:
        """)
    func measured(_ run: FineTune) -> QLoRAMemory.Breakdown {
        QLoRAMemory.measure(
            parameters: run.model.parameters,
            quantizedLayers: QLoRAInjection.quantizedBases(in: run.model.linearLayers.map(\.layer)),
            optimizerStateBytes: run.stateBytes,
            activationBytes: activationBytes(run.model, setup: setup))
    }
    let lora = measured(runs.lora)
    let qlora = measured(runs.qlora)
    book.table(
        [
            "TinyGPT, batch \(setup.recipe.batchSize) x \(setup.config.contextLength)",
            "LoRA: float base, AdamW",
            "QLoRA: NF4 base, paged 8-bit",
        ],
        zip(lora.parts, qlora.parts).map { l, q in [l.name, bytes(l.bytes), bytes(q.bytes)] }
            + [
                ["total", bytes(lora.total), bytes(qlora.total)],
                [
                    "peak in the accelerator's ledger", bytes(Double(runs.lora.memory.peak)),
                    bytes(Double(runs.qlora.memory.peak)),
                ],
            ])
    print()
    print(
        "paged 8-bit states: \(runs.qlora.statePages) pages of \(setup.pageSize) B "
            + "(\(Fmt.grouped(runs.qlora.statePages * setup.pageSize)) B resident for "
            + "\(Fmt.grouped(runs.qlora.stateBytes)) B "
            + "of states:")
    print("  each tensor rounds up to whole pages)")
    print()
    book.say(
        """
        At this size the activations dominate and 4-bit weights save a few hundred kilobytes — the
        ledger's peak counts whole pages, so paging even costs a little here. The picture inverts
        for a large model, where the weights are the bulk. For LLaMA-65B, computed from its shape (r
        = 64 on every linear layer, qlora.py's default; bf16 for everything not in 4 bits; one
        sequence of 512 tokens): gradient checkpointing — keeping only each layer's input during the
        forward pass and recomputing the rest of the layer's activations when backward reaches it,
        trading a second forward pass for memory — is qlora.py's default too, so the activations are
        counted that way. Full fine-tuning appears twice: "full 12 B" per parameter (16-bit weights
        and gradients, fp32 Adam moments — the paper's 780 GB) and "full 16 B" with the fp32 master
        weights of standard mixed precision; "LoRA 16-bit" is LoRA on a 16-bit base; the QLoRA
        columns differ in their paged states, 32-bit (qlora.py's default) or 8-bit.
        """)
    let shape = TransformerShape.llama65B
    let plans: [(String, QLoRAMemory.Breakdown)] = [
        ("full 12 B", QLoRAMemory.fullFineTuning16Bit(shape, heads: 64)),
        ("full 16 B", QLoRAMemory.fullFineTuning16Bit(shape, heads: 64, masterWeights: true)),
        ("LoRA 16-bit", QLoRAMemory.lora16Bit(shape, heads: 64)),
        ("QLoRA 32-bit", QLoRAMemory.qlora(shape, heads: 64, eightBitStates: false)),
        ("QLoRA 8-bit", QLoRAMemory.qlora(shape, heads: 64)),
    ]
    let gigabytes = { (b: Double) in Fmt.f(b / 1e9, 2) }
    book.table(
        ["LLaMA-65B, GB"] + plans.map(\.0),
        plans[0].1.parts.indices.map { i in
            [plans[0].1.parts[i].name] + plans.map { gigabytes($0.1.parts[i].bytes) }
        }
            + [["total"] + plans.map { gigabytes($0.1.total) }])
    print()
    let q65 = plans[4].1
    let dqSaving =
        MemoryArithmetic.doubleQuantizationSavingBitsPerParameter()
        * Double(QLoRAMemory.linearWeights(shape)) / 8
    book.say(
        """
        Why 65B fits in 48 GB: the frozen weights, which dominate, drop from 2 bytes to 0.516 bytes
        each (\(gigabytes(q65.baseWeights)) GB with the embeddings and head kept in 16 bits); double
        quantization alone saves \(gigabytes(dqSaving)) GB of that. The adapters are 1.2 % of the
        parameters, so they, their gradients and their optimizer states together take
        \(gigabytes(q65.adapters + q65.gradients + q65.optimizerStates)) GB. Gradient checkpointing
        keeps the activations of one sequence under a gigabyte. The sum, \(gigabytes(q65.total)) GB,
        leaves room on a 48 GB GPU for the spikes of long sequences — and when a spike does not fit,
        the paged optimizer moves its states to CPU memory instead of failing (QLoRA §3, Figure 1).
        Full fine-tuning needs \(gigabytes(plans[0].1.total)) or \(gigabytes(plans[1].1.total)) GB;
        LoRA on a 16-bit base \(gigabytes(plans[2].1.total)) GB, more than one 80 GB GPU.
        """)
    book.check(q65.total < 48e9, "QLoRA on LLaMA-65B needs \(q65.total / 1e9) GB")
    // One stacked bar per method: where the bytes go. Linear axis, so 784 against 41 looks
    // like it is.
    let parts: [(String, (QLoRAMemory.Breakdown) -> Double)] = [
        ("weights (frozen or trained)", { $0.baseWeights + $0.adapters }),
        ("gradients", \.gradients),
        ("optimizer states (+ fp32 master)", \.optimizerStates), ("activations", \.activations),
    ]
    book.figure(
        Charts.stackedBar(
            title: "Only QLoRA fits LLaMA-65B fine-tuning in a 48 GB GPU",
            xLabel: "fine-tuning method (LLaMA-65B, r = 64, 512 tokens)",
            yLabel: "memory (GB, 10^9 bytes)",
            categories: plans.map(\.0),
            segments: parts.map { name, part in (name: name, values: plans.map { part($0.1) / 1e9 })
            }),
        "memory-65b", caption: "LLaMA-65B fine-tuning memory by part, computed")
    print()
}
