import Book
import GGML

/// 11.5: every scheme of the book on one trained layer, bits per weight against error.
/// Returns the points, which 11.6 compares with the heavy-tailed matrix's.
func paretoSection(
    _ book: Notebook, setup: GGUFSetup, formats: [any BlockFormat.Type], layer: String
) -> [ParetoPoint] {
    book.section("11.5", "The Pareto front: bits per weight against error")
    let (w, rows, columns) = setup.weight(layer)
    let calibration = setup.inputs[layer]!
    let heldOut = setup.heldOutInputs[layer]!
    book.say(
        """
        Every scheme of the book on one layer, \(layer) (\(rows) x \(columns): its 256-wide rows
        take every block type, super-blocks of 256 included). Bits are what each format stores
        (codes, scales, zeros, minimums); the error is the layer's relative output error
        ||X W^T - X W'^T||^2 / ||X W^T||^2 on \(heldOut.rows) held-out input rows. GPTQ and AWQ
        calibrate on the \(calibration.rows) calibration rows (a different text sample), in
        groups of 32 as in Chapters 9 and 10: the posts' g128 does not fit TinyGPT's 64-wide
        layers; its constants would cost (16 + b) / 128 bits per weight, here (16 + b) / 32.
        """)
    let points = book.attempt("the schemes") {
        try paretoPoints(
            w, rows: rows, columns: columns, calibration: calibration, heldOut: heldOut,
            windowLength: setup.calibration.windowLength, formats: formats)
    }
    let front = paretoFront(points)
    paretoTable(book, points, front: front)
    paretoFigure(
        book, points: points, front: front,
        title: "Bits per weight against output error (one TinyGPT layer)", name: "pareto",
        caption: "every scheme of the book on one layer; the front's points labelled")
    let q80 = points.first { $0.label == "Q8_0" }!
    book.check(front.contains { $0.label == "Q8_0" } || front.last!.bits < q80.bits,
               "Q8_0 is on the front or beaten at fewer bits")
    book.check(front.count >= 3, "the front has at least three schemes")
    book.say(
        """
        The front (*) is the list a reader choosing a format needs: for each budget of bits, the
        scheme nothing cheaper beats. \(front.count) of \(points.count) schemes are on it:
        \(front.map(\.label).joined(separator: ", ")). Everything else is dominated - another
        scheme stores fewer bits with less error. Data-aware schemes (GPTQ, AWQ) buy their place
        with calibration text; the block formats need none.
        """)
    return points
}
