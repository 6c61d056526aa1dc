import Book
import Core
import LLMInt8
import Plot

/// 3.4, continued: what the sweep shows, and its line figure.
func sweepSummary(_ book: Notebook, _ e: EmergentLayer, _ sweep: [SweepPoint]) {
    let perTensor = sweep.map(\.study.perTensorError)
    let vectorwise = sweep.map(\.study.vectorwiseError)
    let llmInt8 = sweep.map(\.study.llmInt8Error)
    let paper = sweep.map(\.paperError)
    let last = sweep.count - 1
    let bump = llmInt8.indices.max { llmInt8[$0] < llmInt8[$1] }!
    // The first magnitude whose smallest outlier value, m/2, is already >= the threshold.
    let allAbove = e.magnitudes.firstIndex { $0 / 2 >= e.threshold }!
    book.say(
        """
        Without outliers the row-wise schemes agree (\(Fmt.e(vectorwise[0], 2))) and per-tensor \
        absmax is already worse. As m grows, the outliers set the scale: per tensor for all of X \
        (error up to \(Fmt.e(perTensor.max()!, 2))), per row for the 75% of tokens that carry them \
        (up to \(Fmt.e(vectorwise.max()!, 2))). Below the threshold LLM.int8() is vector-wise \
        int8. Just above it, at m = \(Fmt.g(Double(e.magnitudes[bump]))), it is worse than without \
        outliers (\(Fmt.e(llmInt8[bump], 2))): the outlier columns still hold values between m/2 \
        and 6, which bitsandbytes does not zero before it takes the row absmax (only values >= 6 \
        are), so the median absmax stays high. From m = \(Fmt.g(Double(e.magnitudes[allAbove]))) \
        on every outlier value is >= 6, the row absmax falls back to that of the ordinary \
        features, and the error ends at \(Fmt.e(llmInt8[last], 2)), or \(Fmt.e(paper[last], 2)) \
        with the paper's original outlier weights: what is left with bitsandbytes' weights is the \
        int8 rounding of W's outlier columns, multiplied by the outliers.
        """)
    let axis = e.magnitudes.map(Double.init)
    book.figure(
        Charts.line(
            title: "As outliers grow, only LLM.int8() keeps its error down",
            xLabel: "outlier magnitude m (|x| of the outlier features)",
            yLabel: "relative error of X W^T (log scale)",
            series: [
                Series(name: "absmax (per tensor)", x: axis, y: perTensor),
                Series(name: "int8 (vector-wise)", x: axis, y: vectorwise),
                Series(name: "LLM.int8() (bitsandbytes)", x: axis, y: llmInt8),
                Series(
                    name: "LLM.int8(), paper's weights", x: axis, y: paper,
                    color: Palette.bluishGreen,
                    style: .dashed),
            ],
            yScale: .log10, markers: true, yRange: 0.002...0.05,
            annotations: [.vertical(Double(e.threshold), label: "threshold 6")]),
        "error-vs-outlier-magnitude",
        caption: "relative error vs float, m = 0 ... 60, four methods")
}

/// The error histograms of the three methods at the showcase magnitude.
func showcaseFigure(_ book: Notebook, _ e: EmergentLayer, _ showcase: Tensor, _ w: Tensor) {
    let reference = book.attempt("float product") { try OutlierStudy.floatProduct(showcase, w) }
    let perTensor = book.attempt("per-tensor product") {
        try OutlierStudy.perTensorProduct(showcase, w)
    }
    let vectorwise = book.attempt("LLM.int8()") {
        try LLMInt8.matmul(showcase, w, options: LLMInt8Options(threshold: 0)).output
    }
    let mixed = book.attempt("LLM.int8()") {
        try LLMInt8.matmul(showcase, w, options: LLMInt8Options(threshold: e.threshold)).output
    }
    func logErrors(_ yHat: Tensor) -> [Double] {
        zip(yHat.data, reference.data).compactMap { a, b in
            a == b ? nil : Math.log10(abs(Double(a) - Double(b)))
        }
    }
    let m = Int(e.showcaseMagnitude)
    let rms = [perTensor, vectorwise, mixed].map {
        Statistics.mse(reference.data, $0.data).squareRoot()
    }
    book.figure(
        Charts.histogram(
            title: "m = \(Int(e.showcaseMagnitude)): LLM.int8() RMS error is "
                + "\(Fmt.ratio(rms[1] / rms[2])) below vector-wise",
            xLabel: "log10 |Y_hat - Y| (output units)", yLabel: "outputs",
            series: [
                ("absmax (per tensor)", logErrors(perTensor)),
                ("int8 (vector-wise)", logErrors(vectorwise)),
                ("LLM.int8() (bitsandbytes)", logErrors(mixed)),
            ], bins: 77, range: -6...(-0.5)),
        "output-error-histograms",
        caption: "log10 |error| of the \(e.tokens * e.outFeatures) outputs at m = \(m), "
            + "shared bins")
    print()
}
