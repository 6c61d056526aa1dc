import Book
import LoRA
import TinyGPT

/// 6.4: the adapters folded into their weights; the merged model computes the same function.
func mergeSection(_ book: Notebook, adapted: TinyGPTModel, corpora: ChapterCorpora) {
    book.section("6.4", "Merging: the adapted model becomes an ordinary model again")
    book.say(
        """
        For inference LoRA folds each adapter into its weight, W = W0 + s * B A (§4.1, "no
        additional inference latency"; peft's merge_and_unload). The merged model has exactly the
        base model's shape and parameter names, so it saves and loads like the base. It computes the
        same function summed in a different order, so its outputs agree with the adapter model's to
        float rounding:
        """)
    let batch = corpora.diaryEval[0]
    let adapterLogits = adapted.forward(batch.inputs, batchSize: batch.batchSize, time: batch.time)
        .data
    let adapterLoss = adapted.meanLoss(corpora.diaryEval)
    let adaptedParameterCount = adapted.parameters.totalCount
    var total = 0
    var exact = 0
    var worstUlps = 0.0
    for (_, layer) in adapted.linearLayers {
        guard let lora = layer as? LoRALinear else { continue }
        let original = lora.base.weight.value
        lora.merge()
        let merged = lora.base.weight.value
        lora.unmerge()
        total += original.count
        for (i, restored) in lora.base.weight.value.enumerated() {
            if restored.bitPattern == original[i].bitPattern {
                exact += 1
                continue
            }
            let ulp = max(abs(original[i]), abs(merged[i])).ulp  // the bound LoRAMerge.swift states
            worstUlps = max(worstUlps, Double(abs(restored - original[i]) / ulp))
        }
    }
    adapted.replaceLinearLayers { _, layer in LoRAInjection.mergeAndUnload(layer) }
    let mergedLogits = adapted.forward(batch.inputs, batchSize: batch.batchSize, time: batch.time)
        .data
    let mergedLoss = adapted.meanLoss(corpora.diaryEval)
    let logitDifference = zip(adapterLogits, mergedLogits).map { Double(abs($0 - $1)) }.max()!
    let logitScale = adapterLogits.map { Double(abs($0)) }.max()!
    book.table(
        ["LoRA all linear r=8", "parameters", "diary loss"],
        [
            ["with adapters", Fmt.grouped(adaptedParameterCount), Fmt.f(adapterLoss, 6)],
            ["merged", Fmt.grouped(adapted.parameters.totalCount), Fmt.f(mergedLoss, 6)],
        ])
    print()
    print(
        "max |logit difference| over \(batch.batchSize) x \(batch.time) positions: "
            + "\(Fmt.e(logitDifference)) "
            + "(largest |logit| \(Fmt.f(logitScale, 2));")
    print("    float32 ulp there \(Fmt.e(Double(Float(logitScale).ulp))))")
    print(
        "merge() then unmerge() on the 12 adapted weights: \(Fmt.grouped(exact)) of "
            + "\(Fmt.grouped(total)) values "
            + "come back bit for bit,")
    print(
        "    the rest within \(Fmt.g(worstUlps, 3)) ulp of max(|W0|, |W0 + dW|) (ulp: the "
            + "spacing of float32"
    )
    print("    numbers at that magnitude, one unit in the last place)")
    print()
    book.check(
        logitDifference < 1e-3,
        "merged logits differ from the adapter model's by \(logitDifference)")
    book.check(worstUlps <= 1, "unmerge missed W0 by \(worstUlps) ulp")
}
