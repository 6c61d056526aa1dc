import Book
import Core
import LLMInt8

/// 3.2: the outlier column leaves the int8 product and is multiplied in float. Returns the
/// toy's products without decomposition and with it (bitsandbytes' outlier weights).
func decompositionSection(
    _ book: Notebook, _ toy: ToyProduct, threshold: Float
)
    -> (vectorwise: LLMInt8Product, mixed: LLMInt8Product)
{
    book.section("3.2", "Mixed-precision decomposition: the outlier columns stay in float")
    book.say(
        """
        LLM.int8()'s second half (§3.2): a feature column of X is an outlier column when any of \
        its values reaches the threshold, |x| >= \(Fmt.g(Double(threshold))). Those values are set \
        to 0 before the row absmax is taken, the whole column's codes are zeroed, and the outlier \
        columns are multiplied in floating point and added back: Y = X[:, O] W[:, O]^T (float) + \
        the int8 product of the rest.
        """)
    let (x, w) = (toy.x, toy.w)
    let xq6 = book.attempt("quantize X") {
        try VectorwiseQuantizer.quantize(x, threshold: threshold)
    }
    book.table(
        ["token", "row absmax, threshold 0", "row absmax, threshold 6", "codes, threshold 6"],
        (0..<x.rows).map { r in
            [
                String(r), Fmt.g(Double(toy.xq0.rowAbsmax[r])), Fmt.g(Double(xq6.rowAbsmax[r])),
                codes(xq6, row: r),
            ]
        })
    print()
    print("outlier columns: \(xq6.outlierColumns)")
    print()
    let vectorwise = book.attempt("LLM.int8()") {
        try LLMInt8.matmul(x, w, options: LLMInt8Options(threshold: 0))
    }
    let mixed = book.attempt("LLM.int8()") {
        try LLMInt8.matmul(x, w, options: LLMInt8Options(threshold: threshold))
    }
    func rows(_ t: Tensor, _ i: Int) -> String { Fmt.row(t.row(i), digits: 4, width: 9) }
    // Two tables of two columns each, so that every line stays under 100 columns.
    book.table(
        ["token", "int8 part", "float part (column 2)"],
        (0..<x.rows).map { i in [String(i), rows(mixed.int8Part, i), rows(mixed.floatPart, i)] })
    print()
    book.table(
        ["token", "LLM.int8() = sum", "float X W^T"],
        (0..<x.rows).map { i in [String(i), rows(mixed.output, i), rows(toy.yFloat, i)] })
    print()
    let errors = (
        vectorwise: OutlierStudy.relativeError(vectorwise.output, reference: toy.yFloat),
        mixed: OutlierStudy.relativeError(mixed.output, reference: toy.yFloat)
    )
    book.table(
        ["method", "relative error ||Y_hat - Y|| / ||Y||"],
        [
            ["vector-wise int8 (threshold 0)", Fmt.e(errors.vectorwise)],
            ["LLM.int8() (threshold 6)", Fmt.e(errors.mixed)],
        ])
    print()
    book.say(
        """
        Column 2 leaves the int8 product; tokens 0 and 2 get their small features back on the full
        code range (-0.6 is now code \(xq6.codes[4])), and the error drops by a factor \
        \(Fmt.f(errors.vectorwise / errors.mixed, 1)). \
        Tokens 1 and 3 had no outlier, but column 2 is zeroed for them too: their -0.4 and 0.3 in
        that column travel through the float path.
        """)
    return (vectorwise, mixed)
}
