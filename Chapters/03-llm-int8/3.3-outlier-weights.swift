import Book
import Core
import LLMInt8

/// 3.3: bitsandbytes multiplies the outlier columns by dequantized int8 weights, the paper by
/// the original ones.
func outlierWeightsSection(
    _ book: Notebook, _ toy: ToyProduct,
    _ products: (vectorwise: LLMInt8Product, mixed: LLMInt8Product),
    threshold: Float
) {
    book.section("3.3", "Which weights meet the outlier columns: bitsandbytes or the paper")
    book.say(
        """
        The paper (§3.2) multiplies the outlier columns by the original 16-bit weights. \
        bitsandbytes at inference no longer has them (Linear8bitLt keeps only the int8 codes CB \
        and the row absmax SCB), so it uses the dequantized weights CB * SCB / 127. \
        LLMInt8Options(outlierWeights:) picks one; bitsandbytes' behaviour is the default. Column \
        2 of W, both ways:
        """)
    let (x, w) = (toy.x, toy.w)
    let paper = book.attempt("LLM.int8()") {
        try LLMInt8.matmul(
            x, w, options: LLMInt8Options(threshold: threshold, outlierWeights: .original))
    }
    let wDequantized = toy.wq.dequantized()
    book.table(
        ["W column 2", "original", "CB * SCB / 127", "difference"],
        (0..<w.rows).map { j in
            [
                "out \(j)", Fmt.f(Double(w[j, 2]), 6), Fmt.f(Double(wDequantized[j, 2]), 6),
                Fmt.e(Double(wDequantized[j, 2] - w[j, 2])),
            ]
        })
    print()
    func error(_ p: LLMInt8Product) -> String {
        Fmt.e(OutlierStudy.relativeError(p.output, reference: toy.yFloat))
    }
    book.table(
        ["method", "relative error vs float"],
        [
            ["vector-wise int8 (threshold 0)", error(products.vectorwise)],
            ["LLM.int8(), dequantized int8 outlier weights (bitsandbytes)", error(products.mixed)],
            ["LLM.int8(), original outlier weights (the paper)", error(paper)],
        ])
    print()
    let difference = Statistics.maxAbsError(products.mixed.output.data, paper.output.data)
    book.say(
        """
        The two LLM.int8() outputs differ by at most \(Fmt.e(difference)) (the outputs reach \
        \(Fmt.g(Double(Statistics.absmax(toy.yFloat.data)), 3))): the weights' rounding error, up \
        to half a step of their row, multiplied by outlier activations of about 20. Small, but on \
        this toy it is most of what is left of LLM.int8()'s error.
        """)
}
