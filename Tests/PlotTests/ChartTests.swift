import Testing

@testable import Plot

@Suite struct ChartRobustnessTests {
    /// Pixels of exactly `color`: a 2 px line's core, a bar, a marker centre.
    static func count(_ color: RGB, in canvas: Canvas) -> Int {
        var count = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where canvas[x, y] == color { count += 1 }
        }
        return count
    }

    /// The title is always drawn: text ink in the top band.
    static func hasTitle(_ canvas: Canvas) -> Bool {
        inkedPixels(canvas, in: PixelRect(x: 0, y: 0, width: canvas.width, height: 45)) > 100
    }

    @Test func increasingDataDrawsARisingLine() {
        let canvas = Charts.line(
            title: "up", xLabel: "x", yLabel: "y", series: [Series(name: "nf4", x: [0, 1], y: [0, 1])])
        var columns: [(x: Int, y: Int)] = []
        for x in 0..<canvas.width {
            if let y = (0..<canvas.height).first(where: { canvas[x, $0] == Palette.blue }) { columns.append((x, y)) }
        }
        #expect(columns.count > 500, "line covers only \(columns.count) columns")
        if let first = columns.first, let last = columns.last {
            #expect(first.y - last.y > 400, "left end at row \(first.y), right end at row \(last.y): not rising")
        }
    }

    @Test func aNaNInTheDataBreaksTheLine() {
        func runs(_ y: [Double]) -> Int {
            let canvas = Charts.line(title: "gap", xLabel: "x", yLabel: "y", series: [Series(name: "nf4", y: y)])
            let inked = (0..<canvas.width).map { x in (0..<canvas.height).contains { canvas[x, $0] == Palette.blue } }
            return zip(inked, [false] + inked).filter { $0 && !$1 }.count
        }
        #expect(runs([1, 2, 3, 4, 5, 6, 7, 8]) == 1)
        #expect(runs([1, 2, 3, .nan, 5, 6, 7, 8]) == 2)
    }

    @Test func logAxesSkipZeroAndNegativeValues() {
        let canvas = Charts.line(
            title: "log", xLabel: "x", yLabel: "y",
            series: [Series(name: "nf4", x: [-1, 0, 1, 10, 100], y: [-5, 0, 1, 10, 100])],
            xScale: .log10, yScale: .log10)
        #expect(Self.count(Palette.blue, in: canvas) > 500)
        let nothingShowable = Charts.scatter(
            title: "all negative", xLabel: "x", yLabel: "y", series: [Series(name: "nf4", x: [-1, -2], y: [1, 2])],
            xScale: .log10)
        #expect(Self.count(Palette.blue, in: nothingShowable) == 0)
        #expect(Self.hasTitle(nothingShowable))
    }

    @Test func emptyNaNAndConstantDataStillGiveAFigure() {
        let size = (width: 900, height: 600)
        let nan = [Double.nan, .infinity, -.infinity]
        let canvases = [
            Charts.line(title: "empty", xLabel: "x", yLabel: "y", series: [], size: size),
            Charts.line(
                title: "no points", xLabel: "x", yLabel: "y", series: [Series(name: "a", x: [], y: [])], size: size),
            Charts.line(
                title: "nan", xLabel: "x", yLabel: "y", series: [Series(name: "a", y: nan)], yScale: .log10, size: size),
            Charts.scatter(
                title: "constant", xLabel: "x", yLabel: "y", series: [Series(name: "a", x: [2, 2], y: [0, 0])],
                size: size),
            Charts.histogram(title: "empty", xLabel: "x", series: [("a", [])], size: size),
            Charts.histogram(title: "nan", xLabel: "x", series: [("a", nan)], yScale: .log10, size: size),
            Charts.histogram(title: "constant", xLabel: "x", series: [("a", [3, 3, 3])], xScale: .log10, size: size),
            Charts.bar(title: "empty", xLabel: "x", yLabel: "y", categories: [], series: [], size: size),
            Charts.bar(
                title: "zeros", xLabel: "x", yLabel: "y", categories: ["a", "b"], series: [("s", [0, 0])],
                yScale: .log10, size: size),
            Charts.heatmap(
                title: "empty", xLabel: "x", yLabel: "y", values: [], rows: 0, cols: 0, colorLabel: "c", size: size),
            Charts.heatmap(
                title: "nan", xLabel: "x", yLabel: "y", values: [.nan, 1, 1, 1], rows: 2, cols: 2, colorLabel: "c",
                colorScale: .log10, size: size),
            Charts.strip(title: "empty", xLabel: "x", series: [], size: size),
        ]
        for (index, canvas) in canvases.enumerated() {
            #expect(
                canvas.width == 900 && canvas.height == 600, "figure \(index) has size \(canvas.width)×\(canvas.height)"
            )
            #expect(Self.hasTitle(canvas), "figure \(index) has no title")
        }
        // The constant histogram still shows its one full bin.
        #expect(Self.count(Palette.blue, in: canvases[6]) > 50)
    }

    @Test func tinyFiguresDoNotCrash() {
        let canvas = Charts.line(
            title: "a title far too long for the figure", xLabel: "x", yLabel: "y",
            series: [Series(name: "nf4", y: [1, 2, 3])], size: (40, 30))
        #expect(canvas.width == 40 && canvas.height == 30)
    }

    @Test func everySeriesOfAFigureIsDrawnInItsOwnColour() {
        let histogram = Charts.histogram(
            title: "two", xLabel: "x", series: [("fp32", [1, 2, 2, 3]), ("nf4", [2, 3, 3, 4])], bins: 4)
        #expect(Self.count(Palette.grey, in: histogram) > 300)
        #expect(Self.count(Palette.blue, in: histogram) > 300)
        let bars = Charts.bar(
            title: "bars", xLabel: "x", yLabel: "y", categories: ["a", "b"],
            series: [("int8", [1, 2]), ("absmax", [2, 1])])
        #expect(Self.count(Palette.reddishPurple, in: bars) > 1000 && Self.count(Palette.skyBlue, in: bars) > 1000)
    }

    @Test func heatmapCellsTakeTheirViridisColour() {
        // 1 × 2: low on the left, high on the right.
        let canvas = Charts.heatmap(
            title: "two cells", xLabel: "x", yLabel: "y", values: [0, 1], rows: 1, cols: 2, colorLabel: "v")
        #expect(Self.count(ColorMap.viridis(0), in: canvas) > 100_000)
        #expect(Self.count(ColorMap.viridis(1), in: canvas) > 100_000)
    }

    /// Debug builds are slow; the house style still asks for figures in well under a second
    /// at 1 200 × 800 with ~100 000 points per series. Bound loosely (machines are shared).
    @Test func largeFiguresRenderQuickly() {
        var rng = TestRNG(seed: 11)
        let y = (0..<100_000).map { _ in rng.normal() }
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            _ = Charts.line(
                title: "speed", xLabel: "x", yLabel: "y",
                series: [
                    Series(name: "a", y: y), Series(name: "b", y: y.map { $0 + 3 }),
                    Series(name: "c", y: y.map { $0 * 2 }),
                ])
            _ = Charts.histogram(title: "speed", xLabel: "x", series: [("a", y), ("b", y.map { $0 * 2 })])
            _ = Charts.scatter(
                title: "speed", xLabel: "x", yLabel: "y", series: [Series(name: "a", x: y, y: y.reversed())])
        }
        #expect(elapsed < .seconds(4), "three large figures took \(elapsed)")
    }
}

extension ChartRobustnessTests {
    /// The bulk mapper (`points(x:y:)`, one multiply-add per coordinate) against the plain
    /// per-point mapping through `Axis.fraction`, on linear and log axes, bad values included.
    @Test(arguments: [(Scale.linear, Scale.linear), (.log10, .linear), (.linear, .log10), (.log10, .log10)])
    func bulkMappingAgreesWithPointByPoint(scales: (Scale, Scale)) {
        let xs: [Double] = [0.5, 3, -2, 40, .nan, 7, 1e-3, 0, 12]
        let ys: [Double] = [1, 0.2, 5, -1, 4, .infinity, 300, 2, 8]
        let frame = Charts.xyFrame(
            title: "t", xLabel: "x", yLabel: "y", series: [Series(name: "a", x: xs, y: ys)], xScale: scales.0,
            yScale: scales.1, xRange: nil, yRange: nil, xTicks: nil, annotations: [], size: (800, 600))
        let bulk = frame.points(x: xs, y: ys)
        #expect(bulk.count == xs.count)
        for index in xs.indices {
            let single = frame.point(x: xs[index], y: ys[index])
            let fast = bulk[index]
            if let single {
                #expect(
                    abs(single.x - fast.x) < 1e-6 && abs(single.y - fast.y) < 1e-6,
                    "point \(index): per-point \(single), bulk \(fast)")
            } else {
                #expect(fast.x.isNaN && fast.y.isNaN, "point \(index) should be skipped, bulk gave \(fast)")
            }
        }
    }
}
