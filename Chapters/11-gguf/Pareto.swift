import AWQ
import Absmax
import Book
import Core
import GGML
import GPTQ
import NF4
import Plot
import PostTraining

/// What 11.5 and 11.6 share: every scheme of the book on one weight matrix, the front, the
/// table and the scatter.

/// One point of the Pareto plot: a scheme's stored bits per weight and its error.
struct ParetoPoint {
    let label: String
    let family: String
    let bits: Double
    let error: Double
}

/// Every scheme of the book on one layer: the book's own (absmax int8, NF4 ± DQ, FP4, RTN,
/// GPTQ, AWQ; calibrated on `calibration`) and the GGML block formats; errors are relative
/// output errors on the held-out rows `heldOut`.
func paretoPoints(
    _ w: [Float], rows: Int, columns: Int, calibration: Tensor, heldOut: Tensor,
    windowLength: Int, formats: [any BlockFormat.Type]
) throws -> [ParetoPoint] {
    try bookSchemes(
        w, rows: rows, columns: columns, calibration: calibration, heldOut: heldOut,
        windowLength: windowLength)
        + formats.map { f in
            ParetoPoint(
                label: f.name, family: f.name.hasSuffix("_K") ? "GGML k-quants"
                    : ["IQ4_NL", "MXFP4"].contains(f.name) ? "IQ4_NL, MXFP4" : "GGML legacy",
                bits: f.bitsPerWeight,
                error: relativeOutputError(heldOut, w, try roundTrip(f, w), rows: rows))
        }
}

/// The Pareto front: sorted by bits, each point that has less error than every cheaper one.
func paretoFront(_ points: [ParetoPoint]) -> [ParetoPoint] {
    var best = Double.infinity
    var front: [ParetoPoint] = []
    for p in points.sorted(by: { ($0.bits, $0.error) < ($1.bits, $1.error) }) where p.error < best {
        best = p.error
        front.append(p)
    }
    return front
}

/// The table of every point, cheapest first, the front marked with *.
func paretoTable(_ book: Notebook, _ points: [ParetoPoint], front: [ParetoPoint]) {
    let sorted = points.sorted { ($0.bits, $0.error) < ($1.bits, $1.error) }
    book.table(
        ["scheme", "family", "bits / weight", "output error", "front"],
        sorted.map { p in
            [
                p.label, p.family, Fmt.f(p.bits, 3), Fmt.e(p.error, 3),
                front.contains { $0.label == p.label } ? "*" : "",
            ]
        }, leftAligned: [0, 1])
    print()
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
func paretoFigure(
    _ book: Notebook, points: [ParetoPoint], front: [ParetoPoint], title: String, name: String,
    caption: String
) {
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
            title: title,
            xLabel: "stored bits per weight", yLabel: "relative output error (log scale)",
            series: series, yScale: .log10, markerRadius: 4,
            annotations: front.map { .point(x: $0.bits, y: $0.error, label: $0.label) }),
        name, caption: caption)
}
