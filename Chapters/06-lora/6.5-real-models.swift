import Book
import LoRA

/// 6.5: the same counts for LLaMA-7B and 65B, from their shapes alone.
func realModelsSection(_ book: Notebook) {
    book.section("6.5", "The arithmetic for real models: LLaMA-7B and 65B")
    book.say(
        """
        The same counts follow from a real model's shape alone (TransformerShape): LoRA on a d_in ->
        d_out matrix at rank r trains r * (d_in + d_out) values. LLaMA has d = 4096 (7B) or 8192
        (65B), an MLP of three matrices (SwiGLU) and no biases.
        """)
    var rows: [[String]] = []
    for shape in [TransformerShape.llama7B, .llama65B] {
        for (targets, label) in [
            (TransformerShape.Targets.queryValue, "W_q, W_v"), (.allLinear, "all linear"),
        ] {
            for r in [1, 8, 64] {
                let n = shape.loraParameters(rank: r, targets: targets)
                rows.append([
                    shape.name, label, String(r), Fmt.grouped(n),
                    Fmt.f(100 * Double(n) / Double(shape.parameterCount), 3),
                    Fmt.f(2 * Double(n) / 1e6, 1) + " MB", Fmt.f(8 * Double(n) / 1e6, 1) + " MB",
                ])
            }
        }
    }
    book.table(
        [
            "model", "targets", "r", "trainable", "% of model", "adapter in fp16",
            "AdamW states (fp32)",
        ], rows)
    print()
    var memoryRows: [[String]] = []
    let gigabytes = { (bytes: Int) in Fmt.f(Double(bytes) / 1e9, 1) + " GB" }
    for shape in [TransformerShape.llama7B, .llama65B] {
        memoryRows.append([
            shape.name, "full, 16-bit weights + grads, fp32 m, v", "12",
            gigabytes(shape.fullFineTuningMemory().total),
        ])
        memoryRows.append([
            "", "full, mixed precision (+ fp32 master)", "16",
            gigabytes(shape.fullFineTuningMemory(masterWeightBytes: 4).total),
        ])
        memoryRows.append([
            "", "LoRA r=8 on W_q, W_v, 16-bit base", "",
            gigabytes(shape.loraMemory(rank: 8, targets: .queryValue).total),
        ])
    }
    book.table(
        ["model", "weights + gradients + optimizer", "bytes/param", "total"], memoryRows,
        leftAligned: [0, 1])
    print()
    let base65 = Double(TransformerShape.llama65B.parameterCount) * 2 / 1e9
    book.say(
        """
        What full fine-tuning costs depends on what it keeps. With 16-bit weights and gradients and
        Adam's two moments in fp32 it is 2 + 2 + 8 = 12 bytes per parameter, \(Fmt.f(6 * base65, 0))
        GB for LLaMA-65B — the QLoRA paper's "more than 780 GB". Standard mixed-precision training
        (Micikevicius et al. 2018) also keeps an fp32 master copy of every weight, which the
        optimizer updates: 2 + 2 + 4 + 8 = 16 bytes, \(Fmt.f(8 * base65, 0)) GB (ZeRO, Rajbhandari
        et al. 2020, counts the same 16). LoRA cuts the gradients and states to the adapters' few
        million values, but the frozen 16-bit base stays: \(Fmt.f(base65, 1)) GB for 65B, more than
        one 80 GB GPU before a single activation is stored. Storing that base in 4 bits is Chapter
        7. (A check against the paper: GPT-3 175B with W_q, W_v at r = 4 trains
        \(Fmt.grouped(TransformerShape.gpt3.loraParameters(rank: 4, targets: .queryValue))) values,
        "roughly 35MB" in fp16 — §4.2.)
        """)
}
