import Absmax
import Book
import Core

/// 2.3: one scale per tensor, row, column or block on a 3 x 5 matrix.
func granularitySection(_ book: Notebook) {
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
    for r in 0..<small.rows { print("  \(Fmt.row(small.row(r), digits: 2, width: 7))") }
    print()
    let granularities: [Granularity] = [.perTensor, .perRow, .perColumn, .blockwise(blockSize: 4)]
    let quantized = granularities.map { g in
        book.attempt("absmax \(g)") { try Absmax.quantize(small, granularity: g) }
    }
    // The tables read one scale per row; with Exercise 2c blank there is one scale in all, so
    // stop with a sentence rather than an index out of range.
    let groupCounts = quantized.map(\.scales.count)
    if groupCounts != [1, small.rows, small.cols, (small.count + 3) / 4] {
        book.fail(
            "Granularity gives \(groupCounts) groups for \(granularities): "
                + "finish Exercise 2c first.")
    }
    // Two granularities per table, so that a row of codes stays under 100 columns.
    for pair in [[0, 1], [2, 3]] {
        book.table(
            ["row"] + pair.map { granularities[$0].description },
            (0..<small.rows).map { r in
                [String(r)] + pair.map { codeRow(quantized[$0], row: r) }
            }, leftAligned: [0])
        print()
    }
    book.table(
        ["granularity", "groups", "absmax of each group", "max |error|", "bits/value"],
        zip(granularities, quantized).map { g, q in
            [
                g.description, String(q.scales.count),
                q.scales.map { Fmt.g(Double(127 / $0), 3) }.joined(separator: " "),
                Fmt.e(Statistics.maxAbsError(small.data, q.dequantize().data)),
                Fmt.f(q.bitsPerParameter, 2),
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
}

/// Row `r` of a quantized matrix's codes as one fixed-width row: "  28  -12 -101".
func codeRow(_ q: QuantizedInt8, row r: Int) -> String {
    let cols = q.shape[1]
    return Fmt.row(q.codes[(r * cols)..<((r + 1) * cols)], width: 5)
}
