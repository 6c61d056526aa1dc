import Book
import GPTQ
import Plot

/// 9.4: Algorithm 1 as written — one column at a time, its error pushed onto the columns not
/// yet quantized — against round-to-nearest, column by column.
func errorFeedbackSection(_ book: Notebook, study: LayerStudy, setup: GPTQSetup) {
    book.section("9.4", "Error feedback, one column at a time (Algorithm 1)")
    book.say(
        """
        Algorithm 1 walks the columns in order. For column j: q = quant(W[:, j]) on the row's
        grid, err = (W[:, j] - q) / U[j, j], and every later column k of every row moves by
        -err x U[j, k] (exercise 9d). The rounding error of column j is not lost: the weights
        still to be quantized absorb it, in the directions H says the output is least
        sensitive to. GPTQ.quantizeColumnByColumn is this loop, word for word. Each column
        adds err^2 / 2 per row to the paper's objective (the reference's Losses), so their
        running sum is the layer's error so far — the error with columns < j quantized and
        the rest already corrected. For RTN the same quantity adds up the rounding of columns
        < j with the rest untouched. Both measured in H + lambda I, per row grid, on \(study.name):
        """)
    var h = study.h
    HessianPreparation.dampen(h: &h, columns: study.n, percent: setup.damping)
    var series: [Series] = []
    var rows: [[String]] = []
    var finals: [(bits: Int, gptq: Double, rtn: Double)] = []
    let marks = [study.n / 4, study.n / 2, 3 * study.n / 4, study.n]
    for bits in [4, 3] {
        let c = setup.configuration(bits: bits, groups: false, actOrder: false)
        let gptq = book.attempt("GPTQ") {
            try GPTQ.quantizeColumnByColumn(
                weight: study.w, rows: study.out, columns: study.n, hessian: study.h,
                configuration: c)
        }
        let rtn = study.rtn(bits: bits, groupSize: nil)
        // GPTQ: (S/2) · Σ_k 2 · loss_k; RTN: (S/2) · Σ_r Δ_r[<j] H[<j, <j] Δ_r[<j]ᵀ.
        var gptqCurve = [0.0]
        for loss in gptq.columnLosses {
            gptqCurve.append(gptqCurve.last! + Double(study.windows) * Double(loss))
        }
        let rtnCurve = runningQuadraticForm(
            delta: zip(study.w, rtn.dequantized).map { Double($0) - Double($1) }, h: h,
            rows: study.out, n: study.n
        ).map { Double(study.windows) / 2 * $0 }
        let style: LineStyle = bits == 4 ? .solid : .dashed
        series.append(
            Series(name: "RTN int\(bits)", y: rtnCurve, color: Palette.orange, style: style))
        series.append(
            Series(
                name: "GPTQ int\(bits)", y: gptqCurve, color: Palette.reddishPurple,
                style: style))
        for (name, curve) in [("RTN", rtnCurve), ("GPTQ", gptqCurve)] {
            rows.append(["\(name) int\(bits)"] + marks.map { Fmt.e(curve[$0], 3) })
        }
        finals.append((bits, study.error(gptq.dequantized), study.error(rtn.dequantized)))
    }
    book.table(["error after column"] + marks.map { "\($0)" }, rows)
    print()
    for final in finals {
        book.check(final.gptq < final.rtn, "GPTQ int\(final.bits) beats RTN on \(study.name)")
    }
    book.figure(
        Charts.line(
            title: "GPTQ's feedback keeps the layer error below rounding's",
            xLabel: "columns quantized (of \(study.n), \(study.name))",
            yLabel: "||XW^T - XQ^T||^2 so far", series: series, yScale: .log10),
        "error-per-column", caption: "the layer error as quantization proceeds, GPTQ and RTN")
    print()
    let finalErrors = finals.map {
        "\(Fmt.e($0.gptq, 3)) for GPTQ against \(Fmt.e($0.rtn, 3)) for RTN at \($0.bits) bits "
            + "(\(Fmt.ratio($0.rtn / $0.gptq)) smaller)"
    }
    book.say(
        """
        Measured on the calibration rows without the damping, the finished layer's error is
        \(finalErrors.joined(separator: ", and ")).
        RTN's curve climbs steadily. GPTQ's columns cost less, because the weights still in
        float have already moved to compensate the rounding so far, and its curve ends lower
        (checked).
        """)
}

/// e[j] = Σ_r d_r[<j] H[<j, <j] d_r[<j]ᵀ for j = 0 … n: the quadratic form of the first j
/// columns of d ([rows][n]), grown one column at a time (d_j's cross terms, then its square).
func runningQuadraticForm(delta d: [Double], h: [Float], rows: Int, n: Int) -> [Double] {
    var e = [0.0]
    for j in 0..<n {
        var step = 0.0
        for r in 0..<rows {
            let dj = d[r * n + j]
            var cross = 0.0
            for k in 0..<j { cross += Double(h[j * n + k]) * d[r * n + k] }
            step += dj * (2 * cross + Double(h[j * n + j]) * dj)
        }
        e.append(e.last! + step)
    }
    return e
}
