/// One row of a legend: a small sample of how the series is drawn, then its name.
struct LegendEntry {
    enum Swatch {
        /// A short line (line charts), dashed or dotted like the series.
        case line(LineStyle)
        /// A line with a dot on it (line charts with markers).
        case lineWithMarker(LineStyle)
        /// A filled square (bars, histograms).
        case patch
        /// A dot (scatter).
        case marker
    }

    var name: String
    var color: RGB
    var swatch: Swatch
}

extension ChartFrame {
    /// Draws the legend in the corner of the plot area that hides the least data.
    ///
    /// "Least data" is measured, not guessed: for each of the four corners we count the
    /// pixels that changed between `withoutData` (grid only) and now, and take the emptiest
    /// (top-right first on ties). Deterministic, and right for curves that rise or fall.
    mutating func drawLegend(_ entries: [LegendEntry], avoiding withoutData: Canvas) {
        let scale = Style.labelScale
        let pad = 12
        let swatchWidth = 34
        let rowHeight = 26
        let textWidth = entries.map { BitmapFont.width(of: $0.name, scale: scale) }.max() ?? 0
        let width = pad + swatchWidth + 10 + textWidth + pad
        let height = 2 * pad + entries.count * rowHeight - (rowHeight - BitmapFont.capHeight * scale)
        let inset = 12
        let corners = [
            PixelRect(x: plot.maxX - inset - width, y: plot.y + inset, width: width, height: height),
            PixelRect(x: plot.x + inset, y: plot.y + inset, width: width, height: height),
            PixelRect(x: plot.maxX - inset - width, y: plot.maxY - inset - height, width: width, height: height),
            PixelRect(x: plot.x + inset, y: plot.maxY - inset - height, width: width, height: height),
        ]
        var box = corners[0]
        var fewest = Int.max
        for corner in corners {
            let hidden = canvas.changedPixels(in: corner, comparedWith: withoutData)
            if hidden < fewest {
                fewest = hidden
                box = corner
            }
        }
        canvas.fill(box, color: .white, alpha: 0.88)
        canvas.strokeRect(box, color: RGB(hex: 0xBBBBBB))
        for (row, entry) in entries.enumerated() {
            let middle = box.y + pad + row * rowHeight + BitmapFont.capHeight * scale / 2
            let left = Double(box.x + pad)
            let right = left + Double(swatchWidth)
            let y = Double(middle) + 0.5
            switch entry.swatch {
            case .line(let style):
                canvas.drawLine(
                    from: PixelPoint(left, y), to: PixelPoint(right, y), color: entry.color, width: 3, style: style)
            case .lineWithMarker(let style):
                canvas.drawLine(
                    from: PixelPoint(left, y), to: PixelPoint(right, y), color: entry.color, width: 3, style: style)
                canvas.fillDisc(center: PixelPoint((left + right) / 2, y), radius: 4.5, color: entry.color)
            case .patch:
                canvas.fill(
                    PixelRect(x: box.x + pad + 4, y: middle - 8, width: swatchWidth - 8, height: 17), color: entry.color
                )
            case .marker:
                canvas.fillDisc(center: PixelPoint((left + right) / 2, y), radius: 5, color: entry.color)
            }
            canvas.drawText(entry.name, x: box.x + pad + swatchWidth + 10, y: middle, scale: scale, anchor: .middleLeft)
        }
    }
}
