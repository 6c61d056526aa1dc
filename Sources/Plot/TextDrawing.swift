/// Where a piece of text sits relative to the point it is drawn at.
///
/// The text box is as tall as the capitals (``BitmapFont/capHeight`` × scale); descenders
/// hang below it, so `.middle` centres digits and capitals exactly on the point — the right
/// thing for tick labels.
public struct TextAnchor: Sendable, Hashable {
    public enum Horizontal: Sendable { case left, center, right }
    public enum Vertical: Sendable { case top, middle, bottom }

    public var horizontal: Horizontal
    public var vertical: Vertical

    public init(_ horizontal: Horizontal, _ vertical: Vertical) {
        self.horizontal = horizontal
        self.vertical = vertical
    }

    public static let topLeft = TextAnchor(.left, .top)
    public static let topCenter = TextAnchor(.center, .top)
    public static let center = TextAnchor(.center, .middle)
    public static let middleLeft = TextAnchor(.left, .middle)
    public static let middleRight = TextAnchor(.right, .middle)
    public static let bottomCenter = TextAnchor(.center, .bottom)
    public static let bottomLeft = TextAnchor(.left, .bottom)
}

extension BitmapFont {
    /// The box (capitals only, descenders excluded) that `text` occupies when drawn at
    /// (`x`, `y`) with `anchor`. Rotated text reads bottom to top, so its box is
    /// cap-height wide and text-width tall.
    public static func box(
        of text: String, x: Int, y: Int, scale: Int, anchor: TextAnchor, rotated: Bool = false
    ) -> PixelRect {
        let along = width(of: text, scale: scale)
        let across = capHeight * scale
        let boxWidth = rotated ? across : along
        let boxHeight = rotated ? along : across
        let left: Int
        switch anchor.horizontal {
        case .left: left = x
        case .center: left = x - boxWidth / 2
        case .right: left = x - boxWidth
        }
        let top: Int
        switch anchor.vertical {
        case .top: top = y
        case .middle: top = y - boxHeight / 2
        case .bottom: top = y - boxHeight
        }
        return PixelRect(x: left, y: top, width: boxWidth, height: boxHeight)
    }
}

extension Canvas {
    /// Draws `text` with ``BitmapFont`` at an integer `scale` (each font pixel becomes a
    /// `scale` × `scale` block; the house style asks for at least 2).
    ///
    /// With `rotated: true` the text is turned 90° anticlockwise and reads bottom to top,
    /// as y-axis labels do. Returns the box it occupies (see ``BitmapFont/box(of:x:y:scale:anchor:rotated:)``).
    @discardableResult
    public mutating func drawText(
        _ text: String, x: Int, y: Int, scale: Int = 2, color: RGB = Style.text,
        anchor: TextAnchor = .topLeft, rotated: Bool = false
    ) -> PixelRect {
        precondition(scale >= 1, "text scale must be at least 1, got \(scale)")
        let box = BitmapFont.box(of: text, x: x, y: y, scale: scale, anchor: anchor, rotated: rotated)
        for (index, character) in text.enumerated() {
            let glyph = BitmapFont.glyph(for: character) ?? BitmapFont.missingGlyph
            for (row, bits) in glyph.enumerated() where bits != 0 {
                for column in 0..<BitmapFont.glyphWidth where bits & (1 << (BitmapFont.glyphWidth - 1 - column)) != 0 {
                    // (u, v): font pixel position along and across the text, in canvas pixels.
                    let u = (index * BitmapFont.advance + column) * scale
                    let v = row * scale
                    let block =
                        rotated
                        ? PixelRect(x: box.x + v, y: box.maxY - u - scale, width: scale, height: scale)
                        : PixelRect(x: box.x + u, y: box.y + v, width: scale, height: scale)
                    fill(block, color: color)
                }
            }
        }
        return box
    }
}
