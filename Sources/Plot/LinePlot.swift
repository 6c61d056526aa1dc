extension Charts {
    /// Lines through each series' points, in order; linear or log10 on each axis.
    ///
    /// Use it for curves: error against block size, loss against step, a format's step
    /// size against magnitude (log–log). Points the axes cannot show (NaN, ±inf, ≤ 0 on a
    /// log axis) break the line. Annotation positions are included in the axis ranges, so
    /// a reference line (e.g. a format's largest value) is always on the figure.
    ///
    /// A series with a ``Band`` gets its spread shaded under all the lines, in its colour at
    /// 20 % opacity; the band shows in the legend (behind the series' swatch, or on its own
    /// row when it has a label). The legend itself goes where it hides no data — inside the
    /// plot if any spot is free, else beside it.
    ///
    /// - Parameters:
    ///   - markers: also draw a dot at every point (for sparse sweeps).
    ///   - xRange, yRange: fixed axis ranges; `nil` fits the data with a small margin.
    ///   - xTicks: label exactly these x values (e.g. block sizes 64, 128, … on a log axis)
    ///     instead of the automatic 1-2-5 or power-of-ten ticks.
    public static func line(
        title: String, xLabel: String, yLabel: String, series: [Series],
        xScale: Scale = .linear, yScale: Scale = .linear, markers: Bool = false,
        xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil, xTicks: [Double]? = nil,
        annotations: [Annotation] = [], size: Size = Style.defaultSize
    ) -> Canvas {
        let colors = Self.colors(names: series.map(\.name), overrides: series.map(\.color))
        var legend: [LegendEntry] = []
        for (one, color) in zip(series, colors) {
            let bandRow = one.band?.label.map { !$0.isEmpty } ?? false
            let swatch = LegendEntry.Swatch.line(one.style, marker: markers, band: one.band != nil && !bandRow)
            legend.append(LegendEntry(name: one.name, color: color, swatch: swatch))
            if bandRow, let label = one.band?.label { legend.append(LegendEntry(name: label, color: color, swatch: .band)) }
        }
        return ChartFrame.render(legend: legend) { rightReserve in
            xyFrame(
                title: title, xLabel: xLabel, yLabel: yLabel, series: series, xScale: xScale, yScale: yScale,
                xRange: xRange, yRange: yRange, xTicks: xTicks, annotations: annotations, size: size,
                rightReserve: rightReserve)
        } data: { frame in
            // Bands first, all of them, so that no band hides another series' line.
            for (index, one) in series.enumerated() {
                guard let band = one.band else { continue }
                var mask = frame.makeMask()
                mask.addBand(lower: frame.points(x: one.x, y: band.lower), upper: frame.points(x: one.x, y: band.upper))
                mask.composite(onto: &frame.canvas, color: colors[index], alpha: Legend.bandAlpha)
            }
            for (index, one) in series.enumerated() {
                var mask = frame.makeMask()
                let points = frame.points(x: one.x, y: one.y)
                mask.addPolyline(points, lineWidth: Style.lineWidth, style: one.style)
                if markers { mask.addMarkers(points, radius: 4) }
                mask.composite(onto: &frame.canvas, color: colors[index])
            }
        }
    }

    /// A frame with two numeric axes fitted to the series and the annotations.
    static func xyFrame(
        title: String, xLabel: String, yLabel: String, series: [Series], xScale: Scale, yScale: Scale,
        xRange: ClosedRange<Double>?, yRange: ClosedRange<Double>?, xTicks: [Double]?, annotations: [Annotation],
        size: Size, rightReserve: Int = 0
    ) -> ChartFrame {
        var xs: [Double] = []
        var ys: [Double] = []
        for one in series {
            // A point counts towards the range only if both of its coordinates can be shown.
            for i in 0..<one.count {
                let x = one.x[i]
                let y = one.y[i]
                if x.isFinite && y.isFinite && (xScale == .linear || x > 0) && (yScale == .linear || y > 0) {
                    xs.append(x)
                    ys.append(y)
                }
            }
            // A band's edges count too: the shaded spread must fit on the figure.
            guard let band = one.band else { continue }
            for i in 0..<min(one.x.count, band.lower.count, band.upper.count) {
                let x = one.x[i]
                guard x.isFinite && (xScale == .linear || x > 0) else { continue }
                for y in [band.lower[i], band.upper[i]] where y.isFinite && (yScale == .linear || y > 0) {
                    ys.append(y)
                }
            }
        }
        for annotation in annotations {
            switch annotation.position {
            case .vertical(let x): xs.append(x)
            case .horizontal(let y): ys.append(y)
            case .point(let x, let y):
                xs.append(x)
                ys.append(y)
            }
        }
        let xAxis = Axis.fitted(to: xs, scale: xScale, requested: xRange, margin: 0.03, tickTarget: xTickTarget(size))
        let yAxis = Axis.fitted(to: ys, scale: yScale, requested: yRange, margin: 0.05, tickTarget: yTickTarget(size))
        var xGuide = AxisGuide.numeric(xAxis)
        if let xTicks {
            let inside = xTicks.filter { xAxis.fraction($0).map { $0 >= 0 && $0 <= 1 } ?? false }
            xGuide = AxisGuide(ticks: inside.map { (xAxis.fraction($0) ?? 0, NumberFormat.compact($0)) })
        }
        return ChartFrame(
            size: size, title: title, xLabel: xLabel, yLabel: yLabel,
            x: xGuide, y: .numeric(yAxis), xAxis: xAxis, yAxis: yAxis, rightReserve: rightReserve,
            annotations: annotations)
    }

    /// About one labelled tick per 150 px across, one per 110 px up.
    static func xTickTarget(_ size: Size) -> Int { min(max(size.width / 150, 3), 10) }
    static func yTickTarget(_ size: Size) -> Int { min(max(size.height / 110, 3), 8) }
}
