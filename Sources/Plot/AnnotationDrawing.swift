extension ChartFrame {
    /// Draws the reference lines of `annotations` — before the data, so lines never hide
    /// the values they mark (their labels come later, in ``drawAnnotationLabels(_:)``).
    mutating func drawAnnotationLines(_ annotations: [Annotation]) {
        for annotation in annotations {
            let color = annotation.color ?? Style.annotation
            switch annotation.position {
            case .vertical(let value):
                guard let fraction = xAxis?.fraction(value), fraction >= 0, fraction <= 1 else { continue }
                let x = px(fraction)
                canvas.drawLine(
                    from: PixelPoint(x, Double(plot.y)), to: PixelPoint(x, Double(plot.maxY)),
                    color: color, width: 2, style: annotation.style, clip: plot)
            case .horizontal(let value):
                guard let fraction = yAxis?.fraction(value), fraction >= 0, fraction <= 1 else { continue }
                let y = py(fraction)
                canvas.drawLine(
                    from: PixelPoint(Double(plot.x), y), to: PixelPoint(Double(plot.maxX), y),
                    color: color, width: 2, style: annotation.style, clip: plot)
            case .point:
                continue
            }
        }
    }

    /// Draws the labels (and the dots of point annotations) over the data.
    ///
    /// Labels get a white backing so they stay readable over data, and labels of
    /// neighbouring vertical lines are stacked downwards instead of overprinting each other.
    mutating func drawAnnotationLabels(_ annotations: [Annotation]) {
        let scale = Style.labelScale
        var placed: [PixelRect] = []
        for annotation in annotations {
            let color = annotation.color ?? Style.annotation
            let textWidth = BitmapFont.width(of: annotation.label, scale: scale)
            var box: PixelRect
            switch annotation.position {
            case .vertical(let value):
                guard let fraction = xAxis?.fraction(value), fraction >= 0, fraction <= 1 else { continue }
                let x = Int(px(fraction))
                let onRight = x + 8 + textWidth <= plot.maxX - 4
                box = BitmapFont.box(
                    of: annotation.label, x: onRight ? x + 8 : x - 8, y: plot.y + 10, scale: scale,
                    anchor: onRight ? .topLeft : TextAnchor(.right, .top))
                while placed.contains(where: { $0.insetBy(-3).intersects(box) }) && box.y < plot.maxY - 40 {
                    box.y += 24
                }
            case .horizontal(let value):
                guard let fraction = yAxis?.fraction(value), fraction >= 0, fraction <= 1 else { continue }
                let y = Int(py(fraction))
                let below = y - plot.y < 30
                box = BitmapFont.box(
                    of: annotation.label, x: plot.maxX - 10, y: below ? y + 8 : y - 8, scale: scale,
                    anchor: TextAnchor(.right, below ? .top : .bottom))
            case .point(let x, let y):
                guard let fx = xAxis?.fraction(x), let fy = yAxis?.fraction(y), fx >= 0, fx <= 1, fy >= 0, fy <= 1
                else { continue }
                let point = PixelPoint(px(fx), py(fy))
                canvas.fillDisc(center: point, radius: 4.5, color: color, clip: plot)
                box = BitmapFont.box(
                    of: annotation.label, x: Int(point.x) + 10, y: Int(point.y), scale: scale, anchor: .middleLeft)
            }
            guard !annotation.label.isEmpty else { continue }
            canvas.fill(box.insetBy(-4), color: .white, alpha: 0.85)
            canvas.drawText(annotation.label, x: box.x, y: box.y, scale: scale, color: color)
            placed.append(box)
        }
    }
}
