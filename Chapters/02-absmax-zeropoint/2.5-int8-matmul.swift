import Absmax
import Book
import Core

/// 2.5: the int8 matmul with one scale per row, by hand and at layer size. Returns the
/// layer's quantized X and W, whose dot products 2.6 accumulates in an Int16.
func int8MatmulSection(
    _ book: Notebook, tokens: Int, features: Int, outFeatures: Int, weightStd: Double,
    rng: inout SeededRNG
) -> (x: QuantizedInt8, w: QuantizedInt8) {
    book.section("2.5", "Int8 matrix multiplication: multiply integers, rescale once")
    book.say(
        """
        With one scale per row of A (tokens x features) and one per row of B (out x in, the
        nn.Linear layout), every product term of C = A B^T shares the scale s_A[i] s_B[j], so it can
        be pulled out of the sum: C[i][j] ~ (sum_p qA[i][p] qB[j][p]) / (s_A[i] s_B[j]). The sum is
        over integers (int8 x int8, accumulated in Int32) and exact; only the inputs were rounded
        (LLM.int8() §2.2 and §3.1; the blog, "A gentle summary of LLM.int8()"). By hand first:
        """)
    byHandProduct(book)
    book.say(
        """
        At layer size: X is \(tokens) tokens x \(features) features of N(0, 1) activations, W is \
        \(outFeatures) x \(features) weights of N(0, \(weightStd)^2), both quantized per row.
        """)
    let x = Tensor(shape: [tokens, features], data: rng.normalFloats(tokens * features))
    let w = Tensor(
        shape: [outFeatures, features],
        data: rng.normalFloats(outFeatures * features, std: weightStd))
    let qx = quantize(book, x, .perRow)
    let qw = quantize(book, w, .perRow)
    let accNaive = Int8Matmul.referenceProduct(
        qx.codes, qw.codes, m: tokens, k: features, n: outFeatures)
    let accFast = Int8Matmul.product(qx.codes, qw.codes, m: tokens, k: features, n: outFeatures)
    let yInt8 = Int8Matmul.dequantize(accFast, rowScales: qx.scales, colScales: qw.scales)
    let yFloat = Matmul.productTransposingB(
        x.data, w.data, m: tokens, k: features, n: outFeatures)
    let yOfDequantized = Matmul.productTransposingB(
        qx.dequantize().data, qw.dequantize().data, m: tokens, k: features, n: outFeatures)
    // ||Y_int8 - Y|| / ||Y||: the RMS error over the RMS of Y.
    let zeros = [Float](repeating: 0, count: yFloat.count)
    let relativeToFloat = (Statistics.mse(yFloat, yInt8) / Statistics.mse(yFloat, zeros))
        .squareRoot()
    book.table(
        ["check", "value"],
        [
            [
                "Int32 sums where naive != fast",
                String(zip(accNaive, accFast).filter { $0 != $1 }.count),
            ],
            ["largest |Int32 sum|", String(accFast.map { abs(Int($0)) }.max()!)],
            ["relative error ||Y_int8 - Y|| / ||Y||", Fmt.e(relativeToFloat)],
            ["SQNR of Y_int8 (dB)", Fmt.f(Statistics.sqnr(yFloat, yInt8), 1)],
            [
                "max |Y_int8 - (dequantized X)(dequantized W)^T|",
                Fmt.e(Statistics.maxAbsError(yOfDequantized, yInt8)),
            ],
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
    return (qx, qw)
}

/// A 2 x 4 A times a 3 x 4 B, every Int32 sum and its rescale printed.
func byHandProduct(_ book: Notebook) {
    let a = Tensor(rows: [
        [0.9, -2.0, 0.4, 1.3],
        [-0.3, 0.8, 3.1, -1.1],
    ])
    let b = Tensor(rows: [
        [0.25, 0.10, -0.40, 0.05],
        [-0.15, 0.30, 0.20, -0.35],
        [0.05, -0.45, 0.10, 0.20],
    ])
    let qa = quantize(book, a, .perRow)
    let qb = quantize(book, b, .perRow)
    let cInt = Int8Matmul.referenceProduct(qa.codes, qb.codes, m: a.rows, k: a.cols, n: b.rows)
    let cHat = Int8Matmul.dequantize(cInt, rowScales: qa.scales, colScales: qb.scales)
    let cFloat = Matmul.referenceProduct(
        a.data, b.transposed().data, m: a.rows, k: a.cols, n: b.rows)
    func row(_ name: String, _ t: Tensor, _ q: QuantizedInt8, _ r: Int) -> [String] {
        [
            name, Fmt.row(t.row(r), digits: 2, width: 7), Fmt.g(Double(q.scales[r]), 6),
            codeRow(q, row: r),
        ]
    }
    book.table(
        ["", "values", "scale s = 127/absmax", "codes"],
        (0..<a.rows).map { row("A row \($0)", a, qa, $0) }
            + (0..<b.rows).map { row("B row \($0)", b, qb, $0) },
        leftAligned: [0])
    print()
    book.table(
        ["i, j", "Int32 sum", "s_A s_B", "int8 result", "float result", "error"],
        (0..<(a.rows * b.rows)).map { t in
            let (i, j) = (t / b.rows, t % b.rows)
            return [
                "\(i), \(j)", String(cInt[t]), Fmt.g(Double(qa.scales[i] * qb.scales[j]), 6),
                Fmt.f(Double(cHat[t]), 5), Fmt.f(Double(cFloat[t]), 5),
                Fmt.e(Double(cHat[t] - cFloat[t])),
            ]
        })
    print()
}
