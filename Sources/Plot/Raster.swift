/// Anti-aliased drawing on a ``Canvas``: lines, polylines (solid or dashed) and discs.
///
/// Every call builds a ``CoverageMask`` for the shape and composites it once, so a
/// polyline's joints are not painted twice. Coordinates are continuous pixels: (0, 0) is the
/// top-left corner of the top-left pixel, and pixel (i, j) has its centre at (i + ½, j + ½).
public enum LineStyle: Sendable, Hashable {
    case solid
    /// 12 px on, 7 px off, measured along the line.
    case dashed
    /// 3 px on, 5 px off.
    case dotted

    /// (on, off) lengths in pixels; `nil` for solid.
    var dashPattern: (on: Double, off: Double)? {
        switch self {
        case .solid: return nil
        case .dashed: return (12, 7)
        case .dotted: return (3, 5)
        }
    }
}

extension Canvas {
    /// A straight anti-aliased line `width` pixels wide with round caps.
    public mutating func drawLine(
        from a: PixelPoint, to b: PixelPoint, color: RGB, width: Double = 2,
        style: LineStyle = .solid, clip: PixelRect? = nil
    ) {
        drawPolyline([a, b], color: color, width: width, style: style, clip: clip)
    }

    /// Connects the points in order. A point with a NaN or infinite coordinate breaks the
    /// line (that is how charts leave gaps for missing data), it is never joined across.
    public mutating func drawPolyline(
        _ points: [PixelPoint], color: RGB, width: Double = 2, style: LineStyle = .solid,
        clip: PixelRect? = nil, alpha: Double = 1
    ) {
        var mask = CoverageMask(width: self.width, height: height, clip: clip ?? bounds)
        mask.addPolyline(points, lineWidth: width, style: style)
        mask.composite(onto: &self, color: color, alpha: alpha)
    }

    /// A filled anti-aliased disc.
    public mutating func fillDisc(center: PixelPoint, radius: Double, color: RGB, clip: PixelRect? = nil) {
        var mask = CoverageMask(width: width, height: height, clip: clip ?? bounds)
        mask.addDisc(center: center, radius: radius)
        mask.composite(onto: &self, color: color)
    }
}

extension CoverageMask {
    /// Adds a polyline; non-finite points break it into separate runs.
    ///
    /// - Parameter phase: how far into its on + off period the dash pattern is at the start
    ///   of each run (0: a run starts with a whole dash). A legend swatch uses it to centre a
    ///   dash on its middle.
    mutating func addPolyline(_ points: [PixelPoint], lineWidth: Double, style: LineStyle, phase: Double = 0) {
        var run: [PixelPoint] = []
        for point in points {
            if point.x.isFinite && point.y.isFinite {
                run.append(point)
            } else {
                addRun(run, lineWidth: lineWidth, style: style, phase: phase)
                run.removeAll(keepingCapacity: true)
            }
        }
        addRun(run, lineWidth: lineWidth, style: style, phase: phase)
    }

    private mutating func addRun(_ run: [PixelPoint], lineWidth: Double, style: LineStyle, phase startPhase: Double) {
        let points = Self.decimated(run)
        if points.count == 1 {
            addSegment(from: points[0], to: points[0], lineWidth: lineWidth)
            return
        }
        guard let (on, off) = style.dashPattern else {
            for index in points.indices.dropFirst() {
                addSegment(from: points[index - 1], to: points[index], lineWidth: lineWidth)
            }
            return
        }
        // Walk the path; `phase` is how far we are into the current on+off period.
        let period = on + off
        var phase = startPhase - (startPhase / period).rounded(.down) * period
        for index in points.indices.dropFirst() {
            let a = points[index - 1]
            let b = points[index]
            let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            var travelled = 0.0
            while travelled < length {
                let inOn = phase < on
                let step = min(length - travelled, inOn ? on - phase : on + off - phase)
                if inOn {
                    let t0 = travelled / length
                    let t1 = (travelled + step) / length
                    addSegment(
                        from: PixelPoint(a.x + t0 * (b.x - a.x), a.y + t0 * (b.y - a.y)),
                        to: PixelPoint(a.x + t1 * (b.x - a.x), a.y + t1 * (b.y - a.y)), lineWidth: lineWidth)
                }
                travelled += step
                phase = (phase + step).truncatingRemainder(dividingBy: on + off)
            }
        }
    }

    /// Thins a run before drawing: consecutive points in the same pixel column are reduced
    /// to the first, lowest, highest and last of them (in their original order). The ink is
    /// the same — within one column the line only ever spans lowest…highest — but 100 000
    /// points across 1 000 columns become at most 4 000 segments.
    static func decimated(_ run: [PixelPoint]) -> [PixelPoint] {
        guard run.count > 4 else { return run }
        var kept: [PixelPoint] = []
        kept.reserveCapacity(min(run.count, 8192))
        var start = 0
        while start < run.count {
            let column = run[start].x.rounded(.down)
            var end = start + 1
            var lowest = start
            var highest = start
            while end < run.count && run[end].x.rounded(.down) == column {
                if run[end].y < run[lowest].y { lowest = end }
                if run[end].y > run[highest].y { highest = end }
                end += 1
            }
            for index in Set([start, lowest, highest, end - 1]).sorted() {
                kept.append(run[index])
            }
            start = end
        }
        return kept
    }
}
