extension ChartFrame {
    /// The pixel rows of the horizontal reference lines that lie inside the plot.
    var horizontalReferenceRows: [Double] {
        annotations.compactMap { annotation in
            guard case .horizontal(let value) = annotation.position, let fraction = yAxis?.fraction(value),
                fraction >= 0, fraction <= 1
            else { return nil }
            return py(fraction)
        }
    }

    /// Prints a bar's value centred on column `x`, 6 px above the bar end at row `end`
    /// (below it for a downward bar), and never struck through by a horizontal reference
    /// line (a "48 GB GPU" line 3 px above a 44.9 GB bar would cross the label).
    ///
    /// Rule: a label a reference line would cross moves past that line, away from the bar
    /// (up to 40 px, staying inside the plot, crossing no other line); if it cannot, it
    /// stays by its bar on a white backing that interrupts the line under it. The label is part of the data: annotation labels and
    /// the legend keep off it.
    mutating func drawValueLabel(_ text: String, x: Int, end: Int, above: Bool) {
        let scale = Style.labelScale
        let start = BitmapFont.box(
            of: text, x: x, y: above ? end - 6 : end + 6, scale: scale, anchor: above ? .bottomCenter : .topCenter)
        let lines = horizontalReferenceRows
        // A line at row y strikes the box if its 2 px (plus anti-aliasing) reach within 3 px.
        func struck(_ box: PixelRect) -> Double? {
            lines.first { $0 + 2 > Double(box.y - 3) && $0 - 2 < Double(box.maxY + 3) }
        }
        var box = start
        if let line = struck(start) {
            // Past the line, away from the bar — but only if that clears every line: a
            // label lifted above a second line would read as belonging above it.
            box.y = above ? Int((line - 6).rounded(.down)) - box.height : Int((line + 6).rounded(.up))
            let fits = box.y >= plot.y + 2 && box.maxY <= plot.maxY - 2
            if struck(box) != nil || abs(box.y - start.y) > 40 || !fits {
                box = start
                canvas.fill(box.insetBy(-3).intersection(plot), color: .white)
            }
        }
        canvas.drawText(text, x: box.x, y: box.y, scale: scale)
        valueLabels.append(box)
    }
}
