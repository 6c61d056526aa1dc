/// A perceptually uniform sequential colour scale for heatmaps: viridis, approximated by
/// nine anchor colours with straight-line interpolation between them.
///
/// Viridis (van der Walt & Smith, matplotlib 2015; CC0) runs dark purple → blue → green →
/// yellow with lightness rising steadily, so it reads correctly in greyscale and for
/// colour-blind readers. The anchors are `viridis(9)` from R's viridisLite; between them we
/// interpolate sRGB bytes linearly, which is within a few levels of the full 256-entry table.
public enum ColorMap {
    /// viridis at t = 0, 1/8, 2/8, …, 1.
    public static let viridisAnchors: [RGB] = [
        RGB(hex: 0x440154), RGB(hex: 0x472D7B), RGB(hex: 0x3B528B),
        RGB(hex: 0x2C728E), RGB(hex: 0x21918C), RGB(hex: 0x28AE80),
        RGB(hex: 0x5EC962), RGB(hex: 0xADDC30), RGB(hex: 0xFDE725),
    ]

    /// The viridis colour at `t` in 0…1 (clamped; NaN gives the low end).
    public static func viridis(_ t: Double) -> RGB {
        let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
        let position = clamped * Double(viridisAnchors.count - 1)
        let lower = min(Int(position), viridisAnchors.count - 2)
        return viridisAnchors[lower].mixed(with: viridisAnchors[lower + 1], amount: position - Double(lower))
    }
}
