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

    /// Draws the labels (and the dots of point annotations) over the data, each where it
    /// hides no data; returns the label boxes, white backing included.
    ///
    /// Rule: each label takes, among its candidate positions (``labelCandidates(for:)``),
    /// the first that overlaps no earlier label and no data pixel, preferring positions
    /// that cross no other reference line. When every position hides something, the one
    /// hiding the fewest data pixels wins — a label is never dropped. Labels keep a white
    /// backing, so a reference line they do cross is interrupted, not struck through them.
    mutating func drawAnnotationLabels(
        _ annotations: [Annotation], data: PixelCounts, reference: PixelCounts
    ) -> [PixelRect] {
        let scale = Style.labelScale
        var placed: [PixelRect] = annotationMarks(annotations)
        var labels: [PixelRect] = []
        for annotation in annotations {
            let color = annotation.color ?? Style.annotation
            if case .point(let x, let y) = annotation.position, let point = visiblePoint(x: x, y: y) {
                canvas.fillDisc(center: point, radius: 4.5, color: color, clip: plot)
            }
            guard !annotation.label.isEmpty else { continue }
            let candidates = labelCandidates(for: annotation)
            guard !candidates.isEmpty else { continue }
            let inside = candidates.filter { plot.contains($0.insetBy(-4)) }
            var best: (ink: PixelRect, cost: (Int, Int, Int, Int))?
            for (order, ink) in (inside.isEmpty ? [candidates[0]] : inside).enumerated() {
                let backing = ink.insetBy(-4)
                let cost = (
                    placed.contains { $0.intersects(backing) } ? 1 : 0, data.count(in: backing),
                    reference.count(in: backing), order
                )
                if best == nil || cost < best!.cost { best = (ink, cost) }
                if cost.0 == 0 && cost.1 == 0 && cost.2 == 0 { break }
            }
            guard let ink = best?.ink else { continue }
            let backing = ink.insetBy(-4)
            if case .point(let x, let y) = annotation.position, let point = visiblePoint(x: x, y: y) {
                drawLeader(from: point, to: backing, color: color)
            }
            canvas.fill(backing, color: .white, alpha: 0.85)
            canvas.drawText(annotation.label, x: ink.x, y: ink.y, scale: scale, color: color)
            placed.append(backing)
            labels.append(backing)
        }
        return labels
    }

    /// Where a label may go, most natural first, as the box its ink covers (capitals and
    /// descenders). A horizontal line's label sits 7 px above or below the line at its right
    /// end, its left end, then anywhere along it (every 12 px, right to left); a vertical
    /// line's beside the line at its top, then lower down; a point's right, left, above,
    /// below, then on the diagonals — near the dot, then further out on a leader line.
    func labelCandidates(for annotation: Annotation) -> [PixelRect] {
        let scale = Style.labelScale
        let width = BitmapFont.width(of: annotation.label, scale: scale)
        let height = BitmapFont.glyphHeight * scale
        let box = { (x: Int, y: Int) in PixelRect(x: x, y: y, width: width, height: height) }
        var candidates: [PixelRect] = []
        switch annotation.position {
        case .horizontal(let value):
            guard let fraction = yAxis?.fraction(value), fraction >= 0, fraction <= 1 else { return [] }
            let y = py(fraction)
            let above = Int((y - 7).rounded(.down)) - height
            let below = Int((y + 7).rounded(.up))
            let right = plot.maxX - 10 - width
            let left = plot.x + 10
            candidates = [box(right, above), box(right, below), box(left, above), box(left, below)]
            for x in stride(from: right - 12, to: left, by: -12) {
                candidates += [box(x, above), box(x, below)]
            }
        case .vertical(let value):
            guard let fraction = xAxis?.fraction(value), fraction >= 0, fraction <= 1 else { return [] }
            let x = px(fraction)
            let right = Int((x + 8).rounded(.up))
            let left = Int((x - 8).rounded(.down)) - width
            for y in stride(from: plot.y + 10, through: plot.maxY - 10 - height, by: 12) {
                candidates += [box(right, y), box(left, y)]
            }
        case .point(let x, let y):
            guard let point = visiblePoint(x: x, y: y) else { return [] }
            let px = Int(point.x.rounded())
            let py = Int(point.y.rounded())
            let capHeight = BitmapFont.capHeight * scale
            // Eight directions, close to the dot first, then ever further out (a thin
            // leader line then joins label and dot): a dot inside a cloud of data still
            // finds clear space for its label.
            for d in [0, 24, 56, 96, 144] {
                let e = d * 7 / 10  // the diagonal step
                candidates += [
                    box(px + 10 + d, py - capHeight / 2), box(px - 10 - d - width, py - capHeight / 2),
                    box(px - width / 2, py - 10 - d - height), box(px - width / 2, py + 10 + d),
                    box(px + 8 + e, py - 8 - e - height), box(px + 8 + e, py + 8 + e),
                    box(px - 8 - e - width, py - 8 - e - height), box(px - 8 - e - width, py + 8 + e),
                ]
            }
        }
        return candidates
    }

    /// A 1 px line from a dot to the nearest point of its label's box, when the label sits
    /// more than a few pixels away.
    private mutating func drawLeader(from point: PixelPoint, to box: PixelRect, color: RGB) {
        let nearest = PixelPoint(
            min(max(point.x, Double(box.x)), Double(box.maxX)), min(max(point.y, Double(box.y)), Double(box.maxY)))
        let dx = nearest.x - point.x
        let dy = nearest.y - point.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 12 else { return }
        // Start just outside the dot (radius 4.5) so the dot keeps its round shape.
        let start = PixelPoint(point.x + dx / length * 6, point.y + dy / length * 6)
        canvas.drawLine(from: start, to: nearest, color: color, width: 1, clip: plot)
    }

    /// The pixel position of a point annotation, if it lies inside the plot.
    private func visiblePoint(x: Double, y: Double) -> PixelPoint? {
        guard let fx = xAxis?.fraction(x), let fy = yAxis?.fraction(y), fx >= 0, fx <= 1, fy >= 0, fy <= 1
        else { return nil }
        return PixelPoint(px(fx), py(fy))
    }

    /// Boxes around the dots of point annotations: labels and the legend keep off them.
    func annotationMarks(_ annotations: [Annotation]) -> [PixelRect] {
        annotations.compactMap { annotation in
            guard case .point(let x, let y) = annotation.position, let point = visiblePoint(x: x, y: y) else {
                return nil
            }
            return PixelRect(x: Int(point.x) - 6, y: Int(point.y) - 6, width: 13, height: 13)
        }
    }
}
