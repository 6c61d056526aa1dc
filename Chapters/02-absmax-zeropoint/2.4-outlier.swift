import Absmax
import Book
import Core
import Plot

/// The experiment of 2.4: a rows x cols matrix of N(0, weightStd²) weights with one value set
/// to `multiple` standard deviations at `at`.
struct OutlierExperiment {
    let rows: Int
    let cols: Int
    let weightStd: Double
    let multiple: Double
    let at: (row: Int, col: Int)
    let blockSize: Int
}

/// One quantization of 2.4: the matrix, its name and its quantized form.
struct OutlierCase {
    let name: String
    let original: Tensor
    let quantized: QuantizedInt8
    var back: [Float] { quantized.dequantize().data }
}

/// 2.4: one outlier weight against per-tensor, per-row, per-column and blockwise scales.
func outlierSection(_ book: Notebook, _ e: OutlierExperiment, rng: inout SeededRNG) {
    book.section("2.4", "What a single outlier does")
    book.say(
        """
        A \(e.rows) x \(e.cols) weight matrix of N(0, \(e.weightStd)^2) values (a typical \
        initialisation) with one value set to \(Int(e.multiple)) sigma = \
        \(Fmt.g(e.multiple * e.weightStd)) at row \(e.at.row), column \(e.at.col). \
        The same matrix without the outlier (that value set to 0) is the reference line. SQNR, \
        the signal-to-quantization-noise ratio 10 log10(sum x^2 / sum (x' - x)^2), is in \
        decibels: higher is better, 6 dB per bit.
        """)
    var cleanRNG = rng  // the same draws, so both matrices differ in one value only
    let planted = PlantedOutlier.normalWeights(
        rows: e.rows, cols: e.cols, std: e.weightStd, outlierMultiple: e.multiple, at: e.at,
        rng: &rng)
    let clean = PlantedOutlier.normalWeights(
        rows: e.rows, cols: e.cols, std: e.weightStd, outlierMultiple: 0, at: e.at, rng: &cleanRNG)
    let granularities: [(String, Granularity)] = [
        ("per tensor", .perTensor), ("per row", .perRow), ("per column", .perColumn),
        ("blockwise (\(e.blockSize))", .blockwise(blockSize: e.blockSize)),
    ]
    let cases =
        [
            OutlierCase(
                name: "per tensor, no outlier", original: clean,
                quantized: quantize(book, clean, .perTensor))
        ]
        + granularities.map { name, g in
            OutlierCase(name: name, original: planted, quantized: quantize(book, planted, g))
        }
    book.table(
        [
            "granularity", "scales", "bits/value", "codes used", "on -2..2", "MSE", "max |error|",
            "SQNR dB",
        ],
        cases.map { c in
            let nearZero = c.quantized.codes.filter { abs(Int($0)) <= 2 }.count
            return [
                c.name, String(c.quantized.scales.count), Fmt.f(c.quantized.bitsPerParameter, 3),
                String(c.quantized.distinctCodes),
                Fmt.percent(Double(nearZero) / Double(c.quantized.count), 1),
                Fmt.e(Statistics.mse(c.original.data, c.back)),
                Fmt.e(Statistics.maxAbsError(c.original.data, c.back)),
                Fmt.f(Statistics.sqnr(c.original.data, c.back), 1),
            ]
        })
    print()
    let perTensor = cases[1].quantized
    let rowAbsmax = cases[2].quantized.scales.map { Double(127 / $0) }
    let otherRows = rowAbsmax.enumerated().filter { $0.offset != e.at.row }.map {
        Float($0.element)
    }
    let rmse = cases.map { Statistics.mse($0.original.data, $0.back).squareRoot() }
    let sqnr = cases.map { Statistics.sqnr($0.original.data, $0.back) }
    let step = 1 / Double(perTensor.scales[0])
    let nearZero =
        Double(perTensor.codes.filter { abs(Int($0)) <= 2 }.count) / Double(planted.count)
    book.say(
        """
        Per tensor, the outlier sets the step to \(Fmt.g(e.multiple * e.weightStd))/127 = \
        \(Fmt.g(step, 3)), about \(Fmt.f(step / e.weightStd, 2)) sigma, so \
        \(Fmt.f(100 * nearZero, 1))% of the weights land on the five codes -2..2 and the matrix \
        uses \(perTensor.distinctCodes) of 255 codes: its RMS (root-mean-square) error is \
        \(Fmt.ratio(rmse[1] / rmse[2])) that of per-row scales. \
        Per row, only row \(e.at.row) pays (absmax \(Fmt.g(rowAbsmax[e.at.row], 3)) against a \
        median of \(Fmt.g(Statistics.quantile(otherRows, 0.5), 3)) for the other rows); per \
        column only column \(e.at.col), blockwise only one block of \(e.blockSize). \
        Per row and per column end within \(Fmt.f(sqnr[0] - sqnr[2], 1)) dB of the matrix \
        without the outlier (the outlier's own row or column still has per-tensor's coarse step, \
        and its \(e.cols) values carry most of the remaining error), and blocks of \
        \(e.blockSize) beat it by \
        \(Fmt.f(sqnr[4] - sqnr[0], 1)) dB, because a small block's absmax is smaller than a whole \
        tensor's. The price is 1/8 and 1/2 bit per value for the scales.
        """)
    outlierFigures(book, cases: cases, rmseRatio: rmse[1] / rmse[2], blockSize: e.blockSize)
}

/// Absmax quantization of a finite matrix, which cannot fail.
func quantize(_ book: Notebook, _ t: Tensor, _ g: Granularity) -> QuantizedInt8 {
    book.attempt("absmax \(g)") { try Absmax.quantize(t, granularity: g) }
}

/// The two figures of 2.4: the error histograms and the codes in use, per tensor, per row and
/// blockwise (per column is left out: its histograms lie on top of per row's).
func outlierFigures(_ book: Notebook, cases: [OutlierCase], rmseRatio: Double, blockSize: Int) {
    let shown = [cases[1], cases[2], cases[4]]
    // Shared bins: every granularity's errors are counted in the same log10 bins.
    let errorSeries: [(name: String, values: [Double])] = shown.map { c in
        (
            c.name,
            zip(c.original.data, c.back).compactMap { x, y -> Double? in
                x == y ? nil : Math.log10(abs(Double(y) - Double(x)))
            }
        )
    }
    book.figure(
        Charts.histogram(
            title: "One outlier: per-tensor RMS error is \(Fmt.ratio(rmseRatio)) per-row's",
            xLabel: "log10 |dequantized - original| (weight units)", yLabel: "weights",
            series: errorSeries, bins: 88, range: -7...(-1.5)),
        "outlier-error-histograms",
        caption: "log10 |error| per tensor, per row, blocks of \(blockSize)")
    book.figure(
        Charts.histogram(
            title:
                "Per tensor, the outlier leaves \(cases[1].quantized.distinctCodes) of 255 codes "
                + "in use",
            xLabel: "int8 code q", yLabel: "weights (log scale)",
            series: shown.map { c in (c.name, c.quantized.codes.map { Double($0) }) },
            bins: 255, range: -127.5...127.5, yScale: .log10),
        "levels-used",
        caption: "how often each code occurs: per tensor, per row, blocks of \(blockSize)")
}
