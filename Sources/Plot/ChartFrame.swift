/// What is written along one side of the plot area: labelled ticks, minor ticks, grid.
///
/// Positions are fractions of the axis length (0 = left/bottom, 1 = right/top), so numeric
/// axes and category axes (bar groups, heatmap cells) are laid out by the same code.
struct AxisGuide {
    var ticks: [(fraction: Double, label: String)]
    var minor: [Double] = []
    /// Light grid lines across the plot at each labelled tick.
    var grid = true
    /// Category names may be turned 90° when they do not fit side by side.
    var mayRotateLabels = false

    /// Ticks of a numeric axis that fall inside its range.
    static func numeric(_ axis: Axis) -> AxisGuide {
        let inside = { (fraction: Double?) -> Double? in
            guard let fraction, fraction >= -1e-9, fraction <= 1 + 1e-9 else { return nil }
            return min(max(fraction, 0), 1)
        }
        var ticks: [(Double, String)] = []
        for (value, label) in zip(axis.ticks.major, axis.ticks.labels) {
            if let fraction = inside(axis.fraction(value)) { ticks.append((fraction, label)) }
        }
        return AxisGuide(ticks: ticks, minor: axis.ticks.minor.compactMap { inside(axis.fraction($0)) })
    }

    /// One label at the centre of each of `names.count` equal slots.
    static func categories(_ names: [String]) -> AxisGuide {
        let count = Double(max(names.count, 1))
        let ticks = names.enumerated().map { (fraction: (Double($0.offset) + 0.5) / count, label: $0.element) }
        return AxisGuide(ticks: ticks, grid: false, mayRotateLabels: true)
    }
}

/// The parts every chart with axes shares: layout of the plot area inside the margins,
/// grid, frame, ticks, tick labels, axis labels, title, annotations and legend.
///
/// A chart builds a frame (which lays out and draws the grid and the reference lines),
/// draws its data into `canvas` clipped to `plot`, then calls ``finish(legend:legendOutside:)``
/// — usually through ``render(legend:frame:data:)``, which lays the chart out a second time,
/// narrower, when the legend finds no free spot inside the plot.
struct ChartFrame {
    var canvas: Canvas
    /// The data area, inside the frame line.
    let plot: PixelRect
    let xGuide: AxisGuide, yGuide: AxisGuide
    /// Numeric axes, for annotations and data mapping (nil for category axes).
    let xAxis: Axis?, yAxis: Axis?
    /// Axis titles as drawn: a log axis says so (``Scale/axisTitle(_:)``).
    let xLabel: String, yLabel: String
    let title: [String], titleScale: Int
    let rotateXLabels: Bool
    /// The canvas with the grid only, and with the grid and the reference lines: what the
    /// data changes after these is the data (``ChartLayout/data``).
    private(set) var background: Canvas
    private(set) var withReferenceLines: Canvas
    /// Reference marks: lines drawn under the data, labels over it.
    let annotations: [Annotation]
    /// Value labels the chart printed with its data (bars), for ``ChartLayout/valueLabels``.
    var valueLabels: [PixelRect] = []

    static let outerPad = 16, labelGap = 8

    init(
        size: (width: Int, height: Int), title: String, xLabel: String, yLabel: String,
        x xGuide: AxisGuide, y yGuide: AxisGuide, xAxis: Axis?, yAxis: Axis?, rightReserve: Int = 0,
        annotations: [Annotation] = []
    ) {
        let scale = Style.labelScale
        let capHeight = BitmapFont.capHeight * scale
        let width = max(size.width, 1)
        let height = max(size.height, 1)
        let xLabel = xAxis?.scale.axisTitle(xLabel) ?? xLabel
        let yLabel = yAxis?.scale.axisTitle(yLabel) ?? yLabel
        var titleScale = Style.titleScale
        var lines = Self.wrap(title, scale: titleScale, width: width - 2 * Self.outerPad)
        if lines.count > 2 {
            titleScale = Style.labelScale
            lines = Self.wrap(title, scale: titleScale, width: width - 2 * Self.outerPad)
        }
        let top = Self.outerPad + lines.count * (BitmapFont.capHeight * titleScale + 14) + 12
        let yTickWidth = yGuide.ticks.map { BitmapFont.width(of: $0.label, scale: scale) }.max() ?? 0
        let left =
            Self.outerPad + (yLabel.isEmpty ? 0 : capHeight + 16) + yTickWidth + Self.labelGap + Style.tickLength
        let lastXLabel = xGuide.ticks.last.map { BitmapFont.width(of: $0.label, scale: scale) } ?? 0
        let right = max(24, lastXLabel / 2 + 10) + rightReserve
        // Category labels turn 90° when any of them is wider than its slot.
        let plotWidth = max(width - left - right, 1)
        let slot = Double(plotWidth) / Double(max(xGuide.ticks.count, 1))
        let widest = xGuide.ticks.map { BitmapFont.width(of: $0.label, scale: scale) }.max() ?? 0
        let rotate = xGuide.mayRotateLabels && Double(widest) > slot - 10
        let xTickHeight = rotate ? widest : capHeight
        let bottom =
            Style.tickLength + Self.labelGap + xTickHeight + 4
            + (xLabel.isEmpty ? 0 : capHeight + 18) + Self.outerPad
        self.plot = PixelRect(x: left, y: top, width: plotWidth, height: max(height - top - bottom, 1))
        self.canvas = Canvas(width: width, height: height)
        self.xGuide = xGuide
        self.yGuide = yGuide
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.title = lines
        self.titleScale = titleScale
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.rotateXLabels = rotate
        self.annotations = annotations
        self.background = canvas
        self.withReferenceLines = canvas
        drawGrid()
        self.background = canvas
        drawAnnotationLines(annotations)
        self.withReferenceLines = canvas
    }

    /// Horizontal pixel coordinate of an axis fraction.
    func px(_ fraction: Double) -> Double { Double(plot.x) + fraction * Double(plot.width) }
    /// Vertical pixel coordinate of an axis fraction (fraction 1 is the top).
    func py(_ fraction: Double) -> Double { Double(plot.maxY) - fraction * Double(plot.height) }

    /// The pixel position of a data point, or nil if either axis cannot show it.
    func point(x: Double, y: Double) -> PixelPoint? {
        guard let fx = xAxis?.fraction(x), let fy = yAxis?.fraction(y) else { return nil }
        return PixelPoint(px(fx), py(fy))
    }

    /// Pixel positions of a whole series at once; points the axes cannot show become
    /// (NaN, NaN), which breaks a polyline there. Same result as ``point(x:y:)`` per point,
    /// with each axis reduced to `pixel = offset + scale × value` (of log10 value on a log
    /// axis) — 100 000 points are mapped in a few milliseconds even in a debug build.
    func points(x xs: [Double], y ys: [Double]) -> [PixelPoint] {
        guard let xAxis, let yAxis else { return [] }
        func transform(_ axis: Axis, start: Double, length: Double) -> (log: Bool, offset: Double, scale: Double) {
            let log = axis.scale == .log10
            let lo = log ? decimalLog(axis.lo) : axis.lo
            let hi = log ? decimalLog(axis.hi) : axis.hi
            let scale = length / (hi - lo)
            return (log, start - lo * scale, scale)
        }
        let tx = transform(xAxis, start: Double(plot.x), length: Double(plot.width))
        let ty = transform(yAxis, start: Double(plot.maxY), length: -Double(plot.height))
        let count = min(xs.count, ys.count)
        var result = [PixelPoint](repeating: PixelPoint(.nan, .nan), count: count)
        result.withUnsafeMutableBufferPointer { out in
            for i in 0..<count {
                var x = xs[i]
                var y = ys[i]
                guard x.isFinite, y.isFinite, !(tx.log && x <= 0), !(ty.log && y <= 0) else { continue }
                if tx.log { x = decimalLog(x) }
                if ty.log { y = decimalLog(y) }
                out[i] = PixelPoint(tx.offset + tx.scale * x, ty.offset + ty.scale * y)
            }
        }
        return result
    }

    /// A coverage mask clipped to the plot area.
    func makeMask() -> CoverageMask {
        CoverageMask(width: canvas.width, height: canvas.height, clip: plot)
    }

    private mutating func drawGrid() {
        for tick in xGuide.ticks where xGuide.grid && tick.fraction > 0 && tick.fraction < 1 {
            canvas.fill(
                PixelRect(x: Int(px(tick.fraction)), y: plot.y, width: 1, height: plot.height), color: Style.grid)
        }
        for tick in yGuide.ticks where yGuide.grid && tick.fraction > 0 && tick.fraction < 1 {
            canvas.fill(
                PixelRect(x: plot.x, y: Int(py(tick.fraction)), width: plot.width, height: 1), color: Style.grid)
        }
    }

    mutating func drawXTicks() {
        let scale = Style.labelScale
        let top = plot.maxY + Style.tickLength + Self.labelGap
        for fraction in xGuide.minor {
            canvas.fill(
                PixelRect(x: Int(px(fraction)), y: plot.maxY + 1, width: 1, height: Style.tickLength / 2 + 1),
                color: Style.frame)
        }
        let boxes = xGuide.ticks.map { tick in
            BitmapFont.box(
                of: tick.label, x: Int(px(tick.fraction)), y: top, scale: scale, anchor: .topCenter,
                rotated: rotateXLabels)
        }
        let every = Self.strideAvoidingOverlap(boxes, horizontal: true)
        for (index, tick) in xGuide.ticks.enumerated() {
            let x = Int(px(tick.fraction))
            canvas.fill(PixelRect(x: x, y: plot.maxY + 1, width: 1, height: Style.tickLength), color: Style.frame)
            if index % every == 0 {
                canvas.drawText(tick.label, x: x, y: top, scale: scale, anchor: .topCenter, rotated: rotateXLabels)
            }
        }
    }

    mutating func drawYTicks() {
        let scale = Style.labelScale
        let right = plot.x - 1 - Style.tickLength - Self.labelGap
        for fraction in yGuide.minor {
            let length = Style.tickLength / 2 + 1
            canvas.fill(
                PixelRect(x: plot.x - 1 - length, y: Int(py(fraction)), width: length, height: 1), color: Style.frame)
        }
        let boxes = yGuide.ticks.map { tick in
            BitmapFont.box(of: tick.label, x: right, y: Int(py(tick.fraction)), scale: scale, anchor: .middleRight)
        }
        let every = Self.strideAvoidingOverlap(boxes, horizontal: false)
        for (index, tick) in yGuide.ticks.enumerated() {
            let y = Int(py(tick.fraction))
            canvas.fill(
                PixelRect(x: plot.x - 1 - Style.tickLength, y: y, width: Style.tickLength, height: 1),
                color: Style.frame)
            if index % every == 0 {
                canvas.drawText(tick.label, x: right, y: y, scale: scale, anchor: .middleRight)
            }
        }
    }

    /// The smallest k such that labelling every k-th tick leaves 10 px between labels.
    static func strideAvoidingOverlap(_ boxes: [PixelRect], horizontal: Bool) -> Int {
        guard boxes.count > 1 else { return 1 }
        for every in 1..<boxes.count {
            let kept = stride(from: 0, to: boxes.count, by: every).map { boxes[$0] }
            let clear = zip(kept, kept.dropFirst()).allSatisfy { a, b in
                horizontal
                    ? b.x >= a.maxX + 10 || a.x >= b.maxX + 10
                    : b.y >= a.maxY + 6 || a.y >= b.maxY + 6
            }
            if clear { return every }
        }
        return boxes.count
    }

    /// Greedy word wrap for the title.
    static func wrap(_ text: String, scale: Int, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if BitmapFont.width(of: candidate, scale: scale) <= width || line.isEmpty {
                line = candidate
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
