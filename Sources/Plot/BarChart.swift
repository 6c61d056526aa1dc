extension Charts {
    /// Grouped bars: one group per category, one bar per series inside each group.
    ///
    /// ```
    /// series[s].values: [categories.count], value of series s in category c at index c
    /// ```
    /// Missing values (a shorter array), NaN, ±inf, and values ≤ 0 on a log axis leave a gap.
    /// Bars grow from zero on a linear axis (negative values downwards) and from the
    /// bottom edge on a log axis.
    ///
    /// With a single series whose categories include palette names ("fp32", "nf4", …)
    /// each bar takes its category's colour, so a "bytes per parameter" chart matches the
    /// other figures; otherwise bars take their series' colour.
    ///
    /// - Parameters:
    ///   - showValues: print each bar's value above it (when it fits), never struck through
    ///     by a horizontal reference line (``ChartFrame/drawValueLabel(_:x:end:above:)``).
    public static func bar(
        title: String, xLabel: String, yLabel: String, categories: [String],
        series: [(name: String, values: [Double])], yScale: Scale = .linear, showValues: Bool = false,
        yRange: ClosedRange<Double>? = nil, annotations: [Annotation] = [], size: Size = Style.defaultSize
    ) -> Canvas {
        var ys = series.flatMap { $0.values.prefix(categories.count) }
        for annotation in annotations {
            if case .horizontal(let y) = annotation.position { ys.append(y) }
        }
        let yAxis = Axis.fitted(
            to: ys, scale: yScale, requested: yRange, margin: showValues ? 0.1 : 0.05, fromZero: true,
            tickTarget: yTickTarget(size))
        let seriesColors = Palette.colors(for: series.map(\.name))
        let byCategory = series.count == 1 && categories.contains { Palette.fixedColor(for: $0) != nil }
        let categoryColors = Palette.colors(for: categories)
        let legend = zip(series, seriesColors).map { LegendEntry(name: $0.name, color: $1, swatch: .patch) }
        return ChartFrame.render(legend: legend) { rightReserve in
            ChartFrame(
                size: size, title: title, xLabel: xLabel, yLabel: yLabel, x: .categories(categories),
                y: .numeric(yAxis), xAxis: nil, yAxis: yAxis, rightReserve: rightReserve, annotations: annotations)
        } data: { frame in
            // Geometry: each category gets an equal slot; its bars fill the middle 80 %.
            let slot = Double(frame.plot.width) / Double(max(categories.count, 1))
            let barWidth = slot * 0.8 / Double(max(series.count, 1))
            let gap = barWidth >= 8 ? 2.0 : 0
            let zero = frame.zeroRow(yAxis)
            for (s, one) in series.enumerated() {
                for (c, value) in one.values.prefix(categories.count).enumerated() {
                    guard let fraction = yAxis.fraction(value) else { continue }
                    let top = frame.py(min(max(fraction, 0), 1))
                    let left = Double(frame.plot.x) + slot * (Double(c) + 0.1) + barWidth * Double(s) + gap / 2
                    let x0 = Int(left.rounded())
                    let x1 = Int((left + barWidth - gap).rounded())
                    let y0 = Int(min(top, zero).rounded())
                    let y1 = Int(max(top, zero).rounded())
                    let bar = PixelRect(x: x0, y: y0, width: max(x1 - x0, 1), height: max(y1 - y0, 1))
                    frame.canvas.fill(
                        bar.intersection(frame.plot), color: byCategory ? categoryColors[c] : seriesColors[s])
                    guard showValues else { continue }
                    let text = NumberFormat.compact(value)
                    guard BitmapFont.width(of: text, scale: Style.labelScale) <= Int(barWidth) + 10 else { continue }
                    let above = top <= zero
                    frame.drawValueLabel(text, x: (x0 + x1) / 2, end: above ? y0 : y1, above: above)
                }
            }
            frame.drawZeroLine(yAxis)
        }
    }
}

extension ChartFrame {
    /// The pixel row of value 0, where bars start: on a linear axis the row of 0 (clamped
    /// to the plot), on a log axis the bottom edge.
    func zeroRow(_ yAxis: Axis) -> Double {
        guard yAxis.scale == .linear, let fraction = yAxis.fraction(0) else { return Double(plot.maxY) }
        return py(min(max(fraction, 0), 1))
    }

    /// A 1 px line at zero when zero lies strictly inside a linear axis (bars go both ways).
    mutating func drawZeroLine(_ yAxis: Axis) {
        let zero = zeroRow(yAxis)
        guard yAxis.scale == .linear, zero > Double(plot.y), zero < Double(plot.maxY) else { return }
        canvas.fill(PixelRect(x: plot.x, y: Int(zero.rounded()), width: plot.width, height: 1), color: Style.frame)
    }
}
