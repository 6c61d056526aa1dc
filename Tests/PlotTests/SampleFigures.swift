import Testing

@testable import Plot

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes one example of every chart to /tmp/plot-samples, for people to look at, and checks
/// each file decodes to the canvas that was written.
@Suite struct SampleFigures {
    static let directory = "/tmp/plot-samples"

    func save(_ canvas: Canvas, _ name: String) throws {
        mkdir(Self.directory, 0o755)
        let path = "\(Self.directory)/\(name).png"
        try canvas.writePNG(to: path)
        let decoded = try DecodedPNG(path: path)
        #expect(decoded.pixels == canvas.pixels, "\(name): decoded pixels differ from the canvas")
    }

    @Test func histogramOfTwoSeriesWithReferenceLines() throws {
        var rng = TestRNG(seed: 42)
        let weights = (0..<100_000).map { _ in rng.normal() * 0.02 }
        let heavy = (0..<50_000).map { _ in rng.normal() * 0.02 * (rng.uniform() < 0.05 ? 4 : 1) }
        let canvas = Charts.histogram(
            title: "Weights are bell-shaped; outliers stretch the absmax scale",
            xLabel: "weight value", series: [("fp32", weights), ("int8", heavy)], bins: 80, yScale: .log10,
            annotations: [.vertical(-0.1, label: "-absmax"), .vertical(0.1, label: "+absmax")])
        try save(canvas, "histogram")
    }

    @Test func logLogLinePlot() throws {
        let magnitudes = (0..<400).map { pow(10, -8 + Double($0) * 13 / 399) }
        func step(_ mantissaBits: Double, _ minExponent: Double) -> [Double] {
            magnitudes.map { pow(2, max((log2($0)).rounded(.down), minExponent) - mantissaBits) }
        }
        let series = [
            Series(name: "fp32", x: magnitudes, y: step(23, -126)),
            Series(name: "fp16", x: magnitudes, y: step(10, -14)),
            Series(name: "bf16", x: magnitudes, y: step(7, -126)),
            Series(name: "fp8-e4m3", x: magnitudes, y: step(3, -6), style: .dashed),
        ]
        let canvas = Charts.line(
            title: "Spacing between neighbouring floats grows with magnitude",
            xLabel: "magnitude |x|", yLabel: "gap to the next float", series: series,
            xScale: .log10, yScale: .log10, annotations: [.vertical(65504, label: "fp16 max 65504")])
        try save(canvas, "line-loglog")
    }

    @Test func linePlotWithMarkers() throws {
        let blocks: [Double] = [32, 64, 128, 256, 512, 1024, 2048, 4096]
        let series = [
            Series(name: "nf4", x: blocks, y: blocks.map { 0.071 + 0.004 * log2($0) }),
            Series(name: "fp4", x: blocks, y: blocks.map { 0.083 + 0.005 * log2($0) }),
            Series(name: "int4", x: blocks, y: blocks.map { 0.095 + 0.007 * log2($0) }),
        ]
        let canvas = Charts.line(
            title: "NF4 error is smaller than FP4's at every block size", xLabel: "block size",
            yLabel: "RMS error", series: series, xScale: .log10, markers: true, xTicks: blocks)
        try save(canvas, "line-markers")
    }

    @Test func scatterOfManyPoints() throws {
        var rng = TestRNG(seed: 7)
        let x = (0..<100_000).map { _ in rng.normal() }
        let a = Series(name: "absmax", x: x, y: x.map { $0 * 0.8 + rng.normal() * 0.3 })
        let b = Series(
            name: "zeropoint", x: x.prefix(2000).map { $0 }, y: x.prefix(2000).map { -$0 * 0.5 + rng.normal() * 0.2 })
        let canvas = Charts.scatter(
            title: "Quantized against original: tight along the diagonal", xLabel: "original",
            yLabel: "dequantized", series: [a, b], annotations: [.point(x: 2, y: 1.6, label: "outlier?")])
        try save(canvas, "scatter")
    }

    @Test func groupedBars() throws {
        let canvas = Charts.bar(
            title: "Memory for a 7B-parameter model by format", xLabel: "format", yLabel: "GB",
            categories: ["fp32", "fp16", "bf16", "int8", "nf4", "fp4"],
            series: [("weights", [28, 14, 14, 7, 3.5, 3.5]), ("+ optimizer", [84, 42, 42, 21, 10.5, 10.5])],
            showValues: true)
        try save(canvas, "bars")
        let single = Charts.bar(
            title: "Bytes per parameter", xLabel: "format", yLabel: "bytes",
            categories: ["fp32", "fp16", "bf16", "int8", "nf4", "fp4"], series: [("bytes", [4, 2, 2, 1, 0.5, 0.5])],
            showValues: true)
        try save(single, "bars-single")
    }

    @Test func heatmapWithColourBar() throws {
        let blockSizes = [32, 64, 128, 256, 512, 1024]
        let bits = [2, 3, 4, 5, 6, 8]
        var values: [Double] = []
        for b in bits {
            for block in blockSizes { values.append(pow(2, -Double(b)) * (1 + log2(Double(block)) / 10)) }
        }
        let canvas = Charts.heatmap(
            title: "Error falls 2× per extra bit, rises slowly with block size", xLabel: "block size",
            yLabel: "bits per weight", values: values, rows: bits.count, cols: blockSizes.count,
            colorLabel: "RMS error", colorScale: .log10, xTickLabels: blockSizes.map(String.init),
            yTickLabels: bits.map(String.init), showValues: true)
        try save(canvas, "heatmap")
    }

    @Test func stripOfRepresentableValues() throws {
        let fp4: [Double] = [0, 0.5, 1, 1.5, 2, 3, 4, 6].flatMap { [$0, -$0] }.map { $0 / 6 }
        let nf4: [Double] = [
            -1, -0.6962, -0.5251, -0.3949, -0.2844, -0.1848, -0.0911, 0, 0.0796, 0.1609, 0.2461, 0.3379, 0.4407,
            0.5626, 0.7230, 1,
        ]
        let int4 = (-7...7).map { Double($0) / 7 }
        let canvas = Charts.strip(
            title: "Where each 4-bit format puts its 16 values", xLabel: "value (scaled to absmax 1)",
            series: [("fp4-e2m1", fp4), ("nf4", nf4), ("int4", int4)], annotations: [.vertical(0, label: "zero")])
        try save(canvas, "strip")
    }
}

extension SampleFigures {
    /// `rect` of `canvas`, each pixel blown up to `factor` × `factor`: for checking small
    /// things (legend swatches, anti-aliasing) by eye.
    func zoomed(_ canvas: Canvas, _ rect: PixelRect, by factor: Int) -> Canvas {
        let visible = rect.intersection(canvas.bounds)
        var zoom = Canvas(width: max(visible.width, 1) * factor, height: max(visible.height, 1) * factor)
        for y in 0..<zoom.height {
            for x in 0..<zoom.width { zoom[x, y] = canvas[visible.x + x / factor, visible.y + y / factor] }
        }
        return zoom
    }

    /// Every glyph at 2× and 3×, and an 4× enlargement of anti-aliased lines, for checking by eye.
    @Test func fontSheetAndLineDetail() throws {
        var sheet = Canvas(width: 1200, height: 420)
        let ascii = String((32...126).map { Character(UnicodeScalar(UInt8($0))) })
        let extras = "± × · ° ² … — → ≈ ≤ ≥ ∞ √ α β ε λ π σ µ Δ, and a missing glyph: €"
        var y = 16
        for scale in [2, 3] {
            for start in stride(from: 0, to: ascii.count, by: 48) {
                let line = String(Array(ascii)[start..<min(start + 48, ascii.count)])
                sheet.drawText(line, x: 16, y: y, scale: scale)
                y += 12 * scale
            }
        }
        sheet.drawText(extras, x: 16, y: y, scale: 2)
        sheet.drawText("rotated text", x: 1150, y: 400, scale: 2, anchor: .bottomLeft, rotated: true)
        try save(sheet, "font-sheet")

        var lines = Canvas(width: 120, height: 80)
        for (index, slope) in [0.0, 0.2, 0.5, 1.0, 3.0].enumerated() {
            let start = PixelPoint(10 + Double(index) * 4, 10 + Double(index) * 14)
            lines.drawLine(from: start, to: PixelPoint(start.x + 60, start.y + 60 * slope / 4), color: Palette.blue)
        }
        lines.fillDisc(center: PixelPoint(100, 60), radius: 4, color: Palette.vermillion)
        var zoomed = Canvas(width: 480, height: 320)
        for y in 0..<320 {
            for x in 0..<480 { zoomed[x, y] = lines[x / 4, y / 4] }
        }
        try save(zoomed, "zoom-lines")
    }
}

extension SampleFigures {
    /// The awkward cases: a title that must wrap, category names too long to sit side by
    /// side, negative bars, a horizontal reference line, many legend entries.
    @Test func awkwardLayouts() throws {
        let names = [
            "fp32 baseline", "fp16 mixed precision", "bf16", "llm.int8 with outliers", "nf4 double quant",
            "int4 absmax", "fp4-e2m1", "zeropoint int8",
        ]
        let bars = Charts.bar(
            title:
                "Change in perplexity after quantization, relative to the fp32 baseline, for eight schemes (lower is better)",
            xLabel: "scheme", yLabel: "Δ perplexity", categories: names,
            series: [
                ("7B", [0, 0.01, 0.02, 0.05, 0.12, 0.4, 0.3, -0.05]),
                ("13B", [0, 0.0, 0.01, 0.03, 0.08, 0.25, 0.2, -0.02]),
            ],
            showValues: false, annotations: [.horizontal(0.1, label: "noticeable")])
        try save(bars, "bars-rotated")

        let steps = (0..<300).map(Double.init)
        let series = names.enumerated().map { index, name in
            Series(name: name, x: steps, y: steps.map { 3 + Double(index) * 0.15 + 2 * exp(-$0 / 60) })
        }
        let line = Charts.line(
            title: "Loss falls with training for every scheme", xLabel: "step", yLabel: "loss", series: series,
            annotations: [
                .horizontal(3.5, label: "target loss"), .vertical(100, label: "warm-up ends"),
                .vertical(110, label: "lr decay"),
            ])
        try save(line, "line-many")
    }
}
