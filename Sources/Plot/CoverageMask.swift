/// A point in continuous pixel coordinates: pixel (i, j) covers [i, i+1) × [j, j+1), so its
/// centre is (i + 0.5, j + 0.5); y grows downwards.
public struct PixelPoint: Sendable, Hashable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// How much of each pixel a shape covers, 0…1, before any colour is laid down.
///
/// Anti-aliasing by coverage: a 2 px wide line is a capsule (a rectangle with round caps);
/// each pixel gets the colour with opacity equal to the fraction of it inside the capsule,
/// estimated from the distance d of the pixel centre to the segment:
/// ```
/// coverage = clamp(halfWidth + 0.5 − d, 0, 1)
/// ```
/// Xiaolin Wu's algorithm computes the same thing for 1 px lines by splitting each column
/// between two pixels; the distance form generalises it to any width and to round joins.
///
/// Shapes are collected per series and merged with `max`, not added, so where the segments
/// of one polyline meet the joint is not painted twice (no dark beads at every vertex).
/// Only then is the mask composited onto the canvas, once, in the series colour.
struct CoverageMask {
    let width: Int
    let height: Int
    /// Nothing outside `clip` is ever covered (the plot area, usually).
    let clip: PixelRect
    // coverage: [height][width] Float, row-major like the canvas.
    private(set) var coverage: [Float]
    /// Bounding box of everything covered so far, for a cheaper composite.
    private var dirtyMinX = Int.max, dirtyMinY = Int.max, dirtyMaxX = Int.min, dirtyMaxY = Int.min

    init(width: Int, height: Int, clip: PixelRect) {
        self.width = width
        self.height = height
        self.clip = clip.intersection(PixelRect(x: 0, y: 0, width: width, height: height))
        self.coverage = [Float](repeating: 0, count: width * height)
    }

    /// Covers a rectangle of pixels completely.
    mutating func coverRect(_ rect: PixelRect) {
        let visible = rect.intersection(clip)
        guard visible.width > 0, visible.height > 0 else { return }
        for y in visible.y..<visible.maxY {
            for x in visible.x..<visible.maxX { cover(x: x, y: y, amount: 1) }
        }
    }

    /// Raises the coverage of one pixel to at least `amount`.
    @inline(__always)
    mutating func cover(x: Int, y: Int, amount: Float) {
        guard amount > 0, x >= clip.x, x < clip.maxX, y >= clip.y, y < clip.maxY else { return }
        let index = y * width + x
        if amount > coverage[index] {
            coverage[index] = min(amount, 1)
            markDirty(xRange: x...x, yRange: y...y)
        }
    }

    /// Adds a straight segment `lineWidth` pixels wide with round caps.
    mutating func addSegment(from a: PixelPoint, to b: PixelPoint, lineWidth: Double) {
        guard a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { return }
        let edge = lineWidth / 2 + 0.5  // coverage = edge − distance
        let dx = b.x - a.x
        let dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let inverseLengthSquared = lengthSquared > 0 ? 1 / lengthSquared : 0
        // Walk the long direction one pixel at a time and test only the few pixels across the
        // line in each step; a bounding-box scan of a long diagonal would test a million.
        let alongX = abs(dx) >= abs(dy)
        let (a0, a1) = alongX ? (a.x, b.x) : (a.y, b.y)
        let (c0, c1) = alongX ? (a.y, b.y) : (a.x, b.x)
        // A pixel centre at cross-offset o from the line is o / stretch away from it, so
        // only offsets up to edge × stretch (+ ½ for the centre) can be covered.
        let stretch = lengthSquared > 0 ? lengthSquared.squareRoot() / max(abs(a1 - a0), 1e-12) : 1
        let spread = edge * stretch + 0.5 + 1e-9
        let majorLow = alongX ? clip.x : clip.y
        let majorHigh = alongX ? clip.maxX : clip.maxY
        let crossLow = alongX ? clip.y : clip.x
        let crossHigh = alongX ? clip.maxY : clip.maxX
        let first = pixelIndex(min(a0, a1) - edge, clampedTo: majorLow, majorHigh)
        let last = pixelIndex(max(a0, a1) + edge, clampedTo: majorLow - 1, majorHigh - 1)
        guard first <= last else { return }
        let crossFirst = pixelIndex(min(c0, c1) - spread, clampedTo: crossLow, crossHigh)
        let crossLast = pixelIndex(max(c0, c1) + spread, clampedTo: crossLow - 1, crossHigh - 1)
        guard crossFirst <= crossLast else { return }
        let width = self.width
        // Raw pointers and `while` loops: this is the hot path of every line chart, and a
        // debug build checks every array subscript and calls generic `min`/`max` and range
        // iterators out of line. Release builds compile both forms to the same code.
        coverage.withUnsafeMutableBufferPointer { buffer in
            guard let mask = buffer.baseAddress else { return }
            var major = first
            while major <= last {
                let centre = Double(major) + 0.5
                let t = a1 == a0 ? 0 : min(max((centre - a0) / (a1 - a0), 0), 1)
                let cross = c0 + t * (c1 - c0)
                var minor = max(pixelIndex(cross - spread, clampedTo: crossLow, crossHigh), crossFirst)
                let high = min(pixelIndex(cross + spread, clampedTo: crossLow - 1, crossHigh - 1), crossLast)
                while minor <= high {
                    let px = alongX ? major : minor
                    let py = alongX ? minor : major
                    let index = py * width + px
                    minor += 1
                    if mask[index] >= 1 { continue }  // already full: dense data overlaps a lot
                    // Distance from the pixel centre q to the segment: project, clamp, measure.
                    let qx = Double(px) + 0.5 - a.x
                    let qy = Double(py) + 0.5 - a.y
                    var along = (qx * dx + qy * dy) * inverseLengthSquared
                    along = along < 0 ? 0 : (along > 1 ? 1 : along)
                    let ex = along * dx - qx
                    let ey = along * dy - qy
                    let amount = Float(edge - (ex * ex + ey * ey).squareRoot())
                    if amount > mask[index] { mask[index] = amount > 1 ? 1 : amount }
                }
                major += 1
            }
        }
        markDirty(
            xRange: alongX ? first...last : crossFirst...crossLast,
            yRange: alongX ? crossFirst...crossLast : first...last)
    }

    /// Adds a filled disc (scatter markers, line markers).
    mutating func addDisc(center: PixelPoint, radius: Double) {
        guard center.x.isFinite, center.y.isFinite else { return }
        let low = pixelIndex(center.y - radius - 1, clampedTo: clip.y, clip.maxY)
        let high = pixelIndex(center.y + radius + 1, clampedTo: clip.y - 1, clip.maxY - 1)
        let left = pixelIndex(center.x - radius - 1, clampedTo: clip.x, clip.maxX)
        let right = pixelIndex(center.x + radius + 1, clampedTo: clip.x - 1, clip.maxX - 1)
        guard low <= high, left <= right else { return }
        let width = self.width
        coverage.withUnsafeMutableBufferPointer { mask in
            for py in low...high {
                for px in left...right {
                    let dx = Double(px) + 0.5 - center.x
                    let dy = Double(py) + 0.5 - center.y
                    let amount = Float(radius + 0.5 - (dx * dx + dy * dy).squareRoot())
                    let index = py * width + px
                    if amount > mask[index] { mask[index] = min(amount, 1) }
                }
            }
        }
        markDirty(xRange: left...right, yRange: low...high)
    }

    /// Widens the composite region to include these pixels.
    private mutating func markDirty(xRange: ClosedRange<Int>, yRange: ClosedRange<Int>) {
        dirtyMinX = min(dirtyMinX, xRange.lowerBound)
        dirtyMaxX = max(dirtyMaxX, xRange.upperBound)
        dirtyMinY = min(dirtyMinY, yRange.lowerBound)
        dirtyMaxY = max(dirtyMaxY, yRange.upperBound)
    }

    /// Distance from `p` to the closed segment a–b — the plain formula that the loop in
    /// ``addSegment(from:to:lineWidth:)`` inlines; tests compare the two at every pixel.
    static func distance(from p: PixelPoint, toSegment a: PixelPoint, _ b: PixelPoint) -> Double {
        let dx = b.x - a.x
        let dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        var t = lengthSquared > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared : 0
        t = min(max(t, 0), 1)
        let ex = a.x + t * dx - p.x
        let ey = a.y + t * dy - p.y
        return (ex * ex + ey * ey).squareRoot()
    }

    /// Lays `color` onto the canvas with opacity `alpha × coverage` per pixel.
    func composite(onto canvas: inout Canvas, color: RGB, alpha: Double = 1) {
        precondition(canvas.width == width && canvas.height == height, "mask and canvas differ in size")
        guard dirtyMinX <= dirtyMaxX else { return }
        let width = self.width
        let opacity = Float(min(max(alpha, 0), 1)) * 255
        let red = Int(color.r)
        let green = Int(color.g)
        let blue = Int(color.b)
        coverage.withUnsafeBufferPointer { mask in
            canvas.pixels.withUnsafeMutableBufferPointer { pixels in
                for y in dirtyMinY...dirtyMaxY {
                    for x in dirtyMinX...dirtyMaxX {
                        // Integer blend with weight w / 255: the same bytes on every machine.
                        let weight = Int(mask[y * width + x] * opacity + 0.5)
                        guard weight > 0 else { continue }
                        let offset = (y * width + x) * 3
                        pixels[offset] = blendByte(pixels[offset], red, weight)
                        pixels[offset + 1] = blendByte(pixels[offset + 1], green, weight)
                        pixels[offset + 2] = blendByte(pixels[offset + 2], blue, weight)
                    }
                }
            }
        }
    }
}

/// The pixel index containing coordinate `value`, clamped to `low…high` before converting:
/// data far off-screen maps to pixel coordinates like 1e12, which `Int()` must never see
/// unclamped (it traps above 2^63).
@inline(__always)
func pixelIndex(_ value: Double, clampedTo low: Int, _ high: Int) -> Int {
    guard !value.isNaN else { return low }
    return Int(min(max(value.rounded(.down), Double(low)), Double(high)))
}
