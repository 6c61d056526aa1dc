import Book
import Core
import GGML

/// 11.4: k-quants — super-blocks of 256, 6-bit packed sub-block scales, what the scale search
/// buys at the same bits, and what an importance matrix from TinyGPT's activations buys.
func kQuantSection(_ book: Notebook, setup: GGUFSetup, synthetic: [Float]) {
    book.section("11.4", "k-quants: super-blocks, packed scales, search and importance")
    let kQuants: [any KQuantFormat.Type] = [Q6_K.self, Q5_K.self, Q4_K.self, Q3_K.self, Q2_K.self]
    let layers = setup.base.blockLinearNames.filter { $0.hasSuffix("mlp.proj") }
    let (w, _, columns) = setup.weight(layers[0])
    let bytes = book.attempt("Q4_K") { try Q4_K.quantize(Array(w[0..<columns])) }
    let packed = Array(bytes[4..<16])
    let (scales, mins) = ScaleMinPacking.unpack(packed)
    book.check(ScaleMinPacking.pack(scales: scales, mins: mins) == packed, "pack(unpack) = bytes")
    book.say(
        """
        The k-quants cut a row into super-blocks of 256 and those into sub-blocks of 16 or 32,
        and give each sub-block its own small integer scale (and min) under one or two fp16
        super-scales. Q4_K: fp16 d and dmin, 12 bytes holding eight 6-bit scales and eight 6-bit
        mins, 128 bytes of nibbles; a weight is (d * sc) * q - (dmin * m), 144 bytes per 256
        weights = 4.5 bits, Q4_0's price with a min per 32 like Q4_1's. The 12 bytes pack 16
        six-bit numbers with no bit wasted: bytes 0-3 hold sc[0..3] in their low 6 bits, bytes
        4-7 m[0..3]; bytes 8-11 hold sc[4..7] & 15 and m[4..7] & 15 as nibbles, and the top two
        bits of sc[4..7] and m[4..7] ride in bits 6-7 of bytes 0-7. The first super-block of row
        0 of \(layers[0]):
        """)
    print(hexLines(packed))
    book.table(
        ["sub-block"] + (0..<8).map { "\($0)" },
        [["scale"] + scales.map { "\($0)" }, ["min"] + mins.map { "\($0)" }])
    print()
    let imatrices = layers.map { name in importance(setup.inputs[name]!) }
    var rows: [[String]] = []
    var importanceRows: [[String]] = []
    var gains: [(search: Double, imatrix: Double, output: Double)] = []
    for f in kQuants {
        let r = book.attempt(f.name) {
            try compare(f, layers: layers, imatrices: imatrices, setup: setup, synthetic: synthetic)
        }
        gains.append((r.plain / r.searched, r.weighted.reference / r.weighted.imatrix,
                      r.output.reference / r.output.imatrix))
        rows.append([
            f.name, Fmt.f(f.bitsPerWeight, 4), Fmt.e(r.plain, 3), Fmt.e(r.searched, 3),
            Fmt.e(r.syntheticPlain, 3), Fmt.e(r.syntheticSearched, 3),
        ])
        importanceRows.append([
            f.name, Fmt.e(r.weighted.reference, 3), Fmt.e(r.weighted.imatrix, 3),
            Fmt.e(r.output.reference, 3), Fmt.e(r.output.imatrix, 3),
        ])
    }
    book.say(
        """
        Every k-quant three ways on the same bytes layout (quantizeWithoutSearch: each
        sub-block's plain min/max or absmax scale; quantize: llama.cpp's reference search;
        quantize(importance:): its imatrix path), on TinyGPT's two mlp.proj layers (the only
        rows of 256) and on the Student-t matrix. Weight errors are relative, ||W - W'||^2 /
        ||W||^2. Plain rounding against the search:
        """)
    book.table(
        ["type", "bits", "TinyGPT plain", "search", "Student-t plain", "search"], rows)
    print()
    book.say(
        """
        And the reference search against the imatrix path on TinyGPT's mlp.proj layers: the
        weight error weighted column by column by the importance (what the imatrix search
        minimises), and the relative output error on held-out inputs:
        """)
    book.table(
        ["type", "weighted: reference", "imatrix", "output: reference", "imatrix"],
        importanceRows)
    print()
    book.check(gains.allSatisfy { $0.search > 1 }, "the search lowers every k-quant's error")
    book.check(gains.allSatisfy { $0.imatrix > 1 }, "the imatrix lowers the weighted error")
    let better = gains.filter { $0.output > 1 }.count
    book.say(
        """
        The search (make_qkx2_quants and its siblings: a grid of candidate scales per
        sub-block, each refitted by weighted least squares, the best kept) lowers the weight
        error of every type at no cost in bits: by \(Fmt.ratio(gains.map { $0.search }.min()!)) to
        \(Fmt.ratio(gains.map { $0.search }.max()!)) on TinyGPT.
        An importance matrix is what llama-imatrix writes: for each input column c of a
        tensor, the mean of x_c^2 over calibration tokens (here \(setup.calibration.rows) tokens
        of the training text). The search then weights each weight's error by it (times
        sqrt(sigma^2 + x^2)), so the columns that see large inputs are fitted first: the
        imatrix-weighted error falls by \(Fmt.ratio(gains.map { $0.imatrix }.min()!)) to
        \(Fmt.ratio(gains.map { $0.imatrix }.max()!)), and the held-out output error falls for
        \(better) of \(kQuants.count) types (a diagonal imatrix ignores how columns correlate,
        which GPTQ's Hessian keeps).
        """)
}

/// llama-imatrix's statistic: the mean of x_c^2 over the rows of x, for each column c.
func importance(_ x: Tensor) -> [Float] {
    var sums = [Double](repeating: 0, count: x.cols)
    for r in 0..<x.rows {
        for c in 0..<x.cols { sums[c] += Double(x.data[r * x.cols + c] * x.data[r * x.cols + c]) }
    }
    return sums.map { Float($0 / Double(x.rows)) }
}

/// The errors of one k-quant: plain vs searched, reference vs imatrix.
private func compare(
    _ f: any KQuantFormat.Type, layers: [String], imatrices: [[Float]], setup: GGUFSetup,
    synthetic: [Float]
) throws -> (
    plain: Double, searched: Double, syntheticPlain: Double, syntheticSearched: Double,
    weighted: (reference: Double, imatrix: Double), output: (reference: Double, imatrix: Double)
) {
    var all: [Float] = []
    var plain: [Float] = []
    var searched: [Float] = []
    var weighted = (reference: 0.0, imatrix: 0.0, norm: 0.0)
    var output = (reference: 0.0, imatrix: 0.0)
    for (name, im) in zip(layers, imatrices) {
        let (w, rows, columns) = setup.weight(name)
        let reference = try roundTrip(f, w)
        var withImportance: [Float] = []
        for r in 0..<rows {
            let row = Array(w[(r * columns)..<((r + 1) * columns)])
            withImportance += try f.dequantize(try f.quantize(row, importance: im))
        }
        all += w
        plain += try f.dequantize(try f.quantizeWithoutSearch(w))
        searched += reference
        for i in w.indices {
            let c = Double(im[i % columns])
            weighted.reference += c * Double((w[i] - reference[i]) * (w[i] - reference[i]))
            weighted.imatrix += c * Double((w[i] - withImportance[i]) * (w[i] - withImportance[i]))
            weighted.norm += c * Double(w[i] * w[i])
        }
        let x = setup.heldOutInputs[name]!
        output.reference += relativeOutputError(x, w, reference, rows: rows) / Double(layers.count)
        output.imatrix += relativeOutputError(x, w, withImportance, rows: rows)
            / Double(layers.count)
    }
    let sPlain = try f.dequantize(try f.quantizeWithoutSearch(synthetic))
    return (
        relativeError(all, plain), relativeError(all, searched),
        relativeError(synthetic, sPlain), relativeError(synthetic, try roundTrip(f, synthetic)),
        (weighted.reference / weighted.norm, weighted.imatrix / weighted.norm), output
    )
}
