import AWQ
import Absmax
import Book
import Core
import GGML
import GPTQ
import NF4
import Plot
import PostTraining

/// One point of the Pareto plot: a scheme's stored bits per weight and its error.
struct ParetoPoint {
    let label: String
    let family: String
    let bits: Double
    let error: Double
}

/// 11.5: every scheme of the book on one layer, bits per weight against output error.
func paretoSection(
    _ book: Notebook, setup: GGUFSetup, formats: [any BlockFormat.Type], layer: String
) {
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
        try bookSchemes(
            w, rows: rows, columns: columns, calibration: calibration, heldOut: heldOut,
            windowLength: setup.calibration.windowLength)
            + formats.map { f in
                ParetoPoint(
                    label: f.name, family: f.name.hasSuffix("_K") ? "GGML k-quants"
                        : ["IQ4_NL", "MXFP4"].contains(f.name) ? "IQ4_NL, MXFP4" : "GGML legacy",
                    bits: f.bitsPerWeight,
                    error: relativeOutputError(heldOut, w, try roundTrip(f, w), rows: rows))
            }
    }
    let sorted = points.sorted { ($0.bits, $0.error) < ($1.bits, $1.error) }
    var best = Double.infinity
    var front: [ParetoPoint] = []
    for p in sorted where p.error < best {
        best = p.error
        front.append(p)
    }
    book.table(
        ["scheme", "family", "bits / weight", "output error", "front"],
        sorted.map { p in
            [
                p.label, p.family, Fmt.f(p.bits, 3), Fmt.e(p.error, 3),
                front.contains { $0.label == p.label } ? "*" : "",
            ]
        }, leftAligned: [0, 1])
    print()
    paretoFigure(book, points: points, front: front)
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
}

/// absmax int8, NF4 +- DQ, FP4, RTN, GPTQ and AWQ on one layer, errors on held-out rows.
private func bookSchemes(
    _ w: [Float], rows: Int, columns: Int, calibration: Tensor, heldOut x: Tensor,
    windowLength: Int
) throws -> [ParetoPoint] {
    func point(_ label: String, _ family: String, _ bits: Double, _ q: [Float]) -> ParetoPoint {
        ParetoPoint(
            label: label, family: family, bits: bits,
            error: relativeOutputError(x, w, q, rows: rows))
    }
    let tensor = Tensor(shape: [rows, columns], data: w)
    let int8 = try Absmax.quantize(tensor, granularity: .perRow)
    var result = [
        point(
            "absmax int8 per row", "bitsandbytes", 8 * Double(int8.storageBytes) / Double(w.count),
            int8.dequantize().data)
    ]
    for (label, type, dq) in [
        ("NF4 b64", FourBitDataType.nf4, false), ("NF4 + DQ b64", .nf4, true),
        ("FP4 b64", .fp4, false),
    ] {
        let q = try BlockwiseQuantizer4.quantize(tensor, type: type, doubleQuantization: dq)
        result.append(point(label, "bitsandbytes", q.bitsPerParameter, q.dequantize()))
    }
    let h = HessianAccumulator.accumulate(
        calibration.data, samples: calibration.rows, columns: columns,
        sequenceLength: windowLength
    ).h
    for bits in [4, 3] {
        let rtn = try StoredGPTQLayer(
            RoundToNearest.quantize(
                weight: w, rows: rows, columns: columns, bits: bits, groupSize: 32),
            bits: bits, storesGroupIndex: false)
        let gptq = try StoredGPTQLayer(
            GPTQ.quantize(
                weight: w, rows: rows, columns: columns, hessian: h,
                configuration: GPTQConfiguration(bits: bits, groupSize: 32)),
            bits: bits, storesGroupIndex: false)
        let awq = AWQ.quantize(
            x: calibration.data, tokens: calibration.rows,
            weights: [LinearWeight(w, rows: rows, columns: columns)], bits: bits, groupSize: 32)
        let stored = Double(gptq.storageBits) / Double(w.count)
        result += [
            point("RTN int\(bits) g32", "GPTQ, AWQ, RTN", stored, rtn.weight),
            point("GPTQ int\(bits) g32", "GPTQ, AWQ, RTN", stored, gptq.weight),
            point("AWQ int\(bits) g32", "GPTQ, AWQ, RTN", stored, awq.layers[0].dequantized.values),
        ]
    }
    return result
}

/// The scatter: one colour per family, log error axis, the front's points labelled.
private func paretoFigure(_ book: Notebook, points: [ParetoPoint], front: [ParetoPoint]) {
    var families: [String] = []
    for p in points where !families.contains(p.family) { families.append(p.family) }
    let colors = [
        Palette.blue, Palette.orange, Palette.bluishGreen, Palette.vermillion,
        Palette.reddishPurple,
    ]
    let series = families.enumerated().map { i, family in
        let members = points.filter { $0.family == family }
        return Series(
            name: family, x: members.map(\.bits), y: members.map(\.error),
            color: colors[i % colors.count])
    }
    book.figure(
        Charts.scatter(
            title: "Bits per weight against output error (one TinyGPT layer)",
            xLabel: "stored bits per weight", yLabel: "relative output error (log scale)",
            series: series, yScale: .log10, markerRadius: 4,
            annotations: front.map { .point(x: $0.bits, y: $0.error, label: $0.label) }),
        "pareto", caption: "every scheme of the book on one layer; the front's points labelled")
}
