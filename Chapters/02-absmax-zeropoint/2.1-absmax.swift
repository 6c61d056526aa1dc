import Absmax
import Book
import Core

/// 2.1: absmax on the int8 blog post's worked example, ties to even, and an all-zero group.
/// Returns the blog's vector and its absmax quantization, which 2.2 compares with zero-point.
func absmaxSection(_ book: Notebook) -> (vector: [Float], quantized: QuantizedInt8) {
    book.section("2.1", "Absmax: scale the largest magnitude to 127")
    book.say(
        """
        Symmetric ("absmax") quantization keeps zero at code 0 and stretches the largest magnitude
        of a group to 127: s = 127 / max|x|, q = round(x * s) with ties to even, and back
        x' = q / s (Belkada & Dettmers 2022, "Introduction to model quantization"; Dettmers et al.
        2022, LLM.int8() §2.1). The blog's worked example, reproduced, with the mean squared
        error (MSE) and the largest error of x' against x:
        """)
    let vector: [Float] = [1.2, -0.5, -4.3, 1.2, -3.1, 0.8, 2.4, 5.4]
    let quantized = book.attempt("absmax of the blog's vector") { try Absmax.quantize(vector) }
    print("max|x| = \(Fmt.g(Double(Statistics.absmax(vector)))), ", terminator: "")
    print("s = 127 / 5.4 = \(Fmt.g(Double(quantized.scales[0]), 9))  (the blog: 23.5)")
    print()
    vectorTable(book, vector, quantized, digits: 1)
    print()
    book.table(
        ["scheme", "scale", "MSE", "max |error|", "half a step"],
        [errorRow("absmax", vector, quantized)])
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
    let allZero = book.attempt("absmax of zeros") { try Absmax.quantize([0, 0, 0, 0]) }
    let zerosBack = allZero.dequantize().data.map { Fmt.g(Double($0)) }.joined(separator: ", ")
    book.say(
        """
        And an all-zero group has max|x| = 0, where 127 / 0 = inf and 0 * inf = NaN. The library
        stores scale \(Fmt.g(Double(allZero.scales[0]))) for it (Absmax.scale(forAbsmax: 0)), so \
        the codes are \(allZero.codes.map { String($0) }.joined(separator: ", ")) and they \
        dequantize to \(zerosBack): \
        no NaN anywhere.
        """)
    return (vector, quantized)
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

/// A scheme's row of the error tables of 2.1 and 2.2: its scale, MSE, largest error and half
/// its step (one scale for the whole vector).
func errorRow(_ name: String, _ x: [Float], _ q: QuantizedInt8) -> [String] {
    let back = q.dequantize().data
    let scale = Double(q.scales[0])
    return [
        name, Fmt.g(scale, 6), Fmt.e(Statistics.mse(x, back)),
        Fmt.e(Statistics.maxAbsError(x, back)),
        Fmt.e(0.5 / scale),
    ]
}
