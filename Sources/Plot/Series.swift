/// One named set of (x, y) points for a line or scatter chart.
///
/// ```
/// x, y: [n] Double each, point i is (x[i], y[i])
/// ```
/// Points with NaN or infinite coordinates, or ≤ 0 on a log axis, are skipped (a line
/// breaks there instead of jumping across). If `x` and `y` differ in length the extra
/// values of the longer one are ignored.
public struct Series: Sendable {
    /// Shown in the legend; also picks the colour (``Palette/colors(for:)``) unless `color` is set.
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// Overrides the palette colour.
    public var color: RGB?
    /// Solid, dashed or dotted (line charts only).
    public var style: LineStyle
    /// A shaded band around the line (line charts only): a spread over seeds, a min–max.
    public var band: Band?

    public init(
        name: String, x: [Double], y: [Double], color: RGB? = nil, style: LineStyle = .solid, band: Band? = nil
    ) {
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.style = style
        self.band = band
    }

    /// A series over x = 0, 1, 2, … (steps, layers, iterations).
    public init(name: String, y: [Double], color: RGB? = nil, style: LineStyle = .solid, band: Band? = nil) {
        self.init(name: name, x: (0..<y.count).map(Double.init), y: y, color: color, style: style, band: band)
    }

    /// Number of (x, y) pairs: `min(x.count, y.count)`.
    public var count: Int { min(x.count, y.count) }
}

/// The shaded region between two curves that share a series' x values: the spread of a
/// quantity over seeds or batch orders, drawn under every line in the series colour at low
/// opacity so the lines stay on top.
///
/// ```
/// lower, upper: [n] Double each, parallel to the series' x; at x[i] the band spans
///               lower[i]…upper[i] (either may be the larger)
/// ```
/// A point where either bound is not finite (or ≤ 0 on a log axis) breaks the band, as a
/// NaN breaks a line. The band counts towards the axis range.
public struct Band: Sendable {
    public var lower: [Double]
    public var upper: [Double]
    /// If set, the band gets its own legend row with this name ("min–max over 5 seeds");
    /// otherwise the series' swatch shows the band behind its line.
    public var label: String?

    public init(lower: [Double], upper: [Double], label: String? = nil) {
        self.lower = lower
        self.upper = upper
        self.label = label
    }
}

/// A reference mark drawn over a chart: a vertical or horizontal line across the plot area
/// (e.g. "±448, the largest fp8-e4m3 value"), or a label at a data point.
///
/// Marks outside the visible range are not drawn; on a log axis a mark at x ≤ 0 is skipped.
public struct Annotation: Sendable {
    public enum Position: Sendable {
        /// A line across the full plot height at this x.
        case vertical(x: Double)
        /// A line across the full plot width at this y.
        case horizontal(y: Double)
        /// A dot at (x, y) with the label to its right.
        case point(x: Double, y: Double)
    }

    public var position: Position
    public var label: String
    /// Defaults to a dark grey (``Style/annotation``) so reference marks never look like data.
    public var color: RGB?
    public var style: LineStyle

    public init(_ position: Position, label: String = "", color: RGB? = nil, style: LineStyle = .dashed) {
        self.position = position
        self.label = label
        self.color = color
        self.style = style
    }

    /// A dashed vertical line at `x`, its label at the top.
    public static func vertical(_ x: Double, label: String = "", color: RGB? = nil, style: LineStyle = .dashed)
        -> Annotation
    {
        Annotation(.vertical(x: x), label: label, color: color, style: style)
    }

    /// A dashed horizontal line at `y`, its label at the right end.
    public static func horizontal(_ y: Double, label: String = "", color: RGB? = nil, style: LineStyle = .dashed)
        -> Annotation
    {
        Annotation(.horizontal(y: y), label: label, color: color, style: style)
    }

    /// A labelled dot at (x, y).
    public static func point(x: Double, y: Double, label: String, color: RGB? = nil) -> Annotation {
        Annotation(.point(x: x, y: y), label: label, color: color, style: .solid)
    }
}
