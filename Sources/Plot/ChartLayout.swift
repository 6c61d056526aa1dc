/// Where a finished chart put its parts, kept beside its pixels (``Canvas/layout``).
///
/// The placement rules of Plot — a legend never covers data, a label never sits on a bar
/// or on another label — are properties of the rendered image, so the tests check them on
/// the image: they need to know which pixels are data and where each box went. Nothing
/// here changes a pixel; a canvas is equal to another when their pixels are.
struct ChartLayout: Sendable, Equatable {
    /// The data area, inside the frame line.
    var plot: PixelRect
    /// The pixels that drawing the data changed (lines, bands, bars, bar value labels) —
    /// after the grid and the reference lines, before labels and legend.
    var data: PixelMask
    /// The pixels the reference lines of annotations changed.
    var referenceLines: PixelMask
    /// Annotation labels, white backing included, in annotation order (empty labels skipped).
    var labels: [PixelRect] = []
    /// Value labels printed at bars (part of the data, see ``data``).
    var valueLabels: [PixelRect] = []
    /// The legend box, if there is a legend; `legendIsOutside` when it sits right of the plot.
    var legend: PixelRect? = nil
    var legendIsOutside = false
    /// One swatch rectangle per legend row, in entry order.
    var legendSwatches: [PixelRect] = []
    /// The axis titles as drawn (after " (log scale)" was added where it applies).
    var xLabel: PlacedText? = nil
    var yLabel: PlacedText? = nil
}

/// A string and the box it was drawn in (capitals' box, as ``BitmapFont/box(of:x:y:scale:anchor:rotated:)``).
struct PlacedText: Sendable, Equatable {
    var text: String
    var box: PixelRect
    var rotated = false
}

/// One bit per pixel of a canvas: which pixels belong to something (the data, say).
struct PixelMask: Sendable, Equatable {
    let width: Int
    let height: Int
    // bits: [height][width] flags, row-major, 64 to a word.
    private(set) var bits: [UInt64]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        self.bits = [UInt64](repeating: 0, count: (width * height + 63) / 64)
    }

    /// The pixels that differ between two canvases of the same size.
    init(changedFrom before: Canvas, to after: Canvas) {
        precondition(before.width == after.width && before.height == after.height, "canvases differ in size")
        self.init(width: after.width, height: after.height)
        before.pixels.withUnsafeBufferPointer { old in
            after.pixels.withUnsafeBufferPointer { new in
                for index in 0..<(width * height) {
                    let offset = index * 3
                    if old[offset] != new[offset] || old[offset + 1] != new[offset + 1]
                        || old[offset + 2] != new[offset + 2]
                    {
                        bits[index >> 6] |= 1 << UInt64(index & 63)
                    }
                }
            }
        }
    }

    subscript(x: Int, y: Int) -> Bool {
        guard x >= 0, x < width, y >= 0, y < height else { return false }
        let index = y * width + x
        return bits[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    /// How many pixels of `rect` are set — the plain loop that ``PixelCounts`` speeds up.
    func count(in rect: PixelRect) -> Int {
        let visible = rect.intersection(PixelRect(x: 0, y: 0, width: width, height: height))
        guard visible.width > 0, visible.height > 0 else { return 0 }
        var count = 0
        for y in visible.y..<visible.maxY {
            for x in visible.x..<visible.maxX where self[x, y] { count += 1 }
        }
        return count
    }
}

/// A summed-area table of a ``PixelMask``: how many pixels of any rectangle are set, in
/// four look-ups, so label and legend placement can try hundreds of candidate boxes.
///
/// ```
/// table: [height + 1][width + 1] Int32; table[y][x] = set pixels in columns < x, rows < y
/// count(rect) = T[maxY][maxX] − T[y][maxX] − T[maxY][x] + T[y][x]
/// ```
/// (Crow, "Summed-area tables for texture mapping", SIGGRAPH 1984.) Tests compare it with
/// ``PixelMask/count(in:)``.
struct PixelCounts {
    let width: Int
    let height: Int
    private var table: [Int32]

    init(_ mask: PixelMask) {
        width = mask.width
        height = mask.height
        let stride = width + 1
        table = [Int32](repeating: 0, count: stride * (height + 1))
        for y in 0..<height {
            var rowSum: Int32 = 0
            for x in 0..<width {
                if mask[x, y] { rowSum += 1 }
                table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + rowSum
            }
        }
    }

    func count(in rect: PixelRect) -> Int {
        let visible = rect.intersection(PixelRect(x: 0, y: 0, width: width, height: height))
        guard visible.width > 0, visible.height > 0 else { return 0 }
        let stride = width + 1
        let total =
            table[visible.maxY * stride + visible.maxX] - table[visible.y * stride + visible.maxX]
            - table[visible.maxY * stride + visible.x] + table[visible.y * stride + visible.x]
        return Int(total)
    }
}
