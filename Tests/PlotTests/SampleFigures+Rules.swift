import Testing

@testable import Plot

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One sample per placement rule and per newer chart (issue 10), written next to the others.
extension SampleFigures {
    /// Solid and dashed series of the same colours, with markers: every swatch shows its dash.
    @Test func legendSwatchesShowDashes() throws {
        let blocks: [Double] = [32, 64, 128, 256, 512, 1024, 2048, 4096]
        func curve(_ base: Double, _ slope: Double) -> [Double] { blocks.map { base * pow($0 / 32, slope) } }
        let canvas = Charts.line(
            title: "Heavy tails cost every 4-bit type more error as blocks grow",
            xLabel: "block size (weights per absmax)", yLabel: "round-trip MSE",
            series: [
                Series(name: "int4 (normal)", x: blocks, y: curve(3.7e-6, 0.2), color: Palette.bluishGreen),
                Series(name: "nf4 (normal)", x: blocks, y: curve(2.6e-6, 0.13), color: Palette.blue),
                Series(name: "int4 (Student-t)", x: blocks, y: curve(8e-6, 0.58), color: Palette.bluishGreen, style: .dashed),
                Series(name: "nf4 (Student-t)", x: blocks, y: curve(3.9e-6, 0.6), color: Palette.blue, style: .dashed),
                Series(name: "fp4 (Student-t)", x: blocks, y: curve(9e-6, 0.55), color: Palette.black, style: .dotted),
            ],
            xScale: .log10, yScale: .log10, markers: true, xTicks: blocks)
        try save(canvas, "legend-dashes")
        if let legend = canvas.layout?.legend { try save(zoomed(canvas, legend, by: 3), "legend-dashes-zoom") }
    }

    /// Data in all four corners: the legend moves outside, the plot narrows.
    @Test func legendOutsideWhenEveryCornerHasData() throws {
        let steps = (0...400).map(Double.init)
        let series = (0..<3).map { k in
            Series(name: ["seed 0", "seed 1", "seed 2"][k], x: steps, y: steps.map { sin($0 / 3 + 2 * Double(k)) })
        }
        let canvas = Charts.line(
            title: "Oscillations fill the plot: the legend moves beside it", xLabel: "step", yLabel: "signal",
            series: series)
        try save(canvas, "legend-outside")
        #expect(canvas.layout?.legendIsOutside == true, "every spot inside has data, yet the legend is inside")
    }

    /// The chapter 1 shape: the top corners are taken, the legend finds the gap between curves.
    @Test func legendFindsTheFreeGap() throws {
        let magnitudes = (0..<300).map { pow(10, -10 + Double($0) * 16 / 299) }
        func profile(_ floor: Double, _ underflow: Double) -> [Double] {
            magnitudes.map { min(1, max(floor, floor * underflow / $0)) }
        }
        let canvas = Charts.line(
            title: "Rounding error is flat for normal numbers, climbs below them",
            xLabel: "magnitude |x|", yLabel: "worst relative error",
            series: [
                Series(name: "fp32", x: magnitudes, y: profile(6e-8, 1e-38)),
                Series(name: "fp16", x: magnitudes, y: profile(4.9e-4, 6e-5)),
                Series(name: "bf16", x: magnitudes, y: profile(3.9e-3, 1e-38)),
                Series(name: "fp8-e4m3", x: magnitudes, y: profile(0.0625, 0.0156)),
                Series(name: "fp8-e5m2", x: magnitudes, y: profile(0.125, 6e-5)),
                Series(name: "fp4-e2m1", x: magnitudes, y: profile(0.25, 1)),
            ],
            xScale: .log10, yScale: .log10, yRange: 1e-8...3)
        try save(canvas, "legend-free-gap")
    }

    /// The chapter 8 shape: the "even share" label would sit on a bar at the right end.
    @Test func referenceLabelAvoidsBars() throws {
        let canvas = Charts.bar(
            title: "Tokens per expert: an untrained router already loads the experts unevenly",
            xLabel: "expert", yLabel: "top-2 slots (of 32)", categories: (0..<8).map { "expert \($0)" },
            series: [("tokens", [5, 3, 2, 4, 4, 4, 5, 5])], showValues: true,
            annotations: [.horizontal(4, label: "even share")])
        try save(canvas, "bars-label-avoids-bars")
    }

    /// Three overlaid distributions: outlines, not mud.
    @Test func histogramOfThreeSeriesAsOutlines() throws {
        var rng = TestRNG(seed: 5)
        let nf4 = (0..<100_000).map { _ in rng.normal() * 0.0021 }
        let fp4 = (0..<100_000).map { _ in rng.normal() * 0.0024 * (rng.uniform() < 0.1 ? 1.8 : 1) }
        let int4 = (0..<100_000).map { _ in max(min(rng.normal() * 0.0026, 0.0065), -0.0065) }
        let canvas = Charts.histogram(
            title: "NF4: smallest RMS error; Int4: shortest tails", xLabel: "dequantized - original weight",
            yLabel: "weights", series: [("nf4", nf4), ("fp4", fp4), ("int4", int4)], bins: 120, yScale: .log10)
        try save(canvas, "histogram-outlines")
    }

    /// The chapter 7 memory figure: stacked, linear, with GPU lines and totals.
    @Test func stackedBarsOfAMemoryBreakdown() throws {
        let canvas = Charts.stackedBar(
            title: "Only QLoRA fits LLaMA-65B fine-tuning in a 48 GB GPU",
            xLabel: "fine-tuning method (LLaMA-65B, r = 64)", yLabel: "memory (GB)",
            categories: ["full, 16-bit", "LoRA, 16-bit base", "QLoRA, NF4 base"],
            segments: [
                ("weights", [130, 130, 35.7]), ("gradients", [130, 0.4, 0.4]),
                ("optimizer states", [520, 1.6, 1.6]), ("activations", [4, 7.3, 7.2]),
            ],
            showSegmentValues: true,
            annotations: [.horizontal(48, label: "48 GB GPU"), .horizontal(80, label: "80 GB GPU")])
        try save(canvas, "stacked-bars")
    }

    /// Differences between runs with the spread over seeds as a band, on a linear axis; and
    /// a log axis that says so.
    @Test func linesWithBandsAndALogAxis() throws {
        let steps = (0...200).map { Double($0) * 5 }
        var rng = TestRNG(seed: 3)
        func run(_ offset: Double) -> (mean: [Double], band: Band) {
            let mean = steps.map { offset * (1 - exp(-$0 / 300)) + 0.001 * sin($0 / 40) }
            let spread = steps.map { _ in 0.0015 + 0.0005 * rng.uniform() }
            return (mean, Band(lower: zip(mean, spread).map { $0 - $1 }, upper: zip(mean, spread).map { $0 + $1 }))
        }
        let qlora = run(0.004)
        let full = run(-0.006)
        let canvas = Charts.line(
            title: "QLoRA ends 0.004 nats above LoRA, full fine-tuning 0.006 below",
            xLabel: "step", yLabel: "loss minus LoRA's loss (nats)",
            series: [
                Series(name: "QLoRA - LoRA", x: steps, y: qlora.mean, band: qlora.band),
                Series(
                    name: "full - LoRA", x: steps, y: full.mean,
                    band: Band(lower: full.band.lower, upper: full.band.upper, label: "spread over 5 batch orders")),
            ],
            annotations: [.horizontal(0, label: "LoRA", style: .solid)])
        try save(canvas, "line-bands")
        if let legend = canvas.layout?.legend { try save(zoomed(canvas, legend, by: 3), "line-bands-legend-zoom") }
        let loss = Charts.line(
            title: "Base-model loss falls by a decade in the first thousand steps", xLabel: "step",
            yLabel: "loss (nats)", series: [Series(name: "tinygpt", x: steps, y: steps.map { 0.4 + 4 * exp(-$0 / 150) })],
            yScale: .log10)
        try save(loss, "log-axis-note")
    }
}
