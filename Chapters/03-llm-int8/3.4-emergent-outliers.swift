import Book
import Core
import LLMInt8
import Plot

/// The experiment of 3.4: X is tokens x features of N(0, 1) values with outliers of growing
/// magnitude in `outlierFeatureCount` fixed features; W is outFeatures x features.
struct EmergentLayer {
    let tokens: Int
    let features: Int
    let outFeatures: Int
    let weightStd: Double
    let outlierFeatureCount: Int
    let threshold: Float
    let magnitudes: [Float]
    let showcaseMagnitude: Float
}

/// One magnitude of the sweep: the errors of the four methods and what LLM.int8() splits off.
struct SweepPoint {
    let study: OutlierStudyResult
    let paperError: Double
    let errorRow: [String]
    let splitRow: [String]
}

/// 3.4: per-tensor absmax, vector-wise int8 and LLM.int8() as the outliers grow. Returns W,
/// which 3.5 stores.
func emergentOutliersSection(_ book: Notebook, _ e: EmergentLayer, rng: inout SeededRNG) -> Tensor {
    book.section("3.4", "Emergent outliers: what a growing model does to int8")
    let outlierFeatures = EmergentOutlierGenerator.pickFeatures(
        count: e.outlierFeatureCount, of: e.features, rng: &rng)
    book.say(
        """
        §4 of the paper: from about 6.7B parameters on, a handful of fixed feature dimensions \
        carry values of magnitude 20 to 60 in every layer and in up to 75% of the tokens (in a \
        6.7B-parameter model the paper finds them in only 6 hidden dimensions), while all other \
        features stay small. EmergentOutlierGenerator is a caricature of that: N(0, 1) features, \
        and in \(e.outlierFeatureCount) fixed dimensions \(outlierFeatures) a value of one sign \
        per dimension and magnitude U(0.5, 1) * m in 75% of the tokens. Sweeping m stands in for \
        growing the model. The same W ~ N(0, \(e.weightStd)^2), \(e.outFeatures) x \(e.features), \
        for every m.
        """)
    let w = Tensor(
        shape: [e.outFeatures, e.features],
        data: rng.normalFloats(e.outFeatures * e.features, std: e.weightStd))
    let sweepStart = rng  // every magnitude draws the same base values
    func hiddenStates(magnitude: Float) -> Tensor {
        var r = sweepStart
        return EmergentOutlierGenerator(
            tokens: e.tokens, features: e.features, outlierFeatures: outlierFeatures,
            outlierMagnitude: magnitude
        ).sample(rng: &r)
    }
    let showcase = hiddenStates(magnitude: e.showcaseMagnitude)
    let m = Int(e.showcaseMagnitude)
    book.figure(
        Charts.heatmap(
            title: "\(e.outlierFeatureCount) of \(e.features) features carry the outliers "
                + "(m = \(m))",
            xLabel: "feature dimension", yLabel: "token",
            values: showcase.data.map { Double(abs($0)) },
            rows: e.tokens, cols: e.features, colorLabel: "|x|"),
        "hidden-state-heatmap",
        caption: "|X| for \(e.tokens) tokens x \(e.features) features at outlier magnitude \(m)")
    print()
    let sweep = e.magnitudes.map { m in
        sweepPoint(book, hiddenStates(magnitude: m), w, magnitude: m, threshold: e.threshold)
    }
    book.say(
        """
        The relative error ||Y_hat - Y|| / ||Y|| of each method against the float product, for
        growing outlier magnitude m:
        """)
    book.table(
        [
            "m", "per-tensor absmax", "vector-wise int8", "LLM.int8()",
            "LLM.int8(), paper's weights",
        ], sweep.map(\.errorRow))
    print()
    book.say(
        """
        What LLM.int8() takes out of the int8 product, and the median over tokens of the row absmax
        that sets each token's step:
        """)
    book.table(
        [
            "m", "outlier cols", "values >= 6", "features in float", "median absmax, X",
            "median absmax, LLM.int8()",
        ],
        sweep.map(\.splitRow))
    print()
    sweepSummary(book, e, sweep)
    showcaseFigure(book, e, showcase, w)
    let floatFraction = Double(e.outlierFeatureCount) / Double(e.features)
    book.say(
        """
        How much stays in float? The paper keeps "more than 99.9% of values" in 8-bit (abstract, \
        §3.2). Here \(Fmt.f(100 * floatFraction, 2))% of the feature dimensions (and, since whole \
        columns go, \(Fmt.f(100 * floatFraction, 2))% of X's values) are multiplied in float, over \
        ten times more, because our toy layer has \(e.features) features where OPT-6.7B has 4096. \
        The same \(e.outlierFeatureCount) dimensions would be \
        \(Fmt.f(100 * Double(e.outlierFeatureCount) / 4096, 2))% of 4096 and \
        \(Fmt.f(100 * Double(e.outlierFeatureCount) / 14336, 2))% of BLOOM-176B's 14336: the \
        paper's 0.1% holds because the number of outlier dimensions stays small while the hidden \
        size grows.
        """)
    return w
}

/// The four methods on one magnitude's hidden states.
func sweepPoint(
    _ book: Notebook, _ hidden: Tensor, _ w: Tensor, magnitude m: Float, threshold: Float
) -> SweepPoint {
    let study = book.attempt("outlier study") {
        try OutlierStudy.compare(x: hidden, w: w, threshold: threshold)
    }
    let reference = book.attempt("float product") { try OutlierStudy.floatProduct(hidden, w) }
    let paperProduct = book.attempt("LLM.int8()") {
        try LLMInt8.matmul(
            hidden, w, options: LLMInt8Options(threshold: threshold, outlierWeights: .original))
    }
    let paperError = OutlierStudy.relativeError(paperProduct.output, reference: reference)
    // The row absmax that sets each token's step: of all of X (vector-wise), and of what is
    // left after the values >= threshold are zeroed (LLM.int8(); the same for both weight options).
    let rowAbsmaxAll = (0..<hidden.rows).map { Statistics.absmax(hidden.row($0)) }
    return SweepPoint(
        study: study, paperError: paperError,
        errorRow: [
            Fmt.g(Double(m)), Fmt.e(study.perTensorError), Fmt.e(study.vectorwiseError),
            Fmt.e(study.llmInt8Error),
            Fmt.e(paperError),
        ],
        splitRow: [
            Fmt.g(Double(m)), String(study.outlierColumns.count),
            Fmt.percent(study.outlierValueFraction),
            Fmt.percent(study.floatFeatureFraction),
            Fmt.f(Statistics.quantile(rowAbsmaxAll, 0.5), 2),
            Fmt.f(Statistics.quantile(paperProduct.activations.rowAbsmax, 0.5), 2),
        ])
}
