// Chapter 2 — Absmax and zero-point int8 quantization.
//
// Run: swift run -c release Chapter02 [--figures DIR]
// Reads like a notebook: each section prints what it shows, the figures go to Figures/.
// The ideas live in Sources/Absmax; this file only calls, prints and plots.
import Absmax
import Book
import Core
import Foundation
import Plot

let seed: UInt64 = 2
let book = Notebook(chapter: 2, title: "Absmax and zero-point int8 quantization")
var rng = SeededRNG(seed: seed)
print("seed: \(seed)")

/// Codes as a fixed-width row: "  28  -12 -101".
func codeRow(_ codes: some Collection<Int8>) -> String {
    codes.map { String(Int($0)).leftPadded(to: 5) }.joined()
}

/// Row `r` of a quantized 2-D tensor's codes as a fixed-width row.
func codeRow(_ q: QuantizedInt8, row r: Int) -> String {
    let cols = q.shape[1]
    return codeRow(q.codes[(r * cols)..<((r + 1) * cols)])
}

/// Floats as a fixed-width row with `digits` decimals.
func floatRow(_ values: some Collection<Float>, digits: Int = 4, width: Int = 9) -> String {
    values.map { Fmt.f(Double($0), digits).leftPadded(to: width) }.joined()
}

/// One quantized vector as a table: the values, their codes, the round trip and its error.
func vectorTable(_ book: Notebook, _ x: [Float], _ q: QuantizedInt8, digits: Int) {
    let back = q.dequantize().data
    book.table(
        ["i"] + x.indices.map(String.init),
        [
            ["x"] + x.map { Fmt.f(Double($0), digits) },
            ["q"] + q.codes.map { String($0) },
            ["x'"] + back.map { Fmt.f(Double($0), 4) },
            ["x' - x"] + zip(back, x).map { Fmt.f(Double($0 - $1), 4) },
        ])
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

// MARK: - 2.1
book.section("2.1", "Absmax: scale the largest magnitude to 127")
book.say(
    """
    Symmetric ("absmax") quantization keeps zero at code 0 and stretches the largest magnitude
    of a group to 127: s = 127 / max|x|, q = round(x * s) with ties to even, and back
    x' = q / s (Belkada & Dettmers 2022, "Introduction to model quantization"; Dettmers et al.
    2022, LLM.int8() §2.1). The blog's worked example, reproduced:
    """)
let blogVector: [Float] = [1.2, -0.5, -4.3, 1.2, -3.1, 0.8, 2.4, 5.4]
let blogAbsmax = try Absmax.quantize(blogVector)
let blogAbsmaxBack = blogAbsmax.dequantize().data
print("max|x| = \(Fmt.g(Double(Statistics.absmax(blogVector)))), ", terminator: "")
print("s = 127 / 5.4 = \(Fmt.g(Double(blogAbsmax.scales[0]), 9))  (the blog: 23.5)")
print()
vectorTable(book, blogVector, blogAbsmax, digits: 1)
print()
let blogHalfStep = 0.5 / Double(blogAbsmax.scales[0])
book.table(
    ["scheme", "scale", "MSE", "max |error|", "half a step"],
    [[
        "absmax", Fmt.g(Double(blogAbsmax.scales[0]), 6), Fmt.e(Statistics.mse(blogVector, blogAbsmaxBack)),
        Fmt.e(Statistics.maxAbsError(blogVector, blogAbsmaxBack)), Fmt.e(blogHalfStep),
    ]])
print()
book.say(
    """
    The codes are the blog's [28, -12, -101, 28, -73, 19, 56, 127] exactly. 5.4 comes back as
    itself; every other value moves by less than half a step. Codes -128 to -102 are never used:
    absmax spends a code range symmetric about zero on data that reaches only -4.3 below it.

    Two corners every implementation must get right. Rounding is to nearest with ties to even,
    so exact halves go to the even neighbour (here with s = 1, where x * s is exactly x):
    """)
let ties: [Float] = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 126.5]
book.table(
    ["x * s"] + ties.map { Fmt.g(Double($0)) },
    [["q"] + ties.map { String(Absmax.quantize($0, scale: 1)) }])
print()
let allZero = try Absmax.quantize([0, 0, 0, 0])
book.say(
    """
    And an all-zero group has max|x| = 0, where 127 / 0 = inf and 0 * inf = NaN. The library stores
    scale \(Fmt.g(Double(allZero.scales[0]))) for it (Absmax.scale(forAbsmax: 0)), so the codes are \
    \(allZero.codes.map { String($0) }.joined(separator: ", ")) and they dequantize to \
    \(allZero.dequantize().data.map { Fmt.g(Double($0)) }.joined(separator: ", ")): no NaN anywhere.
    """)

// MARK: - 2.2
book.section("2.2", "Zero-point: spend all 256 codes on [min, max]")
book.say(
    """
    Asymmetric ("zero-point") quantization maps the range [min, max] onto all 256 codes:
    nd = 255 / (max - min), an integer zero point zp = round(-min * nd) - 128, and
    q = clamp(round(x * nd) + zp, -128, 127), x' = (q - zp) / nd (the blog, same section; LLM.int8()
    §2.1). The same vector:
    """)
let blogZeroPoint = try ZeroPoint.quantize(blogVector)
let blogZeroPointBack = blogZeroPoint.dequantize().data
let nd = blogZeroPoint.scales[0]
let zp = blogZeroPoint.zeroPoints[0]
print("nd = 255 / (5.4 + 4.3) = \(Fmt.g(Double(nd), 9)), zp = round(4.3 * nd) - 128 = \(zp)")
print()
vectorTable(book, blogVector, blogZeroPoint, digits: 1)
print()
book.table(
    ["scheme", "scale", "MSE", "max |error|", "half a step"],
    [
        [
            "absmax", Fmt.g(Double(blogAbsmax.scales[0]), 6), Fmt.e(Statistics.mse(blogVector, blogAbsmaxBack)),
            Fmt.e(Statistics.maxAbsError(blogVector, blogAbsmaxBack)), Fmt.e(blogHalfStep),
        ],
        [
            "zero-point", Fmt.g(Double(nd), 6), Fmt.e(Statistics.mse(blogVector, blogZeroPointBack)),
            Fmt.e(Statistics.maxAbsError(blogVector, blogZeroPointBack)), Fmt.e(0.5 / Double(nd)),
        ],
    ])
print()
book.say(
    """
    Zero-point's step is finer (1/26.3 against 1/23.5), yet on these eight values its MSE is not
    smaller: with so few values, where each one happens to land between two codes decides; a
    finer step bounds the worst case, not every case.

    The blog's figure for this example shows other codes: [-7, -59, -128, -7, -105, -55, 12, 127].
    We do not reproduce them, because no affine map q = round(a * x + b) can produce them. The
    slope a (codes per unit of x) that each pair of entries implies should be the same:
    """)
let blogFigureCodes: [Double] = [-7, -59, -128, -7, -105, -55, 12, 127]
let slopePairs: [(Int, Int)] = [(0, 6), (1, 0), (2, 7), (4, 5)]
book.table(
    ["pair", "x", "blog's codes", "implied slope a"],
    slopePairs.map { i, j in
        [
            "\(i), \(j)", "\(Fmt.g(Double(blogVector[i]))) -> \(Fmt.g(Double(blogVector[j])))",
            "\(Int(blogFigureCodes[i])) -> \(Int(blogFigureCodes[j]))",
            Fmt.f((blogFigureCodes[j] - blogFigureCodes[i]) / Double(blogVector[j] - blogVector[i]), 1),
        ]
    })
print()
book.say(
    """
    Slopes from 12.8 to 30.6 codes per unit cannot all hold: rounding moves each code by at
    most 1/2, which changes a pair's slope by at most 1/(x_j - x_i), under one code per unit
    for these pairs. The figure is illustrative. The text's formula
    gives nd = 26.3 and zp = -15, which is what the library computes and what NumPy gives in
    float32 (see Tests/AbsmaxTests/BlogWorkedExampleTests.swift).

    Where zero-point pays off is one-sided data, such as the outputs of a ReLU: absmax leaves
    every negative code unused and so doubles its step.
    """)
let reluOutputs: [Float] = [0, 0.3, 1.7, 0.9, 2.6, 0.05, 1.1, 3.9]
let reluAbsmax = try Absmax.quantize(reluOutputs)
let reluZeroPoint = try ZeroPoint.quantize(reluOutputs)
book.table(
    ["", ""] + reluOutputs.indices.map(String.init),
    [
        ["x", ""] + reluOutputs.map { Fmt.f(Double($0), 2) },
        ["q", "absmax"] + reluAbsmax.codes.map { String($0) },
        ["q", "zero-point (zp = \(reluZeroPoint.zeroPoints[0]))"] + reluZeroPoint.codes.map { String($0) },
    ], leftAligned: [0, 1])
print()
book.table(
    ["scheme", "codes used", "step", "MSE", "max |error|"],
    [("absmax", reluAbsmax), ("zero-point", reluZeroPoint)].map { name, q in
        let back = q.dequantize().data
        return [
            name, "\(q.codes.min()!) .. \(q.codes.max()!)", Fmt.e(1 / Double(q.scales[0])),
            Fmt.e(Statistics.mse(reluOutputs, back)), Fmt.e(Statistics.maxAbsError(reluOutputs, back)),
        ]
    })
print()
let outside: Float = 6.0
let clamped = ZeroPoint.quantize(outside, scale: nd, zeroPoint: zp)
book.say(
    """
    Zero-point needs a clamp that absmax does not: a value outside the range the parameters were
    fitted to lands beyond the code range. With the blog vector's nd and zp, x = \(Fmt.g(Double(outside)))
    gives round(x * nd) + zp = \(Int((outside * nd).rounded(.toNearestOrEven)) + Int(zp)), clamped to \
    \(clamped), which dequantizes to \(Fmt.g(Double(ZeroPoint.dequantize(clamped, scale: nd, zeroPoint: zp)), 6)). \
    The price of zero-point in a matrix product is an extra term per zero point; LLM.int8() and
    bitsandbytes use absmax, and so does the rest of this chapter.
    """)

// MARK: - 2.3
book.section("2.3", "Granularity: which values share a scale")
book.say(
    """
    One scale can serve the whole tensor, each row (LLM.int8()'s "vector-wise" quantization,
    §3.1), each column, or each block of consecutive values of the flattened tensor (as in
    Dettmers et al.'s 8-bit optimizers and in NF4); when the block size does not divide the
    count, the last block is short. A 3 x 5 matrix with its largest value, -8.0, in row 2:
    """)
let small = Tensor(rows: [
    [0.50, -1.20, 2.00, 0.10, -0.30],
    [4.00, 0.20, -0.60, 1.50, -2.50],
    [-0.05, 0.30, 0.90, -8.00, 0.70],
])
for r in 0..<small.rows { print("  \(floatRow(small.row(r), digits: 2, width: 7))") }
print()
let granularities: [Granularity] = [.perTensor, .perRow, .perColumn, .blockwise(blockSize: 4)]
let smallQuantized = try granularities.map { try Absmax.quantize(small, granularity: $0) }
// The rest of the chapter reads one scale per row; with Exercise 2c blank there is one scale
// in all, so stop with a sentence rather than an index out of range.
let groupCounts = smallQuantized.map(\.scales.count)
if groupCounts != [1, small.rows, small.cols, (small.count + 3) / 4] {
    print("Granularity gives \(groupCounts) groups for \(granularities): finish Exercise 2c first.")
    exit(1)
}
book.table(
    ["row"] + granularities.map(\.description),
    (0..<small.rows).map { r in
        [String(r)] + smallQuantized.map { q in codeRow(q, row: r) }
    }, leftAligned: [0])
print()
book.table(
    ["granularity", "groups", "absmax of each group", "max |error|", "bits/value"],
    zip(granularities, smallQuantized).map { g, q in
        [
            g.description, String(q.scales.count),
            q.scales.map { Fmt.g(Double(127 / $0), 3) }.joined(separator: " "),
            Fmt.e(Statistics.maxAbsError(small.data, q.dequantize().data)), Fmt.f(q.bitsPerParameter, 2),
        ]
    })
print()
book.say(
    """
    Blocks of 4 cover flat indices 0-3, 4-7, 8-11 and the short block 12-14. Per tensor, -8.0
    sets the step for everybody (0.10 becomes code 2); per row only row 2 pays, per column only
    column 3. Each scale is a float32, so a group of g values costs 8 + 32/g bits per value:
    ruinous for this toy, 8.06 bits for a row of 512 weights, 8.5 bits for blocks of 64.
    """)

// MARK: - 2.4
book.section("2.4", "What a single outlier does")
let outlierRows = 256
let outlierCols = 256
let weightStd = 0.02
let outlierMultiple = 100.0
let outlierAt = (row: 37, col: 101)
let blockSize = 64
book.say(
    """
    A \(outlierRows) x \(outlierCols) weight matrix of N(0, \(weightStd)^2) values (a typical \
    initialisation) with one value set to \(Int(outlierMultiple)) sigma = \
    \(Fmt.g(outlierMultiple * weightStd)) at row \(outlierAt.row), column \(outlierAt.col). \
    The same matrix without the outlier (that value set to 0) is the reference line.
    """)
var cleanRNG = rng  // the same draws, so both matrices differ in one value only
let planted = PlantedOutlier.normalWeights(
    rows: outlierRows, cols: outlierCols, std: weightStd, outlierMultiple: outlierMultiple, at: outlierAt, rng: &rng)
let clean = PlantedOutlier.normalWeights(
    rows: outlierRows, cols: outlierCols, std: weightStd, outlierMultiple: 0, at: outlierAt, rng: &cleanRNG)

struct OutlierCase {
    let name: String
    let original: Tensor
    let quantized: QuantizedInt8
    var back: [Float] { quantized.dequantize().data }
}
let outlierGranularities: [(String, Granularity)] = [
    ("per tensor", .perTensor), ("per row", .perRow), ("per column", .perColumn),
    ("blockwise (\(blockSize))", .blockwise(blockSize: blockSize)),
]
let cases =
    [OutlierCase(name: "per tensor, no outlier", original: clean, quantized: try Absmax.quantize(clean))]
    + (try outlierGranularities.map { name, g in
        OutlierCase(name: name, original: planted, quantized: try Absmax.quantize(planted, granularity: g))
    })
book.table(
    ["granularity", "scales", "bits/value", "distinct codes", "% on codes -2..2", "MSE", "max |error|", "SQNR dB"],
    cases.map { c in
        let nearZero = c.quantized.codes.filter { abs(Int($0)) <= 2 }.count
        return [
            c.name, String(c.quantized.scales.count), Fmt.f(c.quantized.bitsPerParameter, 3),
            String(c.quantized.distinctCodes), Fmt.f(100 * Double(nearZero) / Double(c.quantized.count), 1),
            Fmt.e(Statistics.mse(c.original.data, c.back)), Fmt.e(Statistics.maxAbsError(c.original.data, c.back)),
            Fmt.f(Statistics.sqnr(c.original.data, c.back), 1),
        ]
    })
print()
let perTensorCase = cases[1]
let perRowCase = cases[2]
let rowAbsmax = perRowCase.quantized.scales.map { Double(127 / $0) }
let otherRows = rowAbsmax.enumerated().filter { $0.offset != outlierAt.row }.map { Float($0.element) }
let rmse = cases.map { Statistics.mse($0.original.data, $0.back).squareRoot() }
let sqnr = cases.map { Statistics.sqnr($0.original.data, $0.back) }
book.say(
    """
    Per tensor, the outlier sets the step to \(Fmt.g(outlierMultiple * weightStd))/127 = \
    \(Fmt.g(1 / Double(perTensorCase.quantized.scales[0]), 3)), about \
    \(Fmt.f(1 / Double(perTensorCase.quantized.scales[0]) / weightStd, 2)) sigma, so \
    \(Fmt.f(100 * Double(perTensorCase.quantized.codes.filter { abs(Int($0)) <= 2 }.count) / Double(planted.count), 1))% \
    of the weights land on the five codes -2..2 and the matrix uses \(perTensorCase.quantized.distinctCodes) \
    of 255 codes: its RMS error is \(Fmt.ratio(rmse[1] / rmse[2])) that of per-row scales. \
    Per row, only row \(outlierAt.row) pays (absmax \(Fmt.g(rowAbsmax[outlierAt.row], 3)) against a median \
    of \(Fmt.g(Statistics.quantile(otherRows, 0.5), 3)) for the other rows); per column only column \
    \(outlierAt.col), blockwise only one block of \(blockSize). \
    Per row and per column end within \(Fmt.f(sqnr[0] - sqnr[2], 1)) dB of the matrix without the \
    outlier (the outlier's own row or column still has per-tensor's coarse step, and its \
    \(outlierCols) values carry most of the remaining error), and blocks of \(blockSize) beat it by \
    \(Fmt.f(sqnr[4] - sqnr[0], 1)) dB, because a small block's absmax is smaller than a whole \
    tensor's. The price is 1/8 and 1/2 bit per value for the scales.
    """)
// Shared bins: every granularity's errors are counted in the same log10 bins.
// Per column is left out: its histogram lies on top of per row's.
let errorSeries: [(name: String, values: [Double])] = [cases[1], cases[2], cases[4]].map { c in
    (c.name, zip(c.original.data, c.back).compactMap { x, y -> Double? in
        x == y ? nil : Math.log10(abs(Double(y) - Double(x)))
    })
}
book.figure(
    Charts.histogram(
        title: "One outlier: per-tensor RMS error is \(Fmt.ratio(rmse[1] / rmse[2])) per-row's",
        xLabel: "log10 |dequantized - original| (weight units)", yLabel: "weights",
        series: errorSeries, bins: 88, range: -7...(-1.5)),
    "outlier-error-histograms",
    caption: "log10 absolute error per tensor, per row, blockwise (64), shared bins (per column = per row)")
let codeSeries: [(name: String, values: [Double])] = [cases[1], cases[2], cases[4]].map { c in
    (c.name, c.quantized.codes.map { Double($0) })
}
book.figure(
    Charts.histogram(
        title: "Per tensor, the outlier leaves \(perTensorCase.quantized.distinctCodes) of 255 codes in use",
        xLabel: "int8 code q", yLabel: "weights (log scale)",
        series: codeSeries, bins: 255, range: -127.5...127.5, yScale: .log10),
    "levels-used", caption: "how often each code occurs: per tensor, per row, blockwise (\(blockSize))")

// MARK: - 2.5
book.section("2.5", "Int8 matrix multiplication: multiply integers, rescale once")
book.say(
    """
    With one scale per row of A (tokens x features) and one per row of B (out x in, the
    nn.Linear layout), every product term of C = A B^T shares the scale s_A[i] s_B[j], so it can
    be pulled out of the sum: C[i][j] ~ (sum_p qA[i][p] qB[j][p]) / (s_A[i] s_B[j]). The sum is
    over integers (int8 x int8, accumulated in Int32) and exact; only the inputs were rounded
    (LLM.int8() §2.2 and §3.1; the blog, "A gentle summary of LLM.int8()"). By hand first:
    """)
let aSmall = Tensor(rows: [
    [0.9, -2.0, 0.4, 1.3],
    [-0.3, 0.8, 3.1, -1.1],
])
let bSmall = Tensor(rows: [
    [0.25, 0.10, -0.40, 0.05],
    [-0.15, 0.30, 0.20, -0.35],
    [0.05, -0.45, 0.10, 0.20],
])
let qa = try Absmax.quantize(aSmall, granularity: .perRow)
let qb = try Absmax.quantize(bSmall, granularity: .perRow)
let cInt = Int8Matmul.naive(qa.codes, qb.codes, m: aSmall.rows, k: aSmall.cols, n: bSmall.rows)
let cHat = Int8Matmul.dequantize(cInt, rowScales: qa.scales, colScales: qb.scales)
let cFloat = FloatMatmul.naive(aSmall.data, bSmall.transposed().data, m: aSmall.rows, k: aSmall.cols, n: bSmall.rows)
book.table(
    ["", "values", "scale s = 127/absmax", "codes"],
    (0..<aSmall.rows).map { r in
        ["A row \(r)", floatRow(aSmall.row(r), digits: 2, width: 7), Fmt.g(Double(qa.scales[r]), 6), codeRow(qa, row: r)]
    }
        + (0..<bSmall.rows).map { r in
            ["B row \(r)", floatRow(bSmall.row(r), digits: 2, width: 7), Fmt.g(Double(qb.scales[r]), 6), codeRow(qb, row: r)]
        }, leftAligned: [0])
print()
book.table(
    ["i, j", "Int32 sum", "s_A s_B", "int8 result", "float result", "error"],
    (0..<(aSmall.rows * bSmall.rows)).map { t in
        let (i, j) = (t / bSmall.rows, t % bSmall.rows)
        return [
            "\(i), \(j)", String(cInt[t]), Fmt.g(Double(qa.scales[i] * qb.scales[j]), 6),
            Fmt.f(Double(cHat[t]), 5), Fmt.f(Double(cFloat[t]), 5), Fmt.e(Double(cHat[t] - cFloat[t])),
        ]
    })
print()
let tokens = 64
let features = 512
let outFeatures = 256
book.say(
    """
    At layer size: X is \(tokens) tokens x \(features) features of N(0, 1) activations, W is \
    \(outFeatures) x \(features) weights of N(0, \(weightStd)^2), both quantized per row.
    """)
let x = Tensor(shape: [tokens, features], data: rng.normalFloats(tokens * features))
let w = Tensor(shape: [outFeatures, features], data: rng.normalFloats(outFeatures * features, std: weightStd))
let qx = try Absmax.quantize(x, granularity: .perRow)
let qw = try Absmax.quantize(w, granularity: .perRow)
let accNaive = Int8Matmul.naive(qx.codes, qw.codes, m: tokens, k: features, n: outFeatures)
let accFast = Int8Matmul.fast(qx.codes, qw.codes, m: tokens, k: features, n: outFeatures)
let yInt8 = Int8Matmul.dequantize(accFast, rowScales: qx.scales, colScales: qw.scales)
let wT = w.transposed().data
let yFloat = FloatMatmul.fast(x.data, wT, m: tokens, k: features, n: outFeatures)
let yOfDequantized = FloatMatmul.fast(
    qx.dequantize().data, qw.dequantize().transposed().data, m: tokens, k: features, n: outFeatures)
// ||Y_int8 - Y|| / ||Y||: the RMS error over the RMS of Y.
let relativeToFloat = (Statistics.mse(yFloat, yInt8) / Statistics.mse(yFloat, [Float](repeating: 0, count: yFloat.count)))
    .squareRoot()
let maxAcc = accFast.map { abs(Int($0)) }.max()!
book.table(
    ["check", "value"],
    [
        ["Int32 sums where naive != fast", String(zip(accNaive, accFast).filter { $0 != $1 }.count)],
        ["largest |Int32 sum|", String(maxAcc)],
        ["relative error ||Y_int8 - Y|| / ||Y||", Fmt.e(relativeToFloat)],
        ["SQNR of Y_int8 (dB)", Fmt.f(Statistics.sqnr(yFloat, yInt8), 1)],
        ["max |Y_int8 - (dequantized X)(dequantized W)^T|", Fmt.e(Statistics.maxAbsError(yOfDequantized, yInt8))],
        ["max |Y|", Fmt.g(Double(Statistics.absmax(yFloat)), 4)],
    ])
print()
book.say(
    """
    The naive loop and the blocked kernel give the same integers (integer addition is
    associative). The int8 result differs from the float product by about 1% of its size, and
    from the float product of the dequantized inputs only by float rounding: all of the error
    comes from rounding the inputs, none from the integer arithmetic.
    """)

// MARK: - 2.6
book.section("2.6", "Why the accumulator must be 32 bits wide")
book.say(
    """
    One product of two absmax codes (-127..127) is at most 127 * 127 = 16129 in magnitude, and an Int16
    holds 32767: \(Int16Accumulation.safeTerms()) products always fit, a third may not. \
    Hardware adds modulo 2^16, so an overflow does not trap: the sum silently wraps to a wrong
    number of the wrong sign. The worst case, step by step:
    """)
let worstA: [Int8] = [127, 127, 127, 127, -127]
let worstB: [Int8] = [127, 127, 127, 127, 127]
let worst = Int16Accumulation.dot(worstA, worstB)
book.table(
    ["t", "a", "b", "a * b", "exact sum (Int32)", "Int16 sum", ""],
    worstA.indices.map { t in
        [
            String(t), String(worstA[t]), String(worstB[t]), String(Int(worstA[t]) * Int(worstB[t])),
            String(worst.exactPartialSums[t]), String(worst.wrappedPartialSums[t]),
            t == worst.firstOverflow
                ? "<- first overflow" : (Int32(worst.wrappedPartialSums[t]) != worst.exactPartialSums[t] ? "wrong" : ""),
        ]
    })
print()
var overflowed = 0
var wrongAtEnd = 0
var firstOverflows: [Float] = []
for i in 0..<tokens {
    let aRow = Array(qx.codes[(i * features)..<((i + 1) * features)])
    for j in 0..<outFeatures {
        let trace = Int16Accumulation.dot(aRow, Array(qw.codes[(j * features)..<((j + 1) * features)]))
        if let t = trace.firstOverflow {
            overflowed += 1
            firstOverflows.append(Float(t))
        }
        if Int32(trace.wrappedSum) != trace.exactSum { wrongAtEnd += 1 }
    }
}
let dots = tokens * outFeatures
book.say(
    """
    Real data is not the worst case, but it does not need to be. The \(dots) dot products of \
    length \(features) in 2.5, accumulated in an Int16 instead:
    """)
book.table(
    ["dot products", "overflowed at some step", "wrong at the end", "median step of first overflow"],
    [[
        String(dots), "\(overflowed) (\(Fmt.f(100 * Double(overflowed) / Double(dots), 1))%)",
        "\(wrongAtEnd) (\(Fmt.f(100 * Double(wrongAtEnd) / Double(dots), 1))%)",
        firstOverflows.isEmpty ? "-" : Fmt.g(Statistics.quantile(firstOverflows, 0.5)),
    ]])
print()
let int32Max = Int(Int32.max)
book.say(
    """
    An Int32 holds 2^31 - 1 = \(Fmt.grouped(int32Max)): floor(\(Fmt.grouped(int32Max)) / 127^2) = \
    \(Fmt.grouped(int32Max / (127 * 127))) worst-case products of absmax codes (which stay in \
    -127..127), or floor(\(Fmt.grouped(int32Max)) / 128^2) = \(Fmt.grouped(int32Max / (128 * 128))) \
    if code -128 may occur, as with zero-point; Int8Matmul checks the smaller bound \
    (maxInnerDimension = \(Fmt.grouped(Int8Matmul.maxInnerDimension))). Int8 GEMM hardware (and \
    bitsandbytes' int8 matmul) accumulates in 32 bits, which is also why the rescale in 2.5 can
    wait until the very end.

    Exercises 2a-2e (2a absmax, 2b zero-point, 2c granularity, 2d the Int32 matmul and its
    rescale, 2e the Int16 overflow): `scripts/exercise start 2a` blanks one function body in
    Sources/Absmax, `scripts/exercise check 2a` runs its tests, `scripts/exercise hint 2a` says
    what to read, `scripts/exercise reset 2a` puts the solution back.

    Chapter 3 takes these pieces to LLM.int8(): what to do when the outliers are not one weight
    but whole feature dimensions of the activations.
    """)
