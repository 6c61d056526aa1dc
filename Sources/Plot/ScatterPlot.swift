extension Charts {
    /// A dot at every (x, y) of every series; linear or log10 on each axis.
    ///
    /// Dots are composited at 85 % opacity so overlapping series stay visible. Many points
    /// landing on the same pixel are drawn once (100 000 points cost no more than the pixels
    /// they cover).
    ///
    /// - Parameters:
    ///   - markerRadius: dot radius in pixels.
    ///   - xRange, yRange: fixed axis ranges; `nil` fits the data with a small margin.
    ///   - xTicks: label exactly these x values instead of the automatic ticks.
    public static func scatter(
        title: String, xLabel: String, yLabel: String, series: [Series],
        xScale: Scale = .linear, yScale: Scale = .linear, markerRadius: Double = 3,
        xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil, xTicks: [Double]? = nil,
        annotations: [Annotation] = [], size: Size = Style.defaultSize
    ) -> Canvas {
        let colors = Self.colors(names: series.map(\.name), overrides: series.map(\.color))
        let legend = zip(series, colors).map { LegendEntry(name: $0.name, color: $1, swatch: .marker) }
        return ChartFrame.render(legend: legend) { rightReserve in
            xyFrame(
                title: title, xLabel: xLabel, yLabel: yLabel, series: series, xScale: xScale, yScale: yScale,
                xRange: xRange, yRange: yRange, xTicks: xTicks, annotations: annotations, size: size,
                rightReserve: rightReserve)
        } data: { frame in
            for (index, one) in series.enumerated() {
                var mask = frame.makeMask()
                let points = frame.points(x: one.x, y: one.y)
                mask.addMarkers(points, radius: markerRadius)
                mask.composite(onto: &frame.canvas, color: colors[index], alpha: 0.85)
            }
        }
    }

    /// One row of short vertical ticks per series, at each of its values: a "strip" or
    /// "rug" plot. Made for showing which numbers a format can represent — one row for
    /// fp4-e2m1, one for nf4, one for int4 — so the spacing of the grids can be compared.
    ///
    /// Rows are labelled with the series names on the y axis (top row first); no legend.
    public static func strip(
        title: String, xLabel: String, series: [(name: String, values: [Double])],
        xScale: Scale = .linear, xRange: ClosedRange<Double>? = nil,
        annotations: [Annotation] = [], size: Size = Style.defaultSize
    ) -> Canvas {
        var xs = series.flatMap(\.values)
        for annotation in annotations {
            if case .vertical(let x) = annotation.position { xs.append(x) }
        }
        let xAxis = Axis.fitted(to: xs, scale: xScale, requested: xRange, margin: 0.03, tickTarget: xTickTarget(size))
        let rows = max(series.count, 1)
        let names = series.map(\.name)
        // Row i is centred at fraction 1 − (i + ½)/rows: the first series on top.
        var yGuide = AxisGuide(
            ticks: names.enumerated().map { (1 - (Double($0.offset) + 0.5) / Double(rows), $0.element) })
        yGuide.grid = true
        var frame = ChartFrame(
            size: size, title: title, xLabel: xLabel, yLabel: "", x: .numeric(xAxis), y: yGuide,
            xAxis: xAxis, yAxis: nil, annotations: annotations)
        let colors = Palette.colors(for: names)
        let halfHeight = min(Double(frame.plot.height) / Double(rows) * 0.3, 40)
        for (index, one) in series.enumerated() {
            var mask = frame.makeMask()
            let centre = frame.py(1 - (Double(index) + 0.5) / Double(rows))
            var drawnColumns = Set<Int>()
            for value in one.values {
                guard let fraction = xAxis.fraction(value), fraction >= 0, fraction <= 1 else { continue }
                let x = frame.px(fraction)
                guard drawnColumns.insert(Int((x * 4).rounded())).inserted else { continue }
                mask.addSegment(
                    from: PixelPoint(x, centre - halfHeight), to: PixelPoint(x, centre + halfHeight), lineWidth: 2)
            }
            mask.composite(onto: &frame.canvas, color: colors[index])
        }
        return frame.finish()
    }
}

extension CoverageMask {
    /// A disc at every finite point, each pixel position stamped at most once.
    mutating func addMarkers(_ points: [PixelPoint], radius: Double) {
        // stamped: [height][width] flags, one per whole-pixel marker position.
        var stamped = [Bool](repeating: false, count: width * height)
        let reach = clip.insetBy(-Int(radius) - 2).intersection(PixelRect(x: 0, y: 0, width: width, height: height))
        for point in points where point.x.isFinite && point.y.isFinite {
            guard point.x >= Double(reach.x), point.x < Double(reach.maxX), point.y >= Double(reach.y),
                point.y < Double(reach.maxY)
            else { continue }
            let index = Int(point.y) * width + Int(point.x)
            guard !stamped[index] else { continue }
            stamped[index] = true
            addDisc(center: point, radius: radius)
        }
    }
}
