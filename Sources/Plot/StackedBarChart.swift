extension Charts {
    /// Stacked bars: one bar per category, built from named segments stacked bottom up —
    /// a memory breakdown (weights, gradients, optimizer states, activations) per method.
    ///
    /// ```
    /// segments[s].values: [categories.count], the size of segment s in category c at index c
    /// ```
    /// The first segment sits at the bottom of every bar. Missing values (a shorter array),
    /// NaN, ±inf and negative values add nothing to a stack. The legend lists the segments
    /// top to bottom, in the order they are stacked.
    ///
    /// The axis is always linear and starts at zero: a stack's height is a sum, and only a
    /// linear axis shows a sum as a length (on a log axis the top segment of 784 GB and of
    /// 141 GB would look alike, and the lower segments would be unreadable).
    ///
    /// - Parameters:
    ///   - showTotals: print each bar's total above it, never struck through by a
    ///     horizontal reference line (``ChartFrame/drawValueLabel(_:x:end:above:)``).
    ///   - showSegmentValues: print each segment's size inside it, where it fits.
    public static func stackedBar(
        title: String, xLabel: String, yLabel: String, categories: [String],
        segments: [(name: String, values: [Double])], showTotals: Bool = true, showSegmentValues: Bool = false,
        yRange: ClosedRange<Double>? = nil, annotations: [Annotation] = [], size: Size = Style.defaultSize
    ) -> Canvas {
        // stacks[c][s]: the size segment s adds to category c (0 when missing or not usable).
        let stacks: [[Double]] = categories.indices.map { c in
            segments.map { segment in
                let value = c < segment.values.count ? segment.values[c] : 0
                return value.isFinite && value > 0 ? value : 0
            }
        }
        let totals = stacks.map { $0.reduce(0, +) }
        var ys = totals
        for annotation in annotations {
            if case .horizontal(let y) = annotation.position { ys.append(y) }
        }
        let yAxis = Axis.fitted(
            to: ys, scale: .linear, requested: yRange, margin: showTotals ? 0.1 : 0.05, fromZero: true,
            tickTarget: yTickTarget(size))
        let colors = Palette.colors(for: segments.map(\.name))
        let legend = zip(segments, colors).reversed().map { LegendEntry(name: $0.name, color: $1, swatch: .patch) }
        return ChartFrame.render(legend: legend) { rightReserve in
            ChartFrame(
                size: size, title: title, xLabel: xLabel, yLabel: yLabel, x: .categories(categories),
                y: .numeric(yAxis), xAxis: nil, yAxis: yAxis, rightReserve: rightReserve, annotations: annotations)
        } data: { frame in
            // Each category gets an equal slot; its bar fills the middle 70 %.
            let slot = Double(frame.plot.width) / Double(max(categories.count, 1))
            for (c, stack) in stacks.enumerated() {
                let x0 = Int((Double(frame.plot.x) + slot * (Double(c) + 0.15)).rounded())
                let x1 = Int((Double(frame.plot.x) + slot * (Double(c) + 0.85)).rounded())
                var base = 0.0
                for (s, value) in stack.enumerated() where value > 0 {
                    let bottom = row(base, frame: frame, axis: yAxis)
                    let top = row(base + value, frame: frame, axis: yAxis)
                    base += value
                    let segment = PixelRect(x: x0, y: top, width: max(x1 - x0, 1), height: max(bottom - top, 1))
                    frame.canvas.fill(segment.intersection(frame.plot), color: colors[s])
                    // A 1 px white seam on top of the segment below, so neighbouring colours stay apart.
                    if base > value && bottom < frame.plot.maxY {
                        frame.canvas.fill(PixelRect(x: x0, y: bottom, width: x1 - x0, height: 1), color: .white)
                    }
                    guard showSegmentValues else { continue }
                    let text = NumberFormat.compact(value)
                    let visible = segment.intersection(frame.plot)
                    guard visible.height >= BitmapFont.capHeight * Style.labelScale + 8,
                        BitmapFont.width(of: text, scale: Style.labelScale) + 8 <= visible.width
                    else { continue }
                    frame.canvas.drawText(
                        text, x: (x0 + x1) / 2, y: visible.y + visible.height / 2, scale: Style.labelScale,
                        color: colors[s].brightness < 0.55 ? .white : Style.text, anchor: .center)
                }
                guard showTotals, totals[c] > 0 else { continue }
                let top = row(totals[c], frame: frame, axis: yAxis)
                frame.drawValueLabel(NumberFormat.compact(totals[c]), x: (x0 + x1) / 2, end: top, above: true)
            }
        }
    }

    /// The pixel row of `value` on a linear axis, clamped to the plot.
    private static func row(_ value: Double, frame: ChartFrame, axis: Axis) -> Int {
        Int(frame.py(min(max(axis.fraction(value) ?? 0, 0), 1)).rounded())
    }
}
