import AWQ
import Book
import Plot
import PostTraining

/// 10.3: activation-aware scaling — x_max, the scale formula, the scales the search chose.
func scalingSection(_ book: Notebook, setup: AWQSetup, bits: Int, groupSize: Int) -> AWQRun {
    book.section("10.3", "Activation-aware scaling: s = x_max^alpha")
    book.say(
        """
        Instead of keeping salient columns in float, AWQ (§3.2) multiplies input channel c of
        the weight by s_c > 1 and divides the activation by s_c: Q(W diag(s)) (x / s). The product
        is unchanged; the rounding error of the scaled column is about the same size as before,
        so relative to the column it shrinks by s_c, and the error it sends to the output, x_c / s_c
        times it, with it. The scale comes from the activations alone (ScaleFormula, exercise 10b):
        """)
    print(
        """
            x_max[c] = mean over tokens of |x[c]|        (the reference calls the mean x_max)
            s[c]     = max(x_max[c]^alpha, 1e-4)
            s[c]     = s[c] / sqrt(max(s) * min(s))      (centred on 1 on a log scale)

        """)
    book.say(
        """
        One alpha per group of linears that read the same input, chosen by a search over 20
        values (10.4). PostTraining.awq runs it on every block of the model, as llm-awq's run_awq:
        four groups per block, each with the op before it that will absorb 1/s (10.5):
        """)
    let run = PostTraining.awq(
        setup.base, calibration: setup.calibration, bits: bits, groupSize: groupSize, clip: false)
    book.table(
        ["block", "group", "linears scaled", "1/s goes into", "best alpha", "s min", "s max"],
        run.groups.map { g in
            [
                "\(g.block)", g.kind.rawValue,
                g.linears.map { String($0.split(separator: ".").last!) }.joined(separator: ", "),
                String(g.previous.split(separator: ".").dropFirst(2).joined(separator: ".")),
                Fmt.f(g.search.bestRatio, 2), Fmt.f(Double(g.scales.min()!), 3),
                Fmt.f(Double(g.scales.max()!), 3),
            ]
        })
    print()
    scalesFigure(book, run: run)
    let searched = run.groups.filter { $0.search.bestIndex > 0 }
    book.say(
        """
        \(searched.count) of the \(run.groups.count) groups chose alpha > 0\(
            searched.count < run.groups.count ? "; the others keep s = 1, plain RTN" : "").
        With alpha > 0 every scale is a power of x_max, so on log axes the points of a
        group lie on one line of slope alpha through (geometric middle, 1): the channels whose
        inputs are largest get the largest s.
        """)
    return run
}

/// The chosen s against mean |x|, channel by channel, for the groups with alpha > 0.
private func scalesFigure(_ book: Notebook, run: AWQRun) {
    let colors = [Palette.blue, Palette.orange, Palette.bluishGreen, Palette.vermillion]
    var series: [Series] = []
    for (i, g) in run.groups.filter({ $0.block == 0 }).enumerated() {
        let order = g.search.xMax.indices.filter { g.search.xMax[$0] > 0 }
            .sorted { g.search.xMax[$0] < g.search.xMax[$1] }
        series.append(
            Series(
                name: "block 0 \(g.kind.rawValue) (alpha \(Fmt.f(g.search.bestRatio, 2)))",
                x: order.map { Double(g.search.xMax[$0]) }, y: order.map { Double(g.scales[$0]) },
                color: colors[i % colors.count]))
    }
    book.figure(
        Charts.scatter(
            title: "AWQ's scales are a power of mean |x| (block 0)",
            xLabel: "mean |x| of the input channel", yLabel: "chosen scale s",
            series: series, xScale: .log10, yScale: .log10),
        "scales", caption: "chosen s against mean |x| per input channel, block 0's four groups")
}
