import BERT
import Book
import Core
import Foundation
import Plot
import PostTraining

/// 12.4: every dense layer of the encoder quantized by each scheme of the book, and what that
/// does to the sentence embeddings — the book's schemes on real weights, side by side.
func schemesSection(
    _ book: Notebook, setup: MiniLMSetup, schemes: [BERTQuantizationScheme]
) -> [BERTSchemeSweep.Row] {
    book.section("12.4", "Every scheme of the book on every dense layer")
    book.say(
        """
        Each scheme replaces all \(6 * setup.checkpoint.config.layerCount) dense layers \
        (\(BERTSweepSentences.evaluation.count) evaluation sentences, embeddings compared with \
        float32's by cosine; top-1 = of \(BERTSweepSentences.retrieval.count) queries, how \
        many still find the same nearest candidate sentence). Embeddings, LayerNorms and biases \
        stay float32, as bitsandbytes and the GPTQ/AWQ papers leave them. Weight-only schemes \
        compute in float32 from the dequantized weight; LLM.int8() multiplies int8 by int8 at \
        run time and keeps its outlier columns in float. GPTQ and AWQ are 4-bit in groups of \
        \(BERTQuantizationScheme.calibratedGroupSize) (both papers' default, and it divides \
        384 and 1536), calibrated layer by layer on \(BERTSweepSentences.calibration.count) \
        other sentences. llama.cpp's k-quants need rows of 256: MiniLM's 384-wide rows take \
        llama.cpp's fallback type (Chapter 11), so their bits are what llama-quantize stores. \
        Model MB counts everything at what it stores; the 30522 x 384 word embeddings alone \
        are 47 MB of float32 in every row.
        """)
    let rows = book.attempt("the sweep") {
        try BERTSchemeSweep.run(setup.embedder, schemes: schemes) { row in
            FileHandle.standardError.write(
                Data("  \(row.label): \(String(format: "%.1f", row.seconds)) s\n".utf8))
        }
    }
    book.table(
        ["scheme", "bits / weight", "model MB", "mean cosine", "min cosine", "top-1 same"],
        rows.map { r in
            [
                r.label, Fmt.f(r.bitsPerWeight, 3), Fmt.f(Double(r.modelBytes) / 1e6, 1),
                Fmt.f(r.meanCosine, 5), Fmt.f(r.minCosine, 5), "\(r.agreement) / \(r.queries)",
            ]
        })
    print()
    schemesFigure(book, rows: rows)
    nf4AgainstBitsandbytes(book, setup: setup)
    func get(_ label: String) -> BERTSchemeSweep.Row { rows.first { $0.label == label }! }
    let (int8, nf4, fp4) = (get("absmax-int8-row"), get("nf4"), get("fp4"))
    book.check(int8.meanCosine > nf4.meanCosine, "8-bit beats 4-bit on the real model")
    book.check(nf4.meanCosine > fp4.meanCosine, "NF4 beats FP4 on the real model")
    let fourBit = rows.filter { $0.bitsPerWeight < 5 }
    let best = fourBit.max { $0.meanCosine < $1.meanCosine }!
    book.say(
        """
        Every 8-bit scheme keeps the embeddings (mean cosine \(Fmt.f(int8.meanCosine, 4)) for \
        per-row absmax int8). At about 4 bits the schemes spread out: NF4 \
        \(Fmt.f(nf4.meanCosine, 4)) against FP4 \(Fmt.f(fp4.meanCosine, 4)) - QLoRA's claim that \
        the normal-quantile grid fits real weights better holds on a model we did not \
        train - and the best of the 4-bit schemes here is \(best.label) \
        (\(Fmt.f(best.meanCosine, 4)) at \(Fmt.f(best.bitsPerWeight, 2)) bits).
        """)
    return rows
}

/// Cosine against bits per weight, one point per scheme.
private func schemesFigure(_ book: Notebook, rows: [BERTSchemeSweep.Row]) {
    let quantized = rows.filter { $0.label != "fp32" }
    book.figure(
        Charts.scatter(
            title: "all-MiniLM-L6-v2: embedding error against bits per weight",
            xLabel: "stored bits per weight of the dense layers",
            yLabel: "1 - mean cosine to float32 (log scale)",
            series: [
                Series(
                    name: "one scheme", x: quantized.map(\.bitsPerWeight),
                    y: quantized.map { max(1 - $0.meanCosine, 1e-7) }, color: Palette.blue)
            ],
            yScale: .log10, markerRadius: 4,
            annotations: quantized.map {
                .point(x: $0.bitsPerWeight, y: max(1 - $0.meanCosine, 1e-7), label: $0.label)
            }),
        "schemes", caption: "every scheme on every dense layer of all-MiniLM-L6-v2")
}

/// bitsandbytes' Linear4bit NF4 (blocks of 64, float32 compute) on the reference sentences:
/// the reference's embeddings against ours.
private func nf4AgainstBitsandbytes(_ book: Notebook, setup: MiniLMSetup) {
    let ours = book.attempt("NF4 on the reference sentences") {
        let (encoder, _) = try BERTSchemeSweep.quantizedEncoder(
            setup.embedder.encoder, tokenizer: setup.embedder.tokenizer, scheme: .nf4)
        return try setup.embedder.with(encoder: encoder).embed(setup.reference.sentences)
    }
    let n = setup.reference.sentences.count
    let agreement = (0..<n).map { rowCosine(ours, setup.reference.nf4Embeddings, $0) }.min()!
    let toFloat = (0..<n).map { Fmt.f(rowCosine(ours, setup.reference.embeddings, $0), 4) }
    book.check(agreement >= 0.99999, "NF4 embeddings match bitsandbytes' reference")
    book.say(
        """
        NF4 against bitsandbytes itself (the reference replaced every nn.Linear of this model \
        with Linear4bit): cosine \(Fmt.f(agreement, 6)) or better on the reference sentences, \
        and the same loss of fidelity - NF4's cosines to float32 are \
        \(toFloat.joined(separator: ", ")), bitsandbytes' 0.9431, 0.9743, 0.9771.
        """)
}
