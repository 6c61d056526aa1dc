/// A rectangle of whole pixels: `x`, `y` is the top-left corner, y grows downwards.
public struct PixelRect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(width, 0)
        self.height = max(height, 0)
    }

    /// One past the right-most column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// Whether `other` lies entirely inside this rectangle.
    public func contains(_ other: PixelRect) -> Bool {
        other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY
    }

    /// The overlap of two rectangles (empty, with zero size, if they do not overlap).
    public func intersection(_ other: PixelRect) -> PixelRect {
        let left = max(x, other.x)
        let top = max(y, other.y)
        return PixelRect(x: left, y: top, width: min(maxX, other.maxX) - left, height: min(maxY, other.maxY) - top)
    }

    public func intersects(_ other: PixelRect) -> Bool {
        let overlap = intersection(other)
        return overlap.width > 0 && overlap.height > 0
    }

    /// The rectangle grown by `amount` pixels on every side (shrunk if negative).
    public func insetBy(_ amount: Int) -> PixelRect {
        PixelRect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }
}

/// An RGB image in memory: what every chart draws into and ``writePNG(to:)`` saves.
///
/// ```
/// pixels: [height][width][3] bytes, row-major, top row first, channels R, G, B
/// ```
/// Drawing outside the canvas is silently clipped; reading outside it is a programming
/// error (`precondition`).
public struct Canvas: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `[height][width][3]` bytes, top row first.
    public var pixels: [UInt8]
    /// Where a chart put its plot area, labels and legend, and which pixels are data
    /// (``ChartLayout``); `nil` for a canvas that is not a chart. Not part of equality.
    var layout: ChartLayout? = nil

    /// A canvas filled with `background`.
    public init(width: Int, height: Int, background: RGB = .white) {
        precondition(width > 0 && height > 0, "Canvas needs a positive size, got \(width)×\(height)")
        self.width = width
        self.height = height
        self.pixels = [UInt8](repeating: background.r, count: width * height * 3)
        if background.g != background.r || background.b != background.r {
            fill(bounds, color: background)
        }
    }

    /// Two canvases are equal when they have the same size and the same pixels.
    public static func == (a: Canvas, b: Canvas) -> Bool {
        a.width == b.width && a.height == b.height && a.pixels == b.pixels
    }

    /// The whole canvas as a rectangle.
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// The colour at column `x`, row `y` (both must be inside the canvas).
    public subscript(x: Int, y: Int) -> RGB {
        get {
            precondition(bounds.contains(x: x, y: y), "pixel (\(x), \(y)) is outside \(width)×\(height)")
            let offset = (y * width + x) * 3
            return RGB(pixels[offset], pixels[offset + 1], pixels[offset + 2])
        }
        set {
            precondition(bounds.contains(x: x, y: y), "pixel (\(x), \(y)) is outside \(width)×\(height)")
            let offset = (y * width + x) * 3
            pixels[offset] = newValue.r
            pixels[offset + 1] = newValue.g
            pixels[offset + 2] = newValue.b
        }
    }

    /// Paints `color` over the pixel with opacity `alpha` (0…1); outside the canvas: nothing.
    public mutating func blend(x: Int, y: Int, color: RGB, alpha: Double) {
        fill(PixelRect(x: x, y: y, width: 1, height: 1), color: color, alpha: alpha)
    }

    /// Fills the part of `rect` that lies on the canvas.
    public mutating func fill(_ rect: PixelRect, color: RGB, alpha: Double = 1) {
        let visible = rect.intersection(bounds)
        // Opacity as an integer weight 0…255, blended in integers: identical bytes everywhere.
        let weight = alpha.isNaN ? 0 : Int((min(alpha, 1) * 255).rounded())
        guard visible.width > 0, visible.height > 0, weight > 0 else { return }
        let red = Int(color.r)
        let green = Int(color.g)
        let blue = Int(color.b)
        let width = self.width
        // Raw pointers: this loop covers whole plot areas, and debug builds check every subscript.
        pixels.withUnsafeMutableBufferPointer { buffer in
            for y in visible.y..<visible.maxY {
                for x in visible.x..<visible.maxX {
                    let offset = (y * width + x) * 3
                    if weight >= 255 {
                        buffer[offset] = color.r
                        buffer[offset + 1] = color.g
                        buffer[offset + 2] = color.b
                    } else {
                        buffer[offset] = blendByte(buffer[offset], red, weight)
                        buffer[offset + 1] = blendByte(buffer[offset + 1], green, weight)
                        buffer[offset + 2] = blendByte(buffer[offset + 2], blue, weight)
                    }
                }
            }
        }
    }

    /// A 1-pixel outline just inside `rect`.
    public mutating func strokeRect(_ rect: PixelRect, color: RGB) {
        fill(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: 1), color: color)
        fill(PixelRect(x: rect.x, y: rect.maxY - 1, width: rect.width, height: 1), color: color)
        fill(PixelRect(x: rect.x, y: rect.y, width: 1, height: rect.height), color: color)
        fill(PixelRect(x: rect.maxX - 1, y: rect.y, width: 1, height: rect.height), color: color)
    }

    /// How many pixels inside `rect` differ from the same pixels of `other` (same size).
    func changedPixels(in rect: PixelRect, comparedWith other: Canvas) -> Int {
        let visible = rect.intersection(bounds)
        guard visible.width > 0, visible.height > 0 else { return 0 }
        var changed = 0
        for y in visible.y..<visible.maxY {
            for x in visible.x..<visible.maxX {
                let offset = (y * width + x) * 3
                if pixels[offset] != other.pixels[offset] || pixels[offset + 1] != other.pixels[offset + 1]
                    || pixels[offset + 2] != other.pixels[offset + 2]
                {
                    changed += 1
                }
            }
        }
        return changed
    }
}

/// `background` moved `weight`/255 of the way to `paint`, rounded to nearest.
@inline(__always)
func blendByte(_ background: UInt8, _ paint: Int, _ weight: Int) -> UInt8 {
    UInt8((Int(background) * (255 - weight) + paint * weight + 127) / 255)
}
