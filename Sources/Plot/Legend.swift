/// One row of a legend: a small sample of how the series is drawn, then its name.
struct LegendEntry {
    enum Swatch {
        /// A short line, dashed or dotted like the series, optionally with a dot on it
        /// (line charts with markers) and a shaded band behind it (series with a band).
        case line(LineStyle, marker: Bool = false, band: Bool = false)
        /// A filled square (bars, filled histograms).
        case patch
        /// A lightly filled square with a 2 px border in the colour (outline histograms).
        case outline
        /// A square in the light band shade alone (a band with its own legend row).
        case band
        /// A dot (scatter).
        case marker
    }

    var name: String
    var color: RGB
    var swatch: Swatch
}

/// The legend's geometry and the rule for where it goes.
///
/// Rule: the legend never covers data. It takes the first spot inside the plot area whose
/// box (plus a 4 px margin) holds no data pixel and no annotation label — the four corners
/// first, then positions along the four edges — preferring spots that cross no reference
/// line. If there is no such spot, ``ChartFrame/render(legend:frame:data:)`` lays the chart
/// out again with the legend right of the plot area, the plot narrower by the legend's width.
enum Legend {
    static let pad = 12
    /// Swatch length: at least two periods of the longest dash pattern (dashed: 12 on, 7 off
    /// = 19 px), so a dashed swatch shows two gaps even with a marker on its middle dash.
    static let swatchWidth = 50
    static let rowHeight = 26
    /// Distance from the plot edge to the legend, inside or outside.
    static let inset = 12, outsideGap = 16
    /// Opacity of a band's shade, in the plot and in its swatch.
    static let bandAlpha = 0.2

    /// Width and height of the legend box for `entries`.
    static func size(_ entries: [LegendEntry]) -> (width: Int, height: Int) {
        let scale = Style.labelScale
        let textWidth = entries.map { BitmapFont.width(of: $0.name, scale: scale) }.max() ?? 0
        let width = pad + swatchWidth + 10 + textWidth + pad
        let height = 2 * pad + entries.count * rowHeight - (rowHeight - BitmapFont.capHeight * scale)
        return (width, height)
    }

    /// Candidate boxes inside `plot`, most natural first: corners (top-right, top-left,
    /// bottom-right, bottom-left), then every 8 px along the right, left, top, bottom edges.
    static func insideCandidates(plot: PixelRect, width: Int, height: Int) -> [PixelRect] {
        let left = plot.x + inset
        let right = plot.maxX - inset - width
        let top = plot.y + inset
        let bottom = plot.maxY - inset - height
        guard left <= right, top <= bottom else { return [] }
        let box = { (x: Int, y: Int) in PixelRect(x: x, y: y, width: width, height: height) }
        var candidates = [box(right, top), box(left, top), box(right, bottom), box(left, bottom)]
        for y in stride(from: top, through: bottom, by: 8) { candidates.append(box(right, y)) }
        for y in stride(from: top, through: bottom, by: 8) { candidates.append(box(left, y)) }
        for x in stride(from: right, through: left, by: -8) { candidates.append(box(x, top)) }
        for x in stride(from: right, through: left, by: -8) { candidates.append(box(x, bottom)) }
        return candidates
    }
}

extension ChartFrame {
    /// The first free spot for a legend of `size` inside the plot (see ``Legend``), or nil.
    func freeLegendSpot(
        size: (width: Int, height: Int), data: PixelCounts, reference: PixelCounts, labels: [PixelRect]
    ) -> PixelRect? {
        var best: (box: PixelRect, crossed: Int)?
        for box in Legend.insideCandidates(plot: plot, width: size.width, height: size.height) {
            let margin = box.insetBy(-4)
            guard data.count(in: margin) == 0, !labels.contains(where: { $0.intersects(margin) }) else { continue }
            let crossed = reference.count(in: margin)
            if crossed == 0 { return box }
            if best == nil || crossed < best!.crossed { best = (box, crossed) }
        }
        return best?.box
    }

    /// Draws the legend in `box`; returns each row's swatch rectangle.
    mutating func drawLegend(_ entries: [LegendEntry], in box: PixelRect) -> [PixelRect] {
        let scale = Style.labelScale
        canvas.fill(box, color: .white, alpha: 0.88)
        canvas.strokeRect(box, color: RGB(hex: 0xBBBBBB))
        var swatches: [PixelRect] = []
        for (row, entry) in entries.enumerated() {
            let middle = box.y + Legend.pad + row * Legend.rowHeight + BitmapFont.capHeight * scale / 2
            let swatch = PixelRect(x: box.x + Legend.pad, y: middle - 8, width: Legend.swatchWidth, height: 17)
            drawSwatch(entry.swatch, color: entry.color, in: swatch)
            swatches.append(swatch)
            canvas.drawText(
                entry.name, x: swatch.maxX + 10, y: middle, scale: scale, anchor: .middleLeft)
        }
        return swatches
    }

    /// One swatch, drawn the way its series is drawn.
    private mutating func drawSwatch(_ swatch: LegendEntry.Swatch, color: RGB, in rect: PixelRect) {
        let left = Double(rect.x)
        let right = Double(rect.maxX)
        let y = Double(rect.y + 8) + 0.5
        let square = PixelRect(x: rect.x + 4, y: rect.y, width: rect.width - 8, height: rect.height)
        switch swatch {
        case .line(let style, let marker, let band):
            if band { canvas.fill(rect.insetBy(1), color: color, alpha: Legend.bandAlpha) }
            var mask = CoverageMask(width: canvas.width, height: canvas.height, clip: canvas.bounds)
            // Centre a dash on the middle of the swatch, where a marker would sit: the gaps
            // on either side then show, marker or not (a solid style ignores the phase).
            let on = style.dashPattern?.on ?? 0
            mask.addPolyline(
                [PixelPoint(left, y), PixelPoint(right, y)], lineWidth: 3, style: style, phase: on / 2 - (right - left) / 2)
            mask.composite(onto: &canvas, color: color)
            if marker { canvas.fillDisc(center: PixelPoint((left + right) / 2, y), radius: 4.5, color: color) }
        case .patch:
            canvas.fill(square, color: color)
        case .outline:
            canvas.fill(square, color: color, alpha: HistogramStyle.outlineFillAlpha)
            canvas.strokeRect(square, color: color)
            canvas.strokeRect(square.insetBy(1), color: color)
        case .band:
            canvas.fill(rect.insetBy(1), color: color, alpha: Legend.bandAlpha)
        case .marker:
            canvas.fillDisc(center: PixelPoint((left + right) / 2, y), radius: 5, color: color)
        }
    }
}
