// Chapter 3 — LLM.int8(): vector-wise int8 matmul and the outlier decomposition.
//
// Run: swift run -c release Chapter03 [--figures DIR]
// Reads like a notebook: each section prints what it shows, the figures go to Figures/.
// The ideas live in Sources/LLMInt8 (built on Sources/Absmax); this file only calls,
// prints and plots.
import Absmax
import Book
import Core
import LLMInt8
import Plot

let seed: UInt64 = 3
let book = Notebook(chapter: 3, title: "LLM.int8(): vector-wise int8 and the outlier decomposition")
var rng = SeededRNG(seed: seed)

// The experiment of 3.4 and 3.5: one transformer-like layer.
let tokens = 64
let features = 512
let outFeatures = 128
let weightStd = 0.02
let outlierFeatureCount = 6
let threshold = LLMInt8.defaultThreshold
let magnitudes: [Float] = [0, 2.5, 5, 7.5, 10, 15, 20, 30, 45, 60]
let showcaseMagnitude: Float = 20
print("seed: \(seed)")
print("layer: X \(tokens) tokens x \(features) features, W \(outFeatures) x \(features) (out x in), W ~ N(0, \(weightStd)^2)")
print("outliers: \(outlierFeatureCount) feature dimensions, threshold \(Fmt.g(Double(threshold)))")

/// Values as a fixed-width row.
func row(_ values: some Collection<Float>, digits: Int = 3, width: Int = 8) -> String {
    values.map { v in
        let s = Fmt.f(Double(v), digits)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }.joined()
}

/// Row `r` of a quantized matrix's int8 codes as a fixed-width row.
func codes(_ q: VectorwiseQuantized, row r: Int) -> String {
    q.codes[(r * q.cols)..<((r + 1) * q.cols)].map { String($0).leftPadded(5) }.joined()
}

// MARK: - 3.1
book.section("3.1", "Vector-wise quantization, as bitsandbytes does it")
book.say(
    """
    LLM.int8() (Dettmers et al. 2022, §3.1) quantizes the hidden states X (tokens x features)
    with one absmax per row (per token) and the weight W (out x in, the nn.Linear layout) with
    one absmax per row (per output feature). Each output Y[i][j] is then one dot product of two
    int8 rows, accumulated in Int32, and one multiplication undoes both scales:
    Y[i][j] ~ C[i][j] * c_x[i] * c_w[j] / 127^2, with c_x, c_w the row absmax (bitsandbytes'
    row_stats, SCA and SCB). Four tokens with an outlier in feature 2:
    """)
let x = Tensor(rows: [
    [0.8, -1.3, 17.5, 0.2, -0.6, 1.1],
    [-0.4, 0.9, -0.4, 1.7, 0.3, -2.2],
    [1.5, 0.1, -21.0, -0.7, 2.4, 0.5],
    [-1.0, 2.1, 0.3, 0.6, -1.8, -0.2],
])
let w = Tensor(rows: [
    [0.12, -0.05, 0.30, 0.02, -0.21, 0.07],
    [-0.33, 0.18, 0.04, -0.15, 0.09, 0.26],
    [0.05, 0.41, -0.11, 0.20, -0.02, -0.17],
])
let xq0 = try VectorwiseQuantizer.quantize(x, threshold: 0)
let wq = try VectorwiseQuantizer.quantize(w, threshold: 0, name: "W")
book.table(
    ["", "values", "row absmax", "codes"],
    (0..<x.rows).map { r in
        ["X token \(r)", row(x.row(r), digits: 1, width: 6), Fmt.g(Double(xq0.rowAbsmax[r])), codes(xq0, row: r)]
    }
        + (0..<w.rows).map { r in
            ["W out \(r)", row(w.row(r), digits: 2, width: 6), Fmt.g(Double(wq.rowAbsmax[r])), codes(wq, row: r)]
        }, leftAligned: [0])
print()
let c = Int8Matmul.fast(xq0.codes, wq.codes, m: x.rows, k: x.cols, n: w.rows)
let yExact = LLMInt8.dequantizeProduct(c, rowAbsmaxX: xq0.rowAbsmax, rowAbsmaxW: wq.rowAbsmax, bias: nil, constant: .exact)
let yCPU = LLMInt8.dequantizeProduct(
    c, rowAbsmaxX: xq0.rowAbsmax, rowAbsmaxW: wq.rowAbsmax, bias: nil, constant: .bitsandbytesCPU)
let yFloat = try OutlierStudy.floatProduct(x, w)
book.table(
    ["token", "Int32 C = X_i8 W_i8^T", "rescaled, Y_int8", "float X W^T"],
    (0..<x.rows).map { i in
        [
            String(i), c[(i * w.rows)..<((i + 1) * w.rows)].map { String($0).leftPadded(7) }.joined(),
            row(yExact[(i * w.rows)..<((i + 1) * w.rows)], digits: 4, width: 9), row(yFloat.row(i), digits: 4, width: 9),
        ]
    })
print()
/// The largest |Y_int8 - Y| over the outputs of these tokens.
func tokenError(_ tokenRows: [Int]) -> Double {
    tokenRows.flatMap { i in (0..<w.rows).map { j in abs(Double(yExact[i * w.rows + j]) - Double(yFloat[i, j])) } }.max()!
}
let exactConstant = DequantizationConstant.exact.value
let cpuConstant = DequantizationConstant.bitsandbytesCPU.value
let constantRatio = Double(cpuConstant) / Double(exactConstant) - 1
let outputRatio = zip(yCPU, yExact).map { Double($0) / Double($1) - 1 }
book.say(
    """
    Tokens 0 and 2 carry the outlier, so their absmax is \(Fmt.g(Double(xq0.rowAbsmax[0]))) and \
    \(Fmt.g(Double(xq0.rowAbsmax[2]))) and their other five features are squeezed onto a few codes \
    (-0.6 becomes \(xq0.codes[4]), 0.2 becomes \(xq0.codes[3])): their outputs are off by up to \
    \(Fmt.f(tokenError([0, 2]), 4)), those of tokens 1 and 3 by up to \(Fmt.f(tokenError([1, 3]), 4)).

    The constant 1/127^2: bitsandbytes' CUDA kernel multiplies by Float(1/16129); its CPU and
    pure-PyTorch fallback hard-codes a decimal that differs in the fifth digit. We use the exact
    one (LLMInt8Options' default) and keep the other to match bitsandbytes' CPU output bit for bit:
    """)
book.table(
    ["constant", "value", "relative to 1/16129"],
    [
        ["Float(1/16129), exact (CUDA)", Fmt.e(Double(exactConstant), 9), Fmt.e(Double(exactConstant) * 16129 - 1, 2)],
        ["bitsandbytes CPU fallback", Fmt.e(Double(cpuConstant), 9), Fmt.e(Double(cpuConstant) * 16129 - 1, 2)],
        ["difference", Fmt.e(Double(cpuConstant) - Double(exactConstant), 3), Fmt.e(constantRatio, 2)],
    ])
print()
book.say(
    """
    Every output of the CPU path is larger by the same factor: here the 12 outputs differ by a
    relative \(Fmt.e(outputRatio.min()!, 2)) to \(Fmt.e(outputRatio.max()!, 2)), far below the \
    int8 rounding error, but enough to fail a bit-exact comparison.
    """)

// MARK: - 3.2
book.section("3.2", "Mixed-precision decomposition: the outlier columns stay in float")
book.say(
    """
    LLM.int8()'s second half (§3.2): a feature column of X is an outlier column when any of its
    values reaches the threshold, |x| >= \(Fmt.g(Double(threshold))). Those values are set to 0 before \
    the row absmax is taken, the whole column's codes are zeroed, and the outlier columns are
    multiplied in floating point and added back:
    Y = X[:, O] W[:, O]^T (float) + the int8 product of the rest.
    """)
let xq6 = try VectorwiseQuantizer.quantize(x, threshold: threshold)
book.table(
    ["token", "row absmax, threshold 0", "row absmax, threshold 6", "codes, threshold 6"],
    (0..<x.rows).map { r in
        [String(r), Fmt.g(Double(xq0.rowAbsmax[r])), Fmt.g(Double(xq6.rowAbsmax[r])), codes(xq6, row: r)]
    })
print()
print("outlier columns: \(xq6.outlierColumns)")
print()
let vectorwise = try LLMInt8.matmul(x, w, options: LLMInt8Options(threshold: 0))
let mixed = try LLMInt8.matmul(x, w, options: LLMInt8Options(threshold: threshold))
let smallErrors = (
    vectorwise: OutlierStudy.relativeError(vectorwise.output, reference: yFloat),
    mixed: OutlierStudy.relativeError(mixed.output, reference: yFloat)
)
book.table(
    ["token", "int8 part", "float part (column 2)", "LLM.int8() = sum", "float X W^T"],
    (0..<x.rows).map { i in
        [
            String(i), row(mixed.int8Part.row(i), digits: 4, width: 9), row(mixed.floatPart.row(i), digits: 4, width: 9),
            row(mixed.output.row(i), digits: 4, width: 9), row(yFloat.row(i), digits: 4, width: 9),
        ]
    })
print()
book.table(
    ["method", "relative error ||Y_hat - Y|| / ||Y||"],
    [
        ["vector-wise int8 (threshold 0)", Fmt.e(smallErrors.vectorwise)],
        ["LLM.int8() (threshold 6)", Fmt.e(smallErrors.mixed)],
    ])
print()
book.say(
    """
    Column 2 leaves the int8 product; tokens 0 and 2 get their small features back on the full
    code range (-0.6 is now code \(xq6.codes[4])), and the error drops by a factor \
    \(Fmt.f(smallErrors.vectorwise / smallErrors.mixed, 1)). \
    Tokens 1 and 3 had no outlier, but column 2 is zeroed for them too: their -0.4 and 0.3 in
    that column travel through the float path.
    """)

// MARK: - 3.3
book.section("3.3", "Which weights meet the outlier columns: bitsandbytes or the paper")
book.say(
    """
    The paper (§3.2) multiplies the outlier columns by the original 16-bit weights. bitsandbytes
    at inference no longer has them (Linear8bitLt keeps only the int8 codes CB and the row
    absmax SCB), so it uses the dequantized weights CB * SCB / 127. LLMInt8Options(outlierWeights:)
    picks one; bitsandbytes' behaviour is the default. Column 2 of W, both ways:
    """)
let paper = try LLMInt8.matmul(x, w, options: LLMInt8Options(threshold: threshold, outlierWeights: .original))
let wDequantized = wq.dequantized()
book.table(
    ["W column 2", "original", "CB * SCB / 127", "difference"],
    (0..<w.rows).map { j in
        [
            "out \(j)", Fmt.f(Double(w[j, 2]), 6), Fmt.f(Double(wDequantized[j, 2]), 6),
            Fmt.e(Double(wDequantized[j, 2] - w[j, 2])),
        ]
    })
print()
book.table(
    ["method", "relative error vs float"],
    [
        ["vector-wise int8 (threshold 0)", Fmt.e(OutlierStudy.relativeError(vectorwise.output, reference: yFloat))],
        ["LLM.int8(), dequantized int8 outlier weights (bitsandbytes)", Fmt.e(smallErrors.mixed)],
        ["LLM.int8(), original outlier weights (the paper)", Fmt.e(OutlierStudy.relativeError(paper.output, reference: yFloat))],
    ])
print()
book.say(
    """
    The two LLM.int8() outputs differ by at most \(Fmt.e(Statistics.maxAbsError(mixed.output.data, paper.output.data))) \
    (the outputs reach \(Fmt.g(Double(Statistics.absmax(yFloat.data)), 3))): the weights' rounding error, up to half a \
    step of their row, multiplied by outlier activations of about 20. Small, but on this toy it is \
    most of what is left of LLM.int8()'s error.
    """)

// MARK: - 3.4
book.section("3.4", "Emergent outliers: what a growing model does to int8")
let outlierFeatures = EmergentOutlierGenerator.pickFeatures(count: outlierFeatureCount, of: features, rng: &rng)
book.say(
    """
    §4 of the paper: from about 6.7B parameters on, a handful of fixed feature dimensions carry
    values of magnitude 20 to 60 in every layer and in up to 75% of the tokens (in a
    6.7B-parameter model the paper finds them in only 6 hidden dimensions), while all other
    features stay small. EmergentOutlierGenerator is a caricature of that: N(0, 1) features,
    and in \(outlierFeatureCount) fixed dimensions \(outlierFeatures) a value of one sign per dimension and \
    magnitude U(0.5, 1) * m in 75% of the tokens. Sweeping m stands in for growing the model.
    The same W ~ N(0, \(weightStd)^2), \(outFeatures) x \(features), for every m.
    """)
let layerW = Tensor(shape: [outFeatures, features], data: rng.normalFloats(outFeatures * features, std: weightStd))
let sweepStart = rng  // every magnitude draws the same base values
func hiddenStates(magnitude: Float) -> Tensor {
    var r = sweepStart
    return EmergentOutlierGenerator(
        tokens: tokens, features: features, outlierFeatures: outlierFeatures, outlierMagnitude: magnitude
    ).sample(rng: &r)
}
let showcase = hiddenStates(magnitude: showcaseMagnitude)
book.figure(
    Charts.heatmap(
        title: "\(outlierFeatureCount) of \(features) features carry the outliers (m = \(Int(showcaseMagnitude)))",
        xLabel: "feature dimension", yLabel: "token", values: showcase.data.map { Double(abs($0)) },
        rows: tokens, cols: features, colorLabel: "|x|"),
    "hidden-state-heatmap",
    caption: "|X| for \(tokens) tokens x \(features) features at outlier magnitude \(Int(showcaseMagnitude))")
print()
var errorRows: [[String]] = []
var splitRows: [[String]] = []
var perTensorErrors: [Double] = []
var vectorwiseErrors: [Double] = []
var llmInt8Errors: [Double] = []
var paperErrors: [Double] = []
for m in magnitudes {
    let hidden = hiddenStates(magnitude: m)
    let study = try OutlierStudy.compare(x: hidden, w: layerW, threshold: threshold)
    let reference = try OutlierStudy.floatProduct(hidden, layerW)
    let paperProduct = try LLMInt8.matmul(
        hidden, layerW, options: LLMInt8Options(threshold: threshold, outlierWeights: .original))
    let paperError = OutlierStudy.relativeError(paperProduct.output, reference: reference)
    perTensorErrors.append(study.perTensorError)
    vectorwiseErrors.append(study.vectorwiseError)
    llmInt8Errors.append(study.llmInt8Error)
    paperErrors.append(paperError)
    errorRows.append([
        Fmt.g(Double(m)), Fmt.e(study.perTensorError), Fmt.e(study.vectorwiseError), Fmt.e(study.llmInt8Error),
        Fmt.e(paperError),
    ])
    // The row absmax that sets each token's step: of all of X (vector-wise), and of what is
    // left after the values >= threshold are zeroed (LLM.int8(); the same for both weight options).
    let rowAbsmaxAll = (0..<hidden.rows).map { Statistics.absmax(hidden.row($0)) }
    splitRows.append([
        Fmt.g(Double(m)), String(study.outlierColumns.count), Fmt.f(100 * study.outlierValueFraction, 2),
        Fmt.f(100 * study.floatFeatureFraction, 2), Fmt.f(Statistics.quantile(rowAbsmaxAll, 0.5), 2),
        Fmt.f(Statistics.quantile(paperProduct.activations.rowAbsmax, 0.5), 2),
    ])
}
book.say(
    """
    The relative error ||Y_hat - Y|| / ||Y|| of each method against the float product, for
    growing outlier magnitude m:
    """)
book.table(
    ["m", "per-tensor absmax", "vector-wise int8", "LLM.int8()", "LLM.int8(), paper's weights"], errorRows)
print()
book.say(
    """
    What LLM.int8() takes out of the int8 product, and the median over tokens of the row absmax
    that sets each token's step:
    """)
book.table(
    [
        "m", "outlier columns", "% values >= 6", "% features in float", "median absmax, all of X",
        "median absmax, LLM.int8()",
    ], splitRows)
print()
let last = magnitudes.count - 1
let bumpIndex = llmInt8Errors.indices.max { llmInt8Errors[$0] < llmInt8Errors[$1] }!
// The first magnitude whose smallest outlier value, m/2, is already >= the threshold.
let allAboveIndex = magnitudes.firstIndex { $0 / 2 >= threshold }!
book.say(
    """
    Without outliers the row-wise schemes agree (\(Fmt.e(vectorwiseErrors[0], 2))) and per-tensor \
    absmax is already worse. As m grows, the outliers set the scale: per tensor for all of X \
    (error up to \(Fmt.e(perTensorErrors.max()!, 2))), per row for the 75% of tokens that carry them \
    (up to \(Fmt.e(vectorwiseErrors.max()!, 2))). Below the threshold LLM.int8() is vector-wise int8. \
    Just above it, at m = \(Fmt.g(Double(magnitudes[bumpIndex]))), it is worse than without outliers \
    (\(Fmt.e(llmInt8Errors[bumpIndex], 2))): the outlier columns still hold values between m/2 and 6, \
    which bitsandbytes does not zero before it takes the row absmax (only values >= 6 are), so \
    the median absmax stays high. From m = \(Fmt.g(Double(magnitudes[allAboveIndex]))) on every \
    outlier value is >= 6, the row absmax falls back to that of the ordinary features, and the error ends at \(Fmt.e(llmInt8Errors[last], 2)), \
    or \(Fmt.e(paperErrors[last], 2)) with the paper's original outlier weights: what is left with \
    bitsandbytes' weights is the int8 rounding of W's outlier columns, multiplied by the outliers.
    """)
let magnitudeAxis = magnitudes.map(Double.init)
book.figure(
    Charts.line(
        title: "As outliers grow, only LLM.int8() keeps its error down",
        xLabel: "outlier magnitude m (|x| of the outlier features)", yLabel: "relative error of X W^T (log scale)",
        series: [
            Series(name: "absmax (per tensor)", x: magnitudeAxis, y: perTensorErrors),
            Series(name: "int8 (vector-wise)", x: magnitudeAxis, y: vectorwiseErrors),
            Series(name: "LLM.int8() (bitsandbytes)", x: magnitudeAxis, y: llmInt8Errors),
            Series(
                name: "LLM.int8(), paper's weights", x: magnitudeAxis, y: paperErrors, color: Palette.bluishGreen,
                style: .dashed),
        ],
        yScale: .log10, markers: true, yRange: 0.002...0.05,
        annotations: [.vertical(Double(threshold), label: "threshold 6")]),
    "error-vs-outlier-magnitude", caption: "relative error against the float product for m = 0 ... 60, four methods")

let showcaseFloat = try OutlierStudy.floatProduct(showcase, layerW)
let showcasePerTensor = try OutlierStudy.perTensorProduct(showcase, layerW)
let showcaseVectorwise = try LLMInt8.matmul(showcase, layerW, options: LLMInt8Options(threshold: 0)).output
let showcaseMixed = try LLMInt8.matmul(showcase, layerW, options: LLMInt8Options(threshold: threshold)).output
func logErrors(_ yHat: Tensor) -> [Double] {
    zip(yHat.data, showcaseFloat.data).compactMap { a, b in a == b ? nil : Math.log10(abs(Double(a) - Double(b))) }
}
let showcaseRMS = [showcasePerTensor, showcaseVectorwise, showcaseMixed].map {
    Statistics.mse(showcaseFloat.data, $0.data).squareRoot()
}
book.figure(
    Charts.histogram(
        title: "m = \(Int(showcaseMagnitude)): LLM.int8() RMS error is "
            + "\(Fmt.ratio(showcaseRMS[1] / showcaseRMS[2])) below vector-wise",
        xLabel: "log10 |Y_hat - Y| (output units)", yLabel: "outputs",
        series: [
            ("absmax (per tensor)", logErrors(showcasePerTensor)),
            ("int8 (vector-wise)", logErrors(showcaseVectorwise)),
            ("LLM.int8() (bitsandbytes)", logErrors(showcaseMixed)),
        ], bins: 77, range: -6...(-0.5)),
    "output-error-histograms",
    caption: "log10 |error| of the \(tokens * outFeatures) outputs at m = \(Int(showcaseMagnitude)), shared bins")
print()
let floatFraction = Double(outlierFeatureCount) / Double(features)
book.say(
    """
    How much stays in float? The paper keeps "more than 99.9% of values" in 8-bit (abstract,
    §3.2). Here \(Fmt.f(100 * floatFraction, 2))% of the feature dimensions (and, since whole columns \
    go, \(Fmt.f(100 * floatFraction, 2))% of X's values) are multiplied in float, over ten times \
    more, because our toy layer has \(features) features where OPT-6.7B has 4096. The same \
    \(outlierFeatureCount) dimensions would be \(Fmt.f(100 * Double(outlierFeatureCount) / 4096, 2))% of 4096 \
    and \(Fmt.f(100 * Double(outlierFeatureCount) / 14336, 2))% of BLOOM-176B's 14336: the paper's 0.1% \
    holds because the number of outlier dimensions stays small while the hidden size grows.
    """)

// MARK: - 3.5
book.section("3.5", "Memory: why this matters at 176B parameters")
book.say(
    """
    The blog (Belkada & Dettmers 2022, "Introduction") counts what BLOOM-176B needs. Weights
    only, decimal gigabytes, A100 80GB GPUs:
    """)
let parameters = ModelMemory.bloom176BParameters
book.table(
    ["precision", "bytes/param", "weights (GB)", "A100 80GB GPUs"],
    [ModelMemory.Precision.fp32, .bf16, .int8].map { p in
        let bytes = ModelMemory.bytes(parameters: parameters, precision: p)
        return [
            p.rawValue, String(p.bytesPerParameter), Fmt.f(ModelMemory.gigabytes(bytes), 0),
            String(ModelMemory.devicesNeeded(bytes: bytes, deviceBytes: ModelMemory.a100Bytes)),
        ]
    })
print()
let layerQuantized = try VectorwiseQuantizer.quantize(layerW, threshold: 0, name: "W")
book.say(
    """
    The blog quotes 8 A100s for bf16 inference: activations, the attention cache and the
    framework need room beyond the weights counted here. Int8 halves the weights; its overheads
    are small: one float32 absmax per row (our \(outFeatures) x \(features) W stores \
    \(layerQuantized.storageBytes) bytes, \(Fmt.f(layerQuantized.bitsPerParameter, 4)) bits per weight; \
    a 14336-wide BLOOM row pays \(Fmt.f(8 + 32 / 14336.0, 4))), plus the float outlier columns of X, \
    computed on the fly.
    """)

// MARK: - 3.6
book.section("3.6", "Speed: why LLM.int8() is slower than fp16, most for small models")
book.say(
    """
    Int8 halves the bytes of every weight, and an A100's int8 tensor cores multiply twice as
    fast as its fp16 ones; yet the int8 blog post ("Is it faster than native models?") measured
    LLM.int8() slower than 16-bit, per generated token at batch size 1: BLOOM-176B 282 ms
    against 239 in bf16 (1.18x), T5-11B 43.5 ms against 11.7 in fp16 (3.7x), T5-3B 312 ms
    against 45 in fp32 (6.9x). The smaller the model, the larger the slowdown.

    The decomposition explains it. Where fp16 makes one pass over memory, the matmul, LLM.int8()
    makes seven (InferenceCost in Sources/LLMInt8): find the outlier columns, take the row
    absmax and quantize X, the int8 matmul, rescale its Int32 result, gather X's outlier
    columns, dequantize W's, and a second, float, matmul for them. Counted for a square
    h x h layer over \(tokens) tokens with \(outlierFeatureCount) outlier columns (activations \
    fp16, 2 bytes; codes 1 byte; the Int32 product and the statistics 4; MB = 10^6 bytes):
    """)
let hiddenSizes = [512, 1024, 2048, 4096, 8192]
var otherShares: [Double] = []
var totalRatios: [Double] = []
book.table(
    [
        "h", "fp16 MB", "int8 matmul MB", "other passes MB", "others / fp16", "LLM.int8() / fp16",
        "matmul GFLOP", "others MOP",
    ],
    hiddenSizes.map { h in
        let layer = InferenceCost.Layer(
            tokens: tokens, inFeatures: h, outFeatures: h, outlierColumns: outlierFeatureCount)
        let fp16 = InferenceCost.float16Passes(layer)
        let int8 = InferenceCost.llmInt8Passes(layer)
        let others = int8.overhead
        otherShares.append(Double(others.totalBytes) / Double(fp16.totalBytes))
        totalRatios.append(Double(int8.totalBytes) / Double(fp16.totalBytes))
        return [
            String(h), Fmt.f(Double(fp16.totalBytes) / 1e6, 2),
            Fmt.f(Double(int8.filter(\.isMatmul).totalBytes) / 1e6, 2),
            Fmt.f(Double(others.totalBytes) / 1e6, 2), Fmt.percent(otherShares.last!, 0),
            Fmt.ratio(totalRatios.last!, 2),
            Fmt.f(Double(fp16.totalOperations) / 1e9, 2), Fmt.f(Double(others.totalOperations) / 1e6, 1),
        ]
    })
print()
book.say(
    """
    The matmul's work grows like h^2 (2 t h^2 operations on 2 h^2 bytes of fp16 weights); each
    other pass touches t x h values (of X or of Y) and grows like h. At h = \(hiddenSizes[0]) the \
    six other passes move \(Fmt.percent(otherShares[0], 0)) as many bytes as the whole fp16 \
    matmul, and LLM.int8() moves \(Fmt.ratio(totalRatios[0], 2)) fp16's bytes in all; at \
    \(hiddenSizes.last!) the others are \(Fmt.percent(otherShares.last!, 0)) and the int8 \
    weights' saving wins (\(Fmt.ratio(totalRatios.last!, 2))). On a GPU each pass is also a
    kernel launch, a fixed cost of microseconds however little the pass does: at batch size 1
    (t = 1) the passes move few bytes, but a small model's matmuls are short enough for six
    extra launches per layer to matter, and a 176B model's are not.

    These are counts, not timings: timings vary from machine to machine, so the chapter does
    not print them. The README beside this chapter quotes our own CPU kernels
    (`lowbit bench llm-int8`), with the same shape.

    Exercises 3a-3e write the functions this chapter ran: 3a vector-wise quantization, 3b the
    outlier columns, 3c the rescale, 3d the float outlier product, 3e the memory arithmetic.
    `scripts/exercise start 3a` blanks one, `scripts/exercise check 3a` runs its tests and
    `scripts/exercise hint 3a` says what to read. LLMInt8ReferenceTests compare the whole layer
    with bitsandbytes 0.50.2 bit for bit.
    """)

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
