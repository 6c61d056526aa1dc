import Testing

@testable import Plot

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Outline histograms (issue 10), checked on the rendered pixels.
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
}
