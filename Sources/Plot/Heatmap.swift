extension Charts {
    /// A grid of coloured cells with a viridis colour bar: one number per (row, column).
    ///
    /// ```
    /// values: [rows][cols] Double, row-major: values[r * cols + c]; row 0 is drawn at the top
    /// ```
    /// NaN, ±inf, and values ≤ 0 with `colorScale: .log10`, are drawn light grey and do not
    /// affect the colour range.
    ///
    /// - Parameters:
    ///   - colorLabel: the quantity the colours encode, written beside the colour bar.
    ///   - colorRange: fixed ends of the colour scale (values beyond are clamped); `nil`:
    ///     the finite values' range.
    ///   - xTickLabels, yTickLabels: names of the columns / rows (e.g. block sizes); `nil`
    ///     labels them 0, 1, 2, …
    ///   - showValues: print each cell's value in it, when the cells are big enough.
    public static func heatmap(
        title: String, xLabel: String, yLabel: String, values: [Double], rows: Int, cols: Int,
        colorLabel: String, colorScale: Scale = .linear, colorRange: ClosedRange<Double>? = nil,
        xTickLabels: [String]? = nil, yTickLabels: [String]? = nil, showValues: Bool = false,
        size: Size = Style.defaultSize
    ) -> Canvas {
        precondition(
            rows >= 0 && cols >= 0 && values.count == rows * cols,
            "heatmap needs rows × cols = \(rows) × \(cols) values, got \(values.count)")
        let colorAxis = Axis.fitted(to: values, scale: colorScale, requested: colorRange, margin: 0, tickTarget: 6)
        let colorLabel = colorScale.axisTitle(colorLabel)
        let scale = Style.labelScale
        let colorTickWidth = colorAxis.ticks.labels.map { BitmapFont.width(of: $0, scale: scale) }.max() ?? 0
        let barGap = 28
        let barWidth = 24
        let reserve =
            barGap + barWidth + Style.tickLength + ChartFrame.labelGap + colorTickWidth
            + (colorLabel.isEmpty ? 0 : 16 + BitmapFont.capHeight * scale)
        var frame = ChartFrame(
            size: size, title: title, xLabel: xLabel, yLabel: yLabel,
            x: cellGuide(count: cols, labels: xTickLabels, fromTop: false),
            y: cellGuide(count: rows, labels: yTickLabels, fromTop: true), xAxis: nil, yAxis: nil, rightReserve: reserve
        )
        let plot = frame.plot
        for r in 0..<rows {
            let y0 = Int(frame.py(1 - Double(r) / Double(rows)).rounded())
            let y1 = Int(frame.py(1 - Double(r + 1) / Double(rows)).rounded())
            for c in 0..<cols {
                let x0 = Int(frame.px(Double(c) / Double(cols)).rounded())
                let x1 = Int(frame.px(Double(c + 1) / Double(cols)).rounded())
                let value = values[r * cols + c]
                let fill = colorAxis.fraction(value).map { ColorMap.viridis($0) } ?? RGB(hex: 0xD9D9D9)
                let cell = PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
                frame.canvas.fill(cell, color: fill)
                guard showValues, value.isFinite else { continue }
                let text = NumberFormat.compact(value)
                if BitmapFont.width(of: text, scale: scale) + 8 <= cell.width && cell.height >= 22 {
                    frame.canvas.drawText(
                        text, x: cell.x + cell.width / 2, y: cell.y + cell.height / 2, scale: scale,
                        color: fill.brightness < 0.55 ? .white : Style.text, anchor: .center)
                }
            }
        }
        var canvas = frame.finish()
        // The colour bar: top = high end of the scale, with the colour axis' ticks.
        let bar = PixelRect(x: plot.maxX + barGap, y: plot.y, width: barWidth, height: plot.height)
        for row in 0..<bar.height {
            let t = 1 - (Double(row) + 0.5) / Double(bar.height)
            canvas.fill(PixelRect(x: bar.x, y: bar.y + row, width: bar.width, height: 1), color: ColorMap.viridis(t))
        }
        canvas.strokeRect(bar.insetBy(-1), color: Style.frame)
        let labelX = bar.maxX + 1 + Style.tickLength + ChartFrame.labelGap
        for (value, label) in zip(colorAxis.ticks.major, colorAxis.ticks.labels) {
            guard let fraction = colorAxis.fraction(value), fraction >= -1e-9, fraction <= 1 + 1e-9 else { continue }
            let y = Int(Double(bar.maxY) - min(max(fraction, 0), 1) * Double(bar.height))
            canvas.fill(PixelRect(x: bar.maxX + 1, y: y, width: Style.tickLength, height: 1), color: Style.frame)
            canvas.drawText(label, x: labelX, y: y, scale: scale, anchor: .middleLeft)
        }
        if !colorLabel.isEmpty {
            canvas.drawText(
                colorLabel, x: labelX + colorTickWidth + 16, y: bar.y + bar.height / 2, scale: scale,
                anchor: .middleLeft, rotated: true)
        }
        return canvas
    }

    /// Labels at the centres of `count` cells; numbered cells get 1-2-5 spaced indices.
    private static func cellGuide(count: Int, labels: [String]?, fromTop: Bool) -> AxisGuide {
        let position = { (index: Int) -> Double in
            let centre = (Double(index) + 0.5) / Double(max(count, 1))
            return fromTop ? 1 - centre : centre
        }
        var guide: AxisGuide
        if let labels, labels.count == count {
            guide = AxisGuide(ticks: labels.enumerated().map { (position($0.offset), $0.element) })
            guide.mayRotateLabels = !fromTop
        } else {
            let ticks = count > 1 ? Ticks.linear(0, Double(count - 1), target: 8).major : (count == 1 ? [0] : [])
            let indices = ticks.filter { $0 == $0.rounded() }.map { Int($0) }
            guide = AxisGuide(ticks: indices.map { (position($0), String($0)) })
        }
        guide.grid = false
        return guide
    }
}
