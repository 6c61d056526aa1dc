import Book
import FloatFormats

/// 1.2: a few values rounded to every format, bit by bit.
func workedEncodingsSection(_ book: Notebook, values: [Float]) {
    book.section("1.2", "Worked encodings")
    book.say(
        """
        Each value below is rounded to nearest, ties to even, in every format. The bits are shown as
        sign | exponent | mantissa; the relative error is |stored - x| / |x|.
        """)
    for x in values {
        print("x = \(Fmt.g(Double(x), 9))")
        let rows = FloatFormat.all.map { format in
            let encoding = format.explain(x)
            var note = encoding.kind.rawValue
            if encoding.overflowed {
                let to = encoding.kind == .nan ? "NaN" : encoding.kind == .infinity ? "inf" : "max"
                note = "overflow -> \(to)"
            }
            if encoding.kind == .zero && x != 0 { note = "underflow -> 0" }
            let error = encoding.relativeError.isFinite ? Fmt.e(encoding.relativeError) : "-"
            return [format.name, encoding.bitString, Fmt.g(Double(encoding.value), 9), error, note]
        }
        book.table(
            ["format", "bits (s e m)", "stored", "rel. error", "kind"], rows,
            leftAligned: [0, 1, 4])
        print()
    }
}
