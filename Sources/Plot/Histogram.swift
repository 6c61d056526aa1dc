extension Charts {
    /// Overlaid histograms of one or several series, all counted in the same bins.
    ///
    /// Each series is drawn as a translucent fill with a 2 px outline in its colour, so
    /// overlapping distributions stay readable. The data is binned first
    /// (``HistogramBins``), so a million values cost no more to draw than `bins` rectangles.
    ///
    /// - Parameters:
    ///   - yLabel: defaults to "count", or "density" when `density` is set.
    ///   - range: the binned range; values outside it are not counted. `nil`: all finite
    ///     values of all series (padded if they are all equal).
    ///   - xScale: `.log10` bins in equal ratios (for magnitudes spanning decades); values
    ///     ≤ 0 are then skipped.
    ///   - yScale: `.log10` shows rare tails (outliers!) next to the bulk; empty bins vanish.
    ///   - density: divide counts by (values counted × bin width), so each area is 1 and
    ///     series of different sizes compare.
    public static func histogram(
        title: String, xLabel: String, yLabel: String? = nil, series: [(name: String, values: [Double])],
        bins: Int = 60, range: ClosedRange<Double>? = nil, xScale: Scale = .linear, yScale: Scale = .linear,
        density: Bool = false, annotations: [Annotation] = [], size: Size = Style.defaultSize
    ) -> Canvas {
        let bins = max(bins, 1)
        // The binned range: the x axis with no margin, so the bars fill the plot width.
        let binRange = Axis.fitted(to: series.flatMap(\.values), scale: xScale, requested: range, margin: 0)
        let edges = HistogramBins.edges(lo: binRange.lo, hi: binRange.hi, bins: bins, scale: xScale)
        let heights: [[Double]] = series.map { one in
            let counts = HistogramBins.counts(one.values, edges: edges, scale: xScale)
            guard density else { return counts.map(Double.init) }
            let total = Double(counts.reduce(0, +))
            return counts.indices.map { total > 0 ? Double(counts[$0]) / (total * (edges[$0 + 1] - edges[$0])) : 0 }
        }
        var xs = [binRange.lo, binRange.hi]
        for annotation in annotations {
            if case .vertical(let x) = annotation.position { xs.append(x) }
        }
        let xAxis = Axis.fitted(to: xs, scale: xScale, requested: range, margin: 0, tickTarget: xTickTarget(size))
        let yAxis = Axis.fitted(
            to: heights.flatMap { $0 }, scale: yScale, margin: 0.05, fromZero: true, tickTarget: yTickTarget(size))
        var frame = ChartFrame(
            size: size, title: title, xLabel: xLabel, yLabel: yLabel ?? (density ? "density" : "count"),
            x: .numeric(xAxis), y: .numeric(yAxis), xAxis: xAxis, yAxis: yAxis, annotations: annotations)
        let colors = Palette.colors(for: series.map(\.name))
        let fillAlpha = series.count > 1 ? 0.25 : 0.4
        for (index, height) in heights.enumerated() {
            drawBars(height, edges: edges, in: &frame, color: colors[index], fillAlpha: fillAlpha)
        }
        let legend = zip(series, colors).map { LegendEntry(name: $0.name, color: $1, swatch: .patch) }
        return frame.finish(legend: legend)
    }

    /// One series: filled bins, then the outline as a single staircase polyline.
    private static func drawBars(
        _ heights: [Double], edges: [Double], in frame: inout ChartFrame, color: RGB, fillAlpha: Double
    ) {
        guard let xAxis = frame.xAxis, let yAxis = frame.yAxis else { return }
        let baseline = Double(frame.plot.maxY)
        // y pixel of a bar top; empty bins (or ≤ 0 on a log axis) sit on the baseline.
        func top(_ height: Double) -> Double {
            guard height > 0, let fraction = yAxis.fraction(height) else { return baseline }
            return frame.py(min(max(fraction, -0.01), 1.01))
        }
        func x(_ edge: Double) -> Double { frame.px(xAxis.fraction(edge) ?? 0) }
        var outline = [PixelPoint(x(edges[0]), baseline)]
        for (bin, height) in heights.enumerated() {
            let left = x(edges[bin])
            let right = x(edges[bin + 1])
            let y = top(height)
            let columns = Int(left.rounded())..<Int(right.rounded())
            if y < baseline && !columns.isEmpty {
                let rowTop = Int(y.rounded())
                let bar = PixelRect(
                    x: columns.lowerBound, y: rowTop, width: columns.count, height: frame.plot.maxY - rowTop)
                frame.canvas.fill(bar.intersection(frame.plot), color: color, alpha: fillAlpha)
            }
            outline.append(PixelPoint(left, y))
            outline.append(PixelPoint(right, y))
        }
        outline.append(PixelPoint(x(edges[edges.count - 1]), baseline))
        var mask = frame.makeMask()
        mask.addPolyline(outline, lineWidth: Style.lineWidth, style: .solid)
        mask.composite(onto: &frame.canvas, color: color)
    }
}
