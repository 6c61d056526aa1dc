import Book
import GPTQ

/// 9.3: GPTQ's min-max grid and round-to-nearest, the baseline every later number is
/// measured against.
func gridSection(_ book: Notebook, study: LayerStudy, setup: GPTQSetup) {
    book.section("9.3", "The min-max grid and round-to-nearest")
    book.say(
        """
        GPTQ keeps the simplest grid (§5: "standard uniform per-channel asymmetric
        quantization on the min-max grid"), the reference's Quantizer (exercise 9c): per row,
        or per group of G input columns, xmin = min(min w, 0) and xmax = max(max w, 0) — the
        range always contains 0 — scale = (xmax - xmin) / (2^b - 1), zero = round(-xmin /
        scale), code = clamp(round(w / scale) + zero, 0, 2^b - 1). round is torch.round,
        which rounds halves to even; Swift's .rounded() rounds them away from zero. Row 0 of
        \(study.name):
        """)
    let row = Array(study.w[0..<study.n])
    var rows: [[String]] = []
    for bits in [4, 3] {
        let quantizer = MinMaxQuantizer(bits: bits)
        let grid = quantizer.grid(rowMin: row.min()!, rowMax: row.max()!)
        let codes = row.map { quantizer.code($0, grid) }
        rows.append([
            "\(bits)", Fmt.f(Double(row.min()!), 4), Fmt.f(Double(row.max()!), 4),
            Fmt.e(Double(grid.scale), 3), Fmt.g(Double(grid.zero)),
            "\(Set(codes).count) of \(1 << bits)",
        ])
    }
    book.table(["bits", "min w", "max w", "scale", "zero", "codes used"], rows)
    print()
    let tie = MinMaxQuantizer(bits: 4).grid(rowMin: -0.3125, rowMax: 1.5625)
    print(
        "a tie: min -0.3125, max 1.5625 -> scale \(Fmt.g(Double(tie.scale))), -xmin/scale = "
            + "\(Fmt.g(Double(0.3125 / tie.scale))), zero \(Fmt.g(Double(tie.zero))) "
            + "(.rounded() would give \(Fmt.g(Double((0.3125 / tie.scale).rounded()))))")
    print()
    book.say(
        """
        Round-to-nearest (RTN) puts every weight on its nearest code and stops there: no data,
        no feedback. Its error on the calibration rows, relative to the layer's output
        ||X W^T||^2, with one grid per row and with groups:
        """)
    let signal = study.error([Float](repeating: 0, count: study.w.count))
    var errorRows: [[String]] = []
    for bits in [4, 3] {
        for group in [nil, 64, setup.groupSize] as [Int?] {
            let q = study.rtn(bits: bits, groupSize: group)
            let groups = group.map { study.n / $0 } ?? 1
            errorRows.append([
                "RTN int\(bits)" + (group.map { " g\($0)" } ?? " per row"), "\(groups)",
                Fmt.f(Double(bits) + Double(16 + bits) * Double(groups) / Double(study.n), 3),
                Fmt.e(study.error(q.dequantized), 3),
                Fmt.percent(study.error(q.dequantized) / signal, 3),
            ])
        }
    }
    book.table(
        ["scheme", "groups / row", "bits / weight", "||XW^T - XQ^T||^2", "relative"], errorRows)
    print()
    let fourBitG = Double(16 + 4) / Double(setup.groupSize)
    book.say(
        """
        A group stores a float16 scale and a b-bit zero: (16 + b)/G bits per weight on top of
        the b bits of the code. The posts quantize Llama-2 with g128: on a 4096-wide layer that
        is 32 groups per row for 20/128 = 0.16 extra bits. TinyGPT's inputs are 64 wide
        (query, key, value, output, fc) and 256 wide (proj), and a group of 128 is not even
        defined on a 64-wide row. This chapter uses G = \(setup.groupSize), which divides every
        layer and gives 2 to 8 groups per row — at \(Fmt.f(fourBitG, 3)) extra bits, more than
        g128 costs a large model. Every comparison below uses the same G for every scheme.
        """)
}
