import BERT
import Book
import Core
import Plot
import PostTraining

/// 12.3: real outlier features — Chapter 3's synthetic story checked on a real model
/// (Dettmers et al. 2022, arXiv:2208.07339, §4: a few feature dimensions carry values many
/// times the rest, in every layer).
func outlierSection(_ book: Notebook, setup: MiniLMSetup) {
    book.section("12.3", "Real outlier features and what LLM.int8() keeps in float")
    let encoder = setup.embedder.encoder
    let tokenizer = setup.embedder.tokenizer
    let sentences = BERTSweepSentences.evaluation
    let batch = TokenBatch(sentences.map(tokenizer.encode))
    let (maxima, inputs, referenceMaxima) = book.attempt("observing the hidden states") {
        (
            try encoder.hiddenAbsmax(batch),
            try encoder.linearInputs(batch),
            try encoder.hiddenAbsmax(TokenBatch(setup.reference.sentences.map(tokenizer.encode)))
        )
    }
    let width = maxima[0].count
    book.figure(
        Charts.heatmap(
            title: "max |hidden value| per feature dimension (\(sentences.count) sentences)",
            xLabel: "feature dimension (0 - \(width - 1))",
            yLabel: "hidden state (0 = embeddings, 1-6 = layers)",
            values: maxima.flatMap { $0.map { Double(max($0, 1e-3)) } }, rows: maxima.count,
            cols: width, colorLabel: "max |value|", colorScale: .log10, colorRange: 0.1...20),
        "outlier-dimensions", caption: "each row a hidden state, each column a feature dimension")
    let ours = BERTEncoder.outlierDimensions(hiddenAbsmax: maxima, count: 10)
    let onReference = BERTEncoder.outlierDimensions(hiddenAbsmax: referenceMaxima, count: 10)
    let shared = ours.filter(setup.reference.outlierDimensions.contains).count
    book.check(onReference == setup.reference.outlierDimensions,
               "on the reference sentences the top-10 outlier dimensions are the reference's")
    let peak = (0..<width).map { j in maxima.dropFirst().map { $0[j] }.max()! }
    let median = peak.sorted()[width / 2]
    book.say(
        """
        A handful of dimensions stand out in every layer (the bright columns). On the \
        reference sentences our ten largest are exactly the reference's \
        (\(onReference.map(String.init).joined(separator: ", "))); on these \(sentences.count) \
        sentences \(shared) of our ten are among them. Dimension \(ours[0]) peaks at \
        \(Fmt.f(Double(peak[ours[0]]), 1)), the median dimension at \(Fmt.f(Double(median), 2)): \
        \(Fmt.f(Double(peak[ours[0]] / median), 0))x.
        """)
    outlierColumnTable(book, inputs: inputs, layers: encoder.config.layerCount)
}

/// Per layer and dense layer: the input columns LLM.int8() would multiply in float (any
/// |x| >= 6 over the batch's real tokens), of the input width.
private func outlierColumnTable(_ book: Notebook, inputs: [String: Tensor], layers: Int) {
    let threshold = BERTQuantizationScheme.outlierThreshold
    let slots: [(String, BERTLinearSlot)] = [
        ("q, k, v", .query), ("attention out", .attentionOutput), ("MLP in", .intermediate),
        ("MLP out", .output),
    ]
    var perSlot = [Int](repeating: 0, count: slots.count)
    var totalColumns = 0
    let rows = (0..<layers).map { layer -> [String] in
        [String(layer)] + slots.enumerated().map { k, entry in
            let x = inputs[entry.1.name(layer: layer)]!
            let columns = (0..<x.cols).filter { j in
                (0..<x.rows).contains { abs(x.data[$0 * x.cols + j]) >= threshold }
            }.count
            totalColumns += x.cols * (entry.1 == .query ? 3 : 1)
            perSlot[k] += columns * (entry.1 == .query ? 3 : 1)
            return "\(columns) / \(x.cols)"
        }
    }
    let totalOutliers = perSlot.reduce(0, +)
    book.table(["layer"] + slots.map(\.0), rows)
    print()
    book.check(totalOutliers > 0, "some dense layer sees an input feature of magnitude >= 6")
    let most = perSlot.indices.max { perSlot[$0] < perSlot[$1] }!
    let fewest = perSlot.indices.min { perSlot[$0] < perSlot[$1] }!
    let share = 100 * Double(totalOutliers) / Double(totalColumns)
    book.check([0, 2].contains(most), "most outlier columns are in LayerNorm outputs")
    book.say(
        """
        LLM.int8() (threshold \(Fmt.f(Double(threshold), 1))) would keep \(totalOutliers) of \
        the \(totalColumns) input columns of the 36 dense layers in float on these sentences \
        (\(Fmt.f(share, 1)) %; q, k and v each count) and multiply the rest in int8. Most sit \
        in the inputs of \(slots[most].0) (\(perSlot[most]) columns over the six layers), \
        fewest in those of \(slots[fewest].0) (\(perSlot[fewest])): the outliers live in the \
        LayerNorm outputs of the residual stream, which q, k, v and MLP in read. At \
        \(Fmt.f(share, 1)) % of the columns they cost LLM.int8() little here; the paper saw \
        them take over only from 6.7B parameters (Dettmers et al. 2022, §4), and this model \
        has 22.7M.
        """)
}
