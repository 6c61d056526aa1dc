import Testing

@testable import Plot

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Outline histograms, stacked bars and bands (issue 10), checked on the rendered pixels.
@Suite struct ChartFeatureTests {
    /// Rows of column `x` whose pixel is exactly `color`.
    static func rows(of color: RGB, in canvas: Canvas, column x: Int, within plot: PixelRect) -> [Int] {
        (plot.y..<plot.maxY).filter { canvas[x, $0] == color }
    }

    /// Ten bins over 0…10; in every bin the three counts differ, so every outline has a
    /// step of its own to show.
    static let binCounts: [[Int]] = [
        [2, 5, 9, 14, 20, 14, 9, 5, 2, 1],
        [4, 6, 8, 11, 15, 11, 8, 6, 4, 3],
        [1, 3, 11, 17, 18, 17, 11, 3, 1, 2],
    ]
    static let histogramSeries: [(name: String, values: [Double])] = zip(["nf4", "fp4", "int4"], binCounts).map {
        name, counts in
        (name, counts.enumerated().flatMap { bin, count in [Double](repeating: Double(bin) + 0.5, count: count) })
    }

    /// Each series' colour, exactly, on top of each of its bins — and higher counts higher up.
    @Test func overlaidHistogramsShowEveryOutline() {
        let canvas = Charts.histogram(
            title: "three series", xLabel: "value", series: Self.histogramSeries, bins: 10, range: 0...10)
        guard let plot = canvas.layout?.plot else {
            Issue.record("no layout")
            return
        }
        let colors = Palette.colors(for: Self.histogramSeries.map(\.name))
        for bin in 0..<10 {
            let column = plot.x + Int((Double(bin) + 0.5) / 10 * Double(plot.width))
            // The topmost row of each series' colour in this column: its bin top.
            let tops = colors.map { Self.rows(of: $0, in: canvas, column: column, within: plot).first }
            for (s, top) in tops.enumerated() {
                #expect(top != nil, "bin \(bin): no pixel of \(Self.histogramSeries[s].name)'s colour \(colors[s])")
            }
            let found = tops.compactMap { $0 }
            guard found.count == 3 else { continue }
            for a in 0..<3 {
                for b in 0..<3 where Self.binCounts[a][bin] > Self.binCounts[b][bin] {
                    #expect(found[a] < found[b], "bin \(bin): series \(a) counts more than \(b) but sits lower")
                }
            }
        }
        // The mud it replaces: with translucent fills the later fills tint the first outline.
        let filled = Charts.histogram(
            title: "three series", xLabel: "value", series: Self.histogramSeries, bins: 10, range: 0...10,
            style: .filled)
        let visibleInFilled = (0..<10).filter { bin in
            let column = plot.x + Int((Double(bin) + 0.5) / 10 * Double(plot.width))
            return !Self.rows(of: colors[0], in: filled, column: column, within: plot).isEmpty
        }
        #expect(visibleInFilled.count < 10, "filled style kept nf4's outline untinted in every bin")
    }

    /// Memory per method, stacked: each segment's height is proportional to its size on the
    /// linear axis, the first segment at the bottom, the legend reading like the stack.
    @Test func stackedBarSegmentsAreProportionalOnALinearAxis() {
        let names = ["weights", "gradients", "optimizer states", "activations"]
        let values: [[Double]] = [[30, 10], [10, 0], [20, 5], [40, 5]]
        let canvas = Charts.stackedBar(
            title: "memory", xLabel: "method", yLabel: "GB", categories: ["full", "qlora"],
            segments: Array(zip(names, values)), showTotals: false)
        guard let layout = canvas.layout else {
            Issue.record("no layout")
            return
        }
        let colors = Palette.colors(for: names)
        let slot = Double(layout.plot.width) / 2
        // Near each bar's left edge (the bar spans 15 %…85 % of its slot): clear of the legend.
        let column = { (c: Int) in layout.plot.x + Int(slot * (Double(c) + 0.2)) }
        let heights = colors.map { Self.rows(of: $0, in: canvas, column: column(0), within: layout.plot).count }
        // Pixels per GB from the largest segment; a 1 px white seam separates segments.
        let perGB = Double(heights[3]) / 40
        for (s, height) in heights.enumerated() {
            #expect(
                abs(Double(height) - values[s][0] * perGB) <= 2,
                "\(names[s]): \(height) px, expected \(values[s][0] * perGB)")
        }
        let bottomRow = layout.plot.maxY - 1
        #expect(canvas[column(0), bottomRow] == colors[0], "the first segment is not at the bottom")
        let total1 = colors.map { Self.rows(of: $0, in: canvas, column: column(1), within: layout.plot).count }
            .reduce(0, +)
        #expect(abs(Double(total1) - 20 * perGB) <= 4, "second bar is \(total1) px, expected \(20 * perGB)")
        // Legend: four rows, top row the top segment.
        #expect(layout.legendSwatches.count == 4)
        if let top = layout.legendSwatches.first {
            #expect(canvas[top.x + top.width / 2, top.y + 8] == colors[3])
        }
    }

    /// Stacked bars get the same rule as plain bars: here a line 11 GB above the 44.9 GB
    /// stack — 8 px, right through where its total would be printed.
    @Test func stackedBarTotalsAreNeverStruckThroughByAReferenceLine() {
        let totals: [Double] = [784, 139, 44.9]
        let canvas = Charts.stackedBar(
            title: "memory", xLabel: "method", yLabel: "GB", categories: ["full", "lora", "qlora"],
            segments: [("weights", totals.map { $0 * 0.8 }), ("rest", totals.map { $0 * 0.2 })],
            annotations: [.horizontal(56, label: "56 GB"), .horizontal(80, label: "80 GB GPU")])
        PlacementRuleTests.expectValueLabelsUnstruck(canvas, bars: 3)
    }

    /// A band: shaded in the series colour at low opacity, under the line, symmetric
    /// around it here, and in the legend.
    @Test func bandIsShadedUnderItsLineAndShownInTheLegend() {
        let x = (0...10).map(Double.init)
        let band = Band(lower: x.map { _ in 0.5 }, upper: x.map { _ in 1.5 })
        let canvas = Charts.line(
            title: "band", xLabel: "x", yLabel: "y",
            series: [
                Series(name: "mean", x: x, y: x.map { _ in 1 }, color: Palette.blue, band: band),
                Series(name: "other", x: x, y: x.map { _ in 3 }, color: Palette.vermillion),
            ])
        guard let layout = canvas.layout else {
            Issue.record("no layout")
            return
        }
        let tint = RGB(
            blendByte(255, Int(Palette.blue.r), 51), blendByte(255, Int(Palette.blue.g), 51),
            blendByte(255, Int(Palette.blue.b), 51))
        let column = layout.plot.x + layout.plot.width / 3
        let line = Self.rows(of: Palette.blue, in: canvas, column: column, within: layout.plot)
        let shaded = Self.rows(of: tint, in: canvas, column: column, within: layout.plot)
        guard let lineRow = line.first else {
            Issue.record("no line pixel in column \(column)")
            return
        }
        let above = shaded.filter { $0 < lineRow }.count
        let below = shaded.filter { $0 > lineRow }.count
        #expect(above > 40 && below > 40, "band rows above the line: \(above), below: \(below)")
        #expect(abs(above - below) <= 3, "a symmetric band is \(above) px above the line, \(below) px below")
        // The band is in the legend: its tint behind the first swatch, none behind the second.
        let swatches = layout.legendSwatches
        #expect(swatches.count == 2)
        if swatches.count == 2 {
            let tinted = swatches.map { swatch in
                (swatch.y..<swatch.maxY).filter { canvas[swatch.x + 2, $0] == tint }.count
            }
            #expect(tinted[0] > 8 && tinted[1] == 0, "tinted rows in the swatches: \(tinted)")
        }
        // A labelled band gets its own legend row.
        let labelled = Charts.line(
            title: "band", xLabel: "x", yLabel: "y",
            series: [
                Series(
                    name: "mean", x: x, y: x.map { _ in 1 },
                    band: Band(lower: band.lower, upper: band.upper, label: "spread over 5 seeds"))
            ])
        #expect(labelled.layout?.legendSwatches.count == 2)
    }

    /// The new charts, and a legend moved outside, give the same pixels every time.
    @Test func newChartsRenderIdenticallyTwice() {
        func render() -> [Canvas] {
            let steps = (0...300).map(Double.init)
            return [
                Charts.histogram(title: "h", xLabel: "x", series: Self.histogramSeries, bins: 10),
                Charts.stackedBar(
                    title: "s", xLabel: "x", yLabel: "y", categories: ["a", "b"],
                    segments: [("w", [3, 1]), ("g", [2, 2])], annotations: [.horizontal(4.8, label: "limit")]),
                Charts.line(
                    title: "l", xLabel: "x", yLabel: "y",
                    series: (0..<3).map { k in
                        Series(
                            name: "s\(k)", x: steps, y: steps.map { sin($0 / 3 + Double(k)) },
                            band: Band(lower: steps.map { _ in -0.2 }, upper: steps.map { _ in 0.2 }))
                    }),
            ]
        }
        for (index, (a, b)) in zip(render(), render()).enumerated() {
            #expect(a == b && a.layout == b.layout, "figure \(index) differs between two renders")
        }
    }
}
