import AWQ
import Book
import GPTQ
import Plot
import PostTraining

/// 10.4: the grid search over alpha, its loss curves, and one layer's output error under RTN,
/// AWQ and GPTQ.
func searchSection(_ book: Notebook, setup: AWQSetup, run: AWQRun, bits: Int, groupSize: Int) {
    book.section("10.4", "The search: 20 ratios, the first strictly smallest loss")
    book.say(
        """
        For alpha = 0, 0.05, ..., 0.95 the search scales the group's weights, quantizes them,
        scales them back and runs the op the group feeds on the calibration inputs: the whole
        attention for q, k, v (the reference's module2inspect for OPT; a q or k error matters only
        through the softmax), the linear itself for the other three. The loss is the mean squared
        difference from the float output; the first strictly smallest loss wins (exercise 10c).
        alpha = 0 gives s = 1, plain RTN, so whatever the search picks is never worse than RTN on
        this objective:
        """)
    book.table(
        ["block", "group", "RTN loss (alpha 0)", "best loss", "best alpha", "best / RTN"],
        run.groups.map { g in
            [
                "\(g.block)", g.kind.rawValue, Fmt.e(Double(g.search.rtnLoss), 3),
                Fmt.e(Double(g.search.bestLoss), 3), Fmt.f(g.search.bestRatio, 2),
                Fmt.percent(Double(g.search.bestLoss / g.search.rtnLoss), 1),
            ]
        })
    print()
    book.check(
        run.groups.allSatisfy { $0.search.bestLoss <= $0.search.rtnLoss },
        "AWQ's searched loss is never above RTN's (alpha = 0)")
    searchFigure(book, run: run)
    layerComparison(book, setup: setup, bits: bits, groupSize: groupSize)
}

/// Each group's loss over the grid, relative to its RTN loss.
private func searchFigure(_ book: Notebook, run: AWQRun) {
    let colors = [Palette.blue, Palette.orange, Palette.bluishGreen, Palette.vermillion]
    let series = run.groups.map { g in
        Series(
            name: "block \(g.block) \(g.kind.rawValue)", x: g.search.ratios,
            y: g.search.lossHistory.map { Double($0 / g.search.rtnLoss) },
            color: colors[AWQScaleGroupKind.allCases.firstIndex(of: g.kind)!],
            style: g.block == 0 ? .solid : .dashed)
    }
    let lowest = run.groups.map { Double($0.search.bestLoss / $0.search.rtnLoss) }.min()!
    book.figure(
        Charts.line(
            title: "The search's loss over alpha (the best is \(Fmt.percent(lowest, 0)) of RTN's)",
            xLabel: "ratio alpha (s = x_max^alpha)", yLabel: "loss / loss at alpha 0 (RTN)",
            series: series, markers: true),
        "search", caption: "each scale group's loss over the grid; solid block 0, dashed block 1")
}

/// One linear at a time: ||X W^T - X W_hat^T||^2 on held-out inputs for RTN, AWQ and GPTQ.
private func layerComparison(_ book: Notebook, setup: AWQSetup, bits: Int, groupSize: Int) {
    let heldOut = setup.base.linearInputs(Array(setup.corpora.fablesEval.prefix(4)))
    let gptq = GPTQConfiguration(bits: bits, groupSize: groupSize, actOrder: true)
    var rows: [[String]] = []
    var wins = (awq: 0, gptq: 0), count = 0
    for name in setup.base.blockLinearNames where !name.contains(".attn.query")
        && !name.contains(".attn.key") && !name.contains(".attn.value")
    {
        let (w, x) = setup.layer(name)
        let test = heldOut[name]!
        let rtn = outputError(test, w, roundToNearest(w, bits: bits, groupSize: groupSize))
        let awq = AWQ.quantize(
            x: x.data, tokens: x.rows, weights: [w], bits: bits, groupSize: groupSize)
        let awqError = outputError(test, w, awq.layers[0].dequantized)
        let g = book.attempt("GPTQ \(name)") {
            try GPTQ.quantize(
                weight: w.values, rows: w.rows, columns: w.columns, calibration: x.data,
                samples: x.rows, configuration: gptq)
        }
        let gptqError = outputError(
            test, w, LinearWeight(g.dequantized, rows: w.rows, columns: w.columns))
        if awqError < rtn { wins.awq += 1 }
        if gptqError < rtn { wins.gptq += 1 }
        count += 1
        rows.append([
            name, Fmt.e(rtn, 3), Fmt.e(awqError, 3), Fmt.f(awq.search.bestRatio, 2),
            Fmt.e(gptqError, 3),
        ])
    }
    book.say(
        """
        One linear at a time, the error that matters is on text the calibration did not see:
        ||X W^T - X W_hat^T||^2 on \(heldOut.first!.value.rows) held-out tokens,
        \(bits)-bit g\(groupSize), for
        RTN and AWQ (AWQ's quantizer) and GPTQ (Chapter 9: act-order, its own min-max quantizer):
        """)
    book.table(["layer", "RTN", "AWQ", "alpha", "GPTQ"], rows)
    print()
    book.say(
        """
        AWQ is below RTN on \(wins.awq) of \(count) layers, GPTQ on \(wins.gptq). GPTQ minimises
        exactly this error, column by column with error feedback (a Hessian per layer); AWQ
        changes one number per input channel and rounds to nearest, so it can only help where
        some input channels are larger than others. What AWQ buys is a search that never
        touches the weights' values beyond a scale (no overfitting of the calibration set, §3.2)
        and a model that stays in one plain format.
        """)
}
