import Book
import QLoRA
import TinyGPT

/// 7.5, continued: how much of a smaller update (c · dW) survives re-quantization.
func scaledUpdates(
    _ book: Notebook, setup: QLoRASetup, trained: TinyGPTModel, layers: [QLoRALinear],
    baseDiary: Double
) {
    let diaryEval = setup.corpora.diaryEval
    let originalB = layers.map(\.adapter.loraB.value)
    var rows: [[String]] = []
    var gainKept: [Double: Double] = [:]
    for c in [1.0, 0.3, 0.1, 0.03, 0.01] {
        for (layer, b) in zip(layers, originalB) {
            layer.adapter.loraB.value = b.map { $0 * Float(c) }
        }
        let apart = trained.meanLoss(diaryEval)
        let scaled = book.attempt("merge") {
            try mergedModel(trained, setup: setup, requantize: true)
        }
        let requantizedLoss = scaled.model.meanLoss(diaryEval)
        let kept = (baseDiary - requantizedLoss) / (baseDiary - apart)
        gainKept[c] = kept
        rows.append([
            Fmt.g(c), Fmt.f(scaled.error.relativeError, 2),
            Fmt.f(100 * scaled.error.fractionOfCodesChanged, 1),
            Fmt.f(apart, 4), Fmt.f(requantizedLoss, 4), Fmt.f(100 * kept, 0) + " %",
        ])
    }
    for (layer, b) in zip(layers, originalB) { layer.adapter.loraB.value = b }
    book.table(
        [
            "c", "|e| / |c dW|", "codes changed %", "diary, apart", "diary, re-quantized",
            "gain kept",
        ], rows)
    print()
    book.say(
        """
        The smaller the update, the larger the rounding error relative to it. A weight changes code
        only if its update carries it across an NF4 midpoint, so small updates are mostly rounded
        away: the re-quantized model keeps \(Fmt.f(100 * gainKept[0.1]!, 0)) % of the adapters' gain
        at c = 0.1 and \(Fmt.f(100 * max(gainKept[0.01]!, 0), 0)) % at c = 0.01. How large a real
        update is depends on the run; a large model nudged toward a new style, at qlora.py's
        learning rate of 2e-4, sits nearer the small end than this tiny model taught a new
        vocabulary. That is why QLoRA ships its adapters apart (Guanaco is a 4-bit base plus
        adapters), and why QA-LoRA (Xu et al. 2023) constrains the adapters so that the merged
        weights stay on the quantization grid.
        """)
}
