import Testing

@testable import Plot

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The placement rules every figure gets for free (issue 10), checked on the rendered
/// pixels: the legend shows each series' dash and covers no data, labels sit on no data
/// and on no other label, and a log axis says so.
///
/// "Data" is what ``ChartLayout/data`` records: the pixels drawing the data changed, after
/// the grid and the reference lines. Where a rule can be checked without it — the colour
/// runs of a swatch, the greys of a label — the test reads the pixels themselves.
@Suite struct PlacementRuleTests {
    /// Runs of exactly `color` along row `y` from `x0` to `x1`: 1 for a solid swatch, one
    /// per dash for a dashed one.
    static func runs(of color: RGB, in canvas: Canvas, row y: Int, from x0: Int, to x1: Int) -> Int {
        var runs = 0
        var inRun = false
        for x in x0..<x1 {
            let hit = canvas[x, y] == color
            if hit && !inRun { runs += 1 }
            inRun = hit
        }
        return runs
    }

    @Test func aSwatchIsLongEnoughForTwoPeriodsOfEveryDash() {
        for style in [LineStyle.dashed, .dotted] {
            let period = (style.dashPattern?.on ?? 0) + (style.dashPattern?.off ?? 0)
            #expect(
                Double(Legend.swatchWidth) >= 2 * period,
                "swatch \(Legend.swatchWidth) px is shorter than two \(style) periods of \(period) px")
        }
    }

    /// Chapter 4's figure showed every swatch solid: a 34 px swatch held under two periods
    /// and the marker sat on its only gap. Now solid draws one run, dashed three, dotted more.
    @Test(arguments: [false, true])
    func legendSwatchShowsTheSeriesDash(markers: Bool) {
        let x: [Double] = [1, 2, 3, 4]
        let colors = [Palette.blue, Palette.vermillion, Palette.bluishGreen]
        let canvas = Charts.line(
            title: "dashes in the legend", xLabel: "x", yLabel: "y",
            series: [
                Series(name: "solid", x: x, y: [1, 1.1, 1.2, 1.3], color: colors[0]),
                Series(name: "dashed", x: x, y: [1.5, 1.6, 1.7, 1.8], color: colors[1], style: .dashed),
                Series(name: "dotted", x: x, y: [2, 2.1, 2.2, 2.3], color: colors[2], style: .dotted),
            ],
            markers: markers)
        guard let swatches = canvas.layout?.legendSwatches, swatches.count == 3 else {
            Issue.record("expected a legend with three rows, layout: \(String(describing: canvas.layout?.legend))")
            return
        }
        let runs = zip(swatches, colors).map { swatch, color in
            Self.runs(of: color, in: canvas, row: swatch.y + 8, from: swatch.x - 2, to: swatch.maxX + 2)
        }
        #expect(runs[0] == 1, "the solid swatch breaks into \(runs[0]) pieces")
        #expect(runs[1] >= 3, "the dashed swatch shows \(runs[1]) dash(es): it needs two gaps to read as dashed")
        #expect(runs[2] >= 5, "the dotted swatch shows \(runs[2]) dot(s)")
    }

    /// Three oscillations that fill the plot: every spot inside would hide data, so the
    /// legend goes right of the plot area, which narrows to make room.
    @Test func legendNeverCoversData() {
        let steps = (0...400).map(Double.init)
        let series = (0..<3).map { k in
            Series(name: "seed \(k)", x: steps, y: steps.map { sin($0 / 3 + 2 * Double(k)) })
        }
        let canvas = Charts.line(title: "data everywhere", xLabel: "step", yLabel: "signal", series: series)
        guard let layout = canvas.layout, let legend = layout.legend else {
            Issue.record("no legend drawn")
            return
        }
        // The test has teeth: every inside spot, corners included, holds data.
        let inside = Legend.insideCandidates(plot: layout.plot, width: legend.width, height: legend.height)
        let free = inside.filter { layout.data.count(in: $0) == 0 }
        #expect(!inside.isEmpty && free.isEmpty, "\(free.count) of \(inside.count) inside spots are free of data")
        #expect(layout.legendIsOutside)
        #expect(!legend.intersects(layout.plot.insetBy(-1)), "legend \(legend) overlaps plot \(layout.plot)")
        #expect(canvas.bounds.contains(legend), "legend \(legend) runs off the \(canvas.width)-px canvas")
        #expect(layout.data.count(in: legend) == 0)
        // And it is drawn there: each series' colour in its swatch.
        for (swatch, color) in zip(layout.legendSwatches, Palette.colors(for: series.map(\.name))) {
            #expect(Self.runs(of: color, in: canvas, row: swatch.y + 8, from: swatch.x, to: swatch.maxX) == 1)
        }
    }

    /// With a free spot inside, the legend stays inside — on no data pixel. The top corners
    /// are taken here (chapter 1's shape); the gap is on the right edge, mid-height.
    @Test func legendFindsAFreeSpotInsideWithoutCoveringData() {
        let x = (0...100).map { Double($0) }
        let canvas = Charts.line(
            title: "gap in the middle", xLabel: "x", yLabel: "y",
            series: [
                Series(name: "high", x: x, y: x.map { 10 + sin($0) }),
                Series(name: "higher", x: x, y: x.map { 9 + cos($0) }),
                Series(name: "low", x: x, y: x.map { 0.5 * sin($0 / 4) }),
            ])
        guard let layout = canvas.layout, let legend = layout.legend else {
            Issue.record("no legend drawn")
            return
        }
        #expect(!layout.legendIsOutside && layout.plot.contains(legend), "legend \(legend), plot \(layout.plot)")
        #expect(layout.data.count(in: legend.insetBy(-4)) == 0, "the legend hides data pixels")
    }

    /// Chapter 8's figure: at the right end the "even share" label sat on the last bar.
    @Test func labelsNeverCollideWithData() {
        let canvas = Charts.bar(
            title: "Tokens per expert", xLabel: "expert", yLabel: "slots", categories: (0..<8).map { "e\($0)" },
            series: [("tokens", [5, 3, 2, 4, 4, 4, 5, 5])], showValues: true,
            annotations: [.horizontal(4, label: "even share")])
        guard let layout = canvas.layout, let label = layout.labels.first else {
            Issue.record("no label placed")
            return
        }
        #expect(layout.data.count(in: label) == 0, "the label's box holds \(layout.data.count(in: label)) data pixels")
        // The test has teeth: the same box at the right end of the line covers a bar.
        let atRightEnd = PixelRect(
            x: layout.plot.maxX - 6 - label.width, y: label.y, width: label.width, height: label.height)
        #expect(layout.data.count(in: atRightEnd) > 0)
        // On the pixels: bars are blue, the label and its backing only greys.
        var coloured = 0
        for y in label.y..<label.maxY {
            for x in label.x..<label.maxX where canvas[x, y].r != canvas[x, y].b { coloured += 1 }
        }
        #expect(coloured == 0, "\(coloured) coloured (bar) pixels inside the label")
    }

    /// Reference lines a few pixels apart, a point off the cloud and one inside it (its
    /// label moves out, on a leader line): no two labels overlap, and none covers data.
    @Test func labelsNeverOverlapEachOtherOrTheData() {
        var rng = TestRNG(seed: 4)
        let x = (0..<3000).map { _ in rng.normal() }
        let canvas = Charts.scatter(
            title: "crowded", xLabel: "x", yLabel: "y",
            series: [Series(name: "cloud", x: x, y: x.map { $0 * 0.5 + rng.normal() * 0.3 })],
            annotations: [
                .horizontal(1.5, label: "first limit"), .horizontal(1.55, label: "second limit"),
                .horizontal(1.6, label: "third limit"), .vertical(-1, label: "left edge"),
                .vertical(-0.97, label: "near it"), .point(x: 3, y: -1.5, label: "odd one out"),
                .point(x: 1, y: 0.5, label: "inside the cloud"),
            ])
        guard let layout = canvas.layout else {
            Issue.record("no layout")
            return
        }
        #expect(layout.labels.count == 7)
        for (i, a) in layout.labels.enumerated() {
            #expect(layout.data.count(in: a) == 0, "label \(i) at \(a) covers \(layout.data.count(in: a)) data pixels")
            for (j, b) in layout.labels.enumerated() where j > i {
                #expect(!a.intersects(b), "labels \(i) \(a) and \(j) \(b) overlap")
            }
        }
    }

    /// Only white, the grid and the text's own near-black may sit in a value label's box —
    /// a line through it would leave the reference grey (or its anti-aliased blends) — and
    /// the third bar's label stays centred over its bar.
    static func expectValueLabelsUnstruck(_ canvas: Canvas, bars: Int) {
        guard let layout = canvas.layout, layout.valueLabels.count == bars else {
            Issue.record("expected \(bars) value labels, got \(canvas.layout?.valueLabels.count ?? 0)")
            return
        }
        for (index, box) in layout.valueLabels.enumerated() {
            var struck = 0
            for y in box.y..<box.maxY {
                for x in box.x..<box.maxX {
                    let pixel = canvas[x, y]
                    if pixel != .white && pixel != Style.grid && pixel != Style.text { struck += 1 }
                }
            }
            #expect(struck == 0, "value label \(index) at \(box): \(struck) pixels of something else")
        }
        let last = layout.valueLabels[bars - 1]
        let slot = Double(layout.plot.width) / Double(bars)
        #expect(abs(Double(last.x + last.width / 2) - (Double(layout.plot.x) + (Double(bars) - 0.5) * slot)) <= 2)
    }

    /// Chapter 7's figure: on its log axis the 48 GB line ran through the "44.9" printed
    /// above the QLoRA bar.
    @Test func barValuesAreNeverStruckThroughByAReferenceLine() {
        let canvas = Charts.bar(
            title: "memory", xLabel: "method", yLabel: "GB", categories: ["full", "lora", "qlora"],
            series: [("total", [784, 139, 44.9])], yScale: .log10, showValues: true,
            annotations: [.horizontal(48, label: "48 GB GPU"), .horizontal(80, label: "80 GB GPU")])
        Self.expectValueLabelsUnstruck(canvas, bars: 3)
    }

    @Test func logAxesSayLogScale() {
        #expect(Scale.log10.axisTitle("magnitude |x|") == "magnitude |x| (log scale)")
        #expect(Scale.log10.axisTitle("memory (GB)") == "memory (GB, log scale)")
        #expect(Scale.log10.axisTitle("MSE (log scale)") == "MSE (log scale)")
        #expect(Scale.log10.axisTitle("") == "log scale")
        #expect(Scale.linear.axisTitle("step") == "step")
        let canvas = Charts.line(
            title: "log-log", xLabel: "magnitude |x|", yLabel: "gap (ulp)",
            series: [Series(name: "fp16", x: [1, 10, 100], y: [1, 2, 4])], xScale: .log10, yScale: .log10)
        let histogram = Charts.histogram(
            title: "tails", xLabel: "error", series: [("nf4", [1, 2, 2, 3])], bins: 3, yScale: .log10)
        #expect(canvas.layout?.xLabel?.text == "magnitude |x| (log scale)")
        #expect(canvas.layout?.yLabel?.text == "gap (ulp, log scale)")
        #expect(histogram.layout?.xLabel?.text == "error")
        #expect(histogram.layout?.yLabel?.text == "count (log scale)")
        // On the pixels: the axis titles are exactly that text, drawn where the layout says.
        for placed in [canvas.layout?.xLabel, canvas.layout?.yLabel].compactMap({ $0 }) {
            var expected = Canvas(width: canvas.width, height: canvas.height)
            expected.drawText(placed.text, x: placed.box.x, y: placed.box.y, scale: 2, rotated: placed.rotated)
            var differing = 0
            let area = placed.box.insetBy(-4)
            for y in area.y..<area.maxY {
                for x in area.x..<area.maxX where canvas[x, y] != expected[x, y] { differing += 1 }
            }
            #expect(differing == 0, "\"\(placed.text)\": \(differing) pixels differ from the text drawn alone")
        }
    }

    /// The summed-area table answers like the plain loop over the mask, for any rectangle.
    @Test func summedAreaCountsAgreeWithAPlainLoop() {
        var rng = TestRNG(seed: 9)
        var before = Canvas(width: 53, height: 37)
        let after = before
        for _ in 0..<400 {
            before[Int(rng.uniform() * 53), Int(rng.uniform() * 37)] = .black
        }
        let mask = PixelMask(changedFrom: before, to: after)
        let counts = PixelCounts(mask)
        #expect(mask.count(in: before.bounds) == (0..<37).reduce(0) { sum, y in
            sum + (0..<53).filter { before[$0, y] == .black }.count
        })
        for _ in 0..<300 {
            let rect = PixelRect(
                x: Int(rng.uniform() * 70) - 8, y: Int(rng.uniform() * 50) - 8, width: Int(rng.uniform() * 40),
                height: Int(rng.uniform() * 30))
            #expect(counts.count(in: rect) == mask.count(in: rect), "rect \(rect)")
        }
    }
}
