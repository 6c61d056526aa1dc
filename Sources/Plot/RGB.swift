/// An opaque 8-bit sRGB colour: the unit every pixel of a ``Canvas`` is made of.
///
/// Blending interpolates the stored sRGB bytes directly (in integers when drawing, see
/// ``Canvas/fill(_:color:alpha:)``). A colour-science library would convert to linear light
/// first; for anti-aliased 2 px lines on white the difference is a slightly lighter fringe,
/// and byte arithmetic keeps every figure byte-identical across machines.
public struct RGB: Sendable, Hashable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// `RGB(hex: 0x0072B2)` — the way palettes are usually published.
    public init(hex: UInt32) {
        self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    /// `"#0072B2"`.
    public var description: String {
        let digits = Array("0123456789ABCDEF")
        var text = "#"
        for byte in [r, g, b] {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }

    /// `self` moved a fraction `amount` (0…1, clamped) of the way towards `other`.
    public func mixed(with other: RGB, amount: Double) -> RGB {
        let t = min(max(amount, 0), 1)
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded())
        }
        return RGB(channel(r, other.r), channel(g, other.g), channel(b, other.b))
    }

    /// Relative brightness 0…1 (Rec. 601 weights), used to pick black or white text on a fill.
    public var brightness: Double {
        (0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)) / 255
    }

    public static let white = RGB(255, 255, 255)
    public static let black = RGB(0, 0, 0)
}
