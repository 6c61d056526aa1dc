import Book
import Core
import LoRA
import NN
import QLoRA
import TinyGPT

/// The trained model with every adapter merged: into float32 `Linear`s, or re-quantized to NF4.
func mergedModel(
    _ trained: TinyGPTModel, setup: QLoRASetup, requantize: Bool
) throws
    -> (model: TinyGPTModel, error: RequantizationError, fourBitBytes: Int)
{
    let model = setup.freshBase()
    var error = RequantizationError()
    var fourBitBytes = 0
    var rng = setup.recipe.adapterRNG()
    let noAdapters = QLoRAConfig(
        lora: LoRAConfig(rank: setup.lora.rank, alpha: setup.lora.alpha, targetModules: []))
    try model.replaceLinearLayers { name, layer in
        if let q = trained.linearLayers.first(where: { $0.name == name })?.layer as? QLoRALinear {
            guard requantize else { return q.mergedLinear() }
            let requantized = try q.mergedAndRequantized()
            error.add(
                merged: q.mergedLinear(), requantized: requantized, original: q.base,
                delta: q.adapter.deltaWeight)
            fourBitBytes += requantized.weight.storageBytes
            return requantized
        }
        let frozen = try QLoRAInjection.adapt(layer, named: name, config: noAdapters, rng: &rng)
        return requantize ? frozen : QLoRAInjection.dequantizedBase(frozen)
    }
    return (model, error, fourBitBytes)
}

/// 7.5: keep the adapters apart, merge into float32, or merge and re-quantize to NF4.
func afterTrainingSection(
    _ book: Notebook, setup: QLoRASetup, qlora: FineTune, quantized: QuantizedBase
) {
    book.section("7.5", "After training: keep the adapters apart, merge, or merge and re-quantize")
    book.say(
        """
        The trained QLoRA model can ship three ways. Apart: the 4-bit base plus the adapters, two
        extra thin products per layer. Merged into the dequantized weights: W' = dequant(W_NF4) + s
        * B A, an ordinary float model, the same function to float rounding — but 32 (or 16) bits
        per weight again. Merged and re-quantized to NF4: 4 bits again, but W' is rounded anew.
        """)
    let trained = qlora.model
    let layers = trained.linearLayers.compactMap { $0.layer as? QLoRALinear }
    let adapterBytes = 4 * layers.reduce(0) { $0 + $1.adapter.loraA.count + $1.adapter.loraB.count }
    let probe = setup.corpora.diaryEval[0]
    let apartLogits = trained.forward(probe.inputs, batchSize: probe.batchSize, time: probe.time)
        .data
    let merged = book.attempt("merge") { try mergedModel(trained, setup: setup, requantize: false) }
    let requantized = book.attempt("merge") {
        try mergedModel(trained, setup: setup, requantize: true)
    }
    let mergedLogits = merged.model.forward(
        probe.inputs, batchSize: probe.batchSize, time: probe.time
    ).data
    let mergeDifference = zip(apartLogits, mergedLogits).map { Double(abs($0 - $1)) }.max()!
    let mergedLoss = setup.corpora.heldOutLosses(merged.model)
    let requantizedLoss = setup.corpora.heldOutLosses(requantized.model)
    book.table(
        ["trained QLoRA model", "12 block matrices", "diary loss", "fables loss"],
        [
            [
                "before fine-tuning (NF4 base)", Fmt.grouped(quantized.bytes) + " B",
                Fmt.f(quantized.diary, 4),
                Fmt.f(quantized.fables, 4),
            ],
            [
                "apart: NF4 base + adapters", Fmt.grouped(quantized.bytes + adapterBytes) + " B",
                Fmt.f(qlora.diary, 4),
                Fmt.f(qlora.fables, 4),
            ],
            [
                "merged into float32", Fmt.grouped(4 * quantized.weightCount) + " B",
                Fmt.f(mergedLoss.diary, 4),
                Fmt.f(mergedLoss.fables, 4),
            ],
            [
                "merged, re-quantized to NF4", Fmt.grouped(requantized.fourBitBytes) + " B",
                Fmt.f(requantizedLoss.diary, 4), Fmt.f(requantizedLoss.fables, 4),
            ],
        ])
    print()
    print(
        "merged vs apart: max |logit difference| \(Fmt.e(mergeDifference)) over "
            + "\(probe.batchSize) x \(probe.time) positions"
    )
    print(
        "re-quantized: |dW| = \(Fmt.f(requantized.error.deltaNorm, 2)) (the adapters' update), "
            + "|e| = \(Fmt.f(requantized.error.errorNorm, 2)) (the new rounding error);")
    print("  \(Fmt.f(100 * requantized.error.fractionOfCodesChanged, 1)) % of the codes changed")
    print()
    book.check(
        mergeDifference < 1e-3,
        "merged logits differ from the adapter model's by \(mergeDifference)")
    book.say(
        """
        Merging into float32 is exact to rounding, as in Chapter 6. Re-quantizing adds a fresh
        rounding error, and here it costs little: \(Fmt.f(requantizedLoss.diary - qlora.diary, 4))
        nats on diary. This fine-tuning moved the weights a long way — |dW| is
        \(Fmt.f(requantized.error.deltaNorm / requantized.error.errorNorm, 1)) times the new
        rounding error, and most codes changed. A gentler fine-tune moves them less. Scaling the
        learnt update dW by a factor c (B -> c * B) shows what happens then — the apart model is the
        exact c * dW, the re-quantized one whatever NF4 keeps of it:
        """)
    scaledUpdates(book, setup: setup, trained: trained, layers: layers, baseDiary: quantized.diary)
}
