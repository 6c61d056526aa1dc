extension Charts {
    /// Overlaid histograms of one or several series, all counted in the same bins.
    ///
    /// One or two series are drawn as translucent fills with a 2 px outline in their colour;
    /// from three series on, fills mix into a muddy brown, so each series is drawn as its
    /// outline alone, over a barely tinted fill (``HistogramStyle``). The data is binned
    /// first (``HistogramBins``), so a million values cost no more to draw than `bins`
    /// rectangles.
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
    ///   - style: filled or outlined; `.automatic` outlines three or more series.
    public static func histogram(
        title: String, xLabel: String, yLabel: String? = nil, series: [(name: String, values: [Double])],
        bins: Int = 60, range: ClosedRange<Double>? = nil, xScale: Scale = .linear, yScale: Scale = .linear,
        density: Bool = false, style: HistogramStyle = .automatic, annotations: [Annotation] = [],
        size: Size = Style.defaultSize
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
        let colors = Palette.colors(for: series.map(\.name))
        let outlined = style == .outline || (style == .automatic && series.count >= 3)
        let legend = zip(series, colors).map {
            LegendEntry(name: $0.name, color: $1, swatch: outlined ? .outline : .patch)
        }
        return ChartFrame.render(legend: legend) { rightReserve in
            ChartFrame(
                size: size, title: title, xLabel: xLabel, yLabel: yLabel ?? (density ? "density" : "count"),
                x: .numeric(xAxis), y: .numeric(yAxis), xAxis: xAxis, yAxis: yAxis, rightReserve: rightReserve,
                annotations: annotations)
        } data: { frame in
            if outlined {
                // Every tint first, then every outline: no fill ever dims another series' outline.
                for (index, height) in heights.enumerated() {
                    fillBins(height, edges: edges, in: &frame, color: colors[index], alpha: HistogramStyle.outlineFillAlpha)
                }
                for (index, height) in heights.enumerated() {
                    outlineBins(height, edges: edges, in: &frame, color: colors[index])
                }
            } else {
                for (index, height) in heights.enumerated() {
                    fillBins(height, edges: edges, in: &frame, color: colors[index], alpha: series.count > 1 ? 0.25 : 0.4)
                    outlineBins(height, edges: edges, in: &frame, color: colors[index])
                }
            }
        }
    }

    /// The pixel geometry of one series' bins: left and right x of each bin, and the y of
    /// its top (empty bins, or ≤ 0 on a log axis, sit on the baseline).
    private static func binGeometry(_ heights: [Double], edges: [Double], in frame: ChartFrame)
        -> [(left: Double, right: Double, top: Double)]
    {
        guard let xAxis = frame.xAxis, let yAxis = frame.yAxis else { return [] }
        let baseline = Double(frame.plot.maxY)
        func top(_ height: Double) -> Double {
            guard height > 0, let fraction = yAxis.fraction(height) else { return baseline }
            return frame.py(min(max(fraction, -0.01), 1.01))
        }
        func x(_ edge: Double) -> Double { frame.px(xAxis.fraction(edge) ?? 0) }
        return heights.enumerated().map { bin, height in (x(edges[bin]), x(edges[bin + 1]), top(height)) }
    }

    /// One series' bins filled with `color` at opacity `alpha`.
    private static func fillBins(
        _ heights: [Double], edges: [Double], in frame: inout ChartFrame, color: RGB, alpha: Double
    ) {
        for bin in binGeometry(heights, edges: edges, in: frame) {
            let columns = Int(bin.left.rounded())..<Int(bin.right.rounded())
            guard bin.top < Double(frame.plot.maxY), !columns.isEmpty else { continue }
            let rowTop = Int(bin.top.rounded())
            let bar = PixelRect(x: columns.lowerBound, y: rowTop, width: columns.count, height: frame.plot.maxY - rowTop)
            frame.canvas.fill(bar.intersection(frame.plot), color: color, alpha: alpha)
        }
    }

    /// One series' outline: a single 2 px staircase polyline over the bin tops.
    private static func outlineBins(_ heights: [Double], edges: [Double], in frame: inout ChartFrame, color: RGB) {
        let bins = binGeometry(heights, edges: edges, in: frame)
        guard let first = bins.first, let last = bins.last else { return }
        let baseline = Double(frame.plot.maxY)
        var outline = [PixelPoint(first.left, baseline)]
        for bin in bins {
            outline.append(PixelPoint(bin.left, bin.top))
            outline.append(PixelPoint(bin.right, bin.top))
        }
        outline.append(PixelPoint(last.right, baseline))
        var mask = frame.makeMask()
        mask.addPolyline(outline, lineWidth: Style.lineWidth, style: .solid)
        mask.composite(onto: &frame.canvas, color: color)
    }
}

/// How ``Charts/histogram(title:xLabel:yLabel:series:bins:range:xScale:yScale:density:style:annotations:size:)``
/// draws its series.
public enum HistogramStyle: Sendable, Hashable {
    /// Translucent fills with outlines: the clearest for one or two series.
    case filled
    /// Each series as its outline (a 2 px staircase over the bin tops) over a barely tinted
    /// fill: three or more overlaid series stay apart instead of mixing into mud.
    case outline
    /// `.filled` for one or two series, `.outline` for three or more.
    case automatic

    /// The tint under an outline: enough to see which side of the line is inside.
    static let outlineFillAlpha = 0.06
}
