/// The house look shared by every chart: text and line colours, font scales, sizes.
///
/// Kept in one place so that all chapters' figures match, and so a reader who wants bigger
/// text changes one number.
public enum Style {
    /// Default figure size: readable on a laptop screen at 100 %.
    public static let defaultSize = (width: 1200, height: 800)
    /// Near-black for text, frames and tick marks (pure black looks heavy next to 2 px lines).
    public static let text = RGB(hex: 0x222222)
    /// The plot-area frame and tick marks.
    public static let frame = RGB(hex: 0x555555)
    /// Grid lines at the major ticks: just visible, never competing with data.
    public static let grid = RGB(hex: 0xE4E4E4)
    /// Reference lines and annotation text.
    public static let annotation = RGB(hex: 0x4D4D4D)
    /// Titles: 3× the font (cap height 21 px).
    public static let titleScale = 3
    /// Axis labels, tick labels and legends: 2× the font (cap height 14 px).
    public static let labelScale = 2
    /// Data lines are 2 px wide.
    public static let lineWidth = 2.0
    /// Length of major tick marks outside the frame, in pixels (minor ticks are half).
    public static let tickLength = 7
}
