import Absmax
import Book
import Core

/// 2.2: zero-point on the blog's vector, why the blog figure's codes cannot be affine,
/// one-sided data, and the clamp.
func zeroPointSection(_ book: Notebook, blogVector: [Float], blogAbsmax: QuantizedInt8) {
    book.section("2.2", "Zero-point: spend all 256 codes on [min, max]")
    book.say(
        """
        Asymmetric ("zero-point") quantization maps the range [min, max] onto all 256 codes: nd = \
        255 / (max - min), an integer zero point zp = round(-min * nd) - 128, and q = \
        clamp(round(x * nd) + zp, -128, 127), x' = (q - zp) / nd (the blog, same section; \
        LLM.int8() §2.1). The same vector:
        """)
    let zeroPoint = book.attempt("zero-point of the blog's vector") {
        try ZeroPoint.quantize(blogVector)
    }
    let nd = zeroPoint.scales[0]
    let zp = zeroPoint.zeroPoints[0]
    print("nd = 255 / (5.4 + 4.3) = \(Fmt.g(Double(nd), 9)), zp = round(4.3 * nd) - 128 = \(zp)")
    print()
    vectorTable(book, blogVector, zeroPoint, digits: 1)
    print()
    book.table(
        ["scheme", "scale", "MSE", "max |error|", "half a step"],
        [errorRow("absmax", blogVector, blogAbsmax), errorRow("zero-point", blogVector, zeroPoint)])
    print()
    book.say(
        """
        Zero-point's step is finer (1/26.3 against 1/23.5), yet on these eight values its MSE is not
        smaller: with so few values, where each one happens to land between two codes decides; a
        finer step bounds the worst case, not every case.

        The blog's figure for this example shows other codes:
        [-7, -59, -128, -7, -105, -55, 12, 127]. We do not reproduce them, because no affine map
        q = round(a * x + b) can produce them. The
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
                Fmt.f(
                    (blogFigureCodes[j] - blogFigureCodes[i])
                        / Double(blogVector[j] - blogVector[i]), 1),
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
    oneSidedComparison(book)
    let outside: Float = 6.0
    let clamped = ZeroPoint.quantize(outside, scale: nd, zeroPoint: zp)
    let unclamped = Int((outside * nd).rounded(.toNearestOrEven)) + Int(zp)
    let back = ZeroPoint.dequantize(clamped, scale: nd, zeroPoint: zp)
    book.say(
        """
        Zero-point needs a clamp that absmax does not: a value outside the range the parameters
        were fitted to lands beyond the code range. With the blog vector's nd and zp, \
        x = \(Fmt.g(Double(outside))) gives round(x * nd) + zp = \(unclamped), clamped to \
        \(clamped), which dequantizes to \(Fmt.g(Double(back), 6)). \
        The price of zero-point in a matrix product is an extra term per zero point; LLM.int8() and
        bitsandbytes use absmax, and so does the rest of this chapter.
        """)
}

/// Absmax against zero-point on eight ReLU outputs, where every value is ≥ 0.
func oneSidedComparison(_ book: Notebook) {
    let relu: [Float] = [0, 0.3, 1.7, 0.9, 2.6, 0.05, 1.1, 3.9]
    let absmax = book.attempt("absmax of ReLU outputs") { try Absmax.quantize(relu) }
    let zeroPoint = book.attempt("zero-point of ReLU outputs") { try ZeroPoint.quantize(relu) }
    book.table(
        ["", ""] + relu.indices.map(String.init),
        [
            ["x", ""] + relu.map { Fmt.f(Double($0), 2) },
            ["q", "absmax"] + absmax.codes.map { String($0) },
            ["q", "zero-point (zp = \(zeroPoint.zeroPoints[0]))"]
                + zeroPoint.codes.map { String($0) },
        ], leftAligned: [0, 1])
    print()
    book.table(
        ["scheme", "codes used", "step", "MSE", "max |error|"],
        [("absmax", absmax), ("zero-point", zeroPoint)].map { name, q in
            let back = q.dequantize().data
            return [
                name, "\(q.codes.min()!) .. \(q.codes.max()!)", Fmt.e(1 / Double(q.scales[0])),
                Fmt.e(Statistics.mse(relu, back)), Fmt.e(Statistics.maxAbsError(relu, back)),
            ]
        })
    print()
}
