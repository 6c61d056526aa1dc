/// # Plot — figures for the chapters, written to PNG through libpng
///
/// Every LowBit chapter ends in a figure: a histogram of weights before and after
/// quantization, rounding error against magnitude on log axes, bytes per parameter as bars,
/// an error heatmap over block size and bit width. This module draws them, with nothing
/// but our own code and libpng:
///
/// ```
/// data ──▶ Axis (range, 1-2-5 / power-of-ten ticks) ──▶ ChartFrame (margins, grid, labels)
///      ──▶ CoverageMask (anti-aliased 2 px lines, discs) ──▶ Canvas (RGB bytes)
///      ──▶ png_image_write_to_file (libpng simplified API) ──▶ chNN-what.png
/// ```
///
/// - Text uses ``BitmapFont``, a 5 × 9 glyph table drawn for this project, at 2× (labels)
///   and 3× (titles); the y-axis label is turned 90°.
/// - Colours: ``Palette`` (Okabe–Ito, colour-blind safe) with a fixed colour per scheme name,
///   so "fp32" is the same grey in every chapter; ``ColorMap`` (viridis) for heatmaps.
/// - Bad data never crashes a figure: NaN and ±infinity are skipped, as are values ≤ 0 on a
///   log axis; empty series and all-equal data get a padded range.
/// - Placement rules every chart follows, tested on the rendered pixels
///   (`PlacementRuleTests`): the legend covers no data — it takes a free corner or edge
///   spot, else moves beside the plot, which narrows; its swatches show each series' dash
///   or dots; annotation labels sit where they hide no data and no other label; bar values
///   are never struck through by a reference line; a log axis says "(log scale)".
/// - Charts: ``Charts/line(title:xLabel:yLabel:series:xScale:yScale:markers:xRange:yRange:xTicks:annotations:size:)``
///   (with shaded ``Band``s), scatter, strip, histogram (filled, or outlined from three
///   series on: ``HistogramStyle``), grouped bars,
///   ``Charts/stackedBar(title:xLabel:yLabel:categories:segments:showTotals:showSegmentValues:yRange:annotations:size:)``,
///   heatmap.
/// - Deterministic: the same inputs give byte-identical PNGs (no timestamps, no hashing
///   with a per-process seed, our own number formatting), so chapters can commit figures.
///
/// A chapter writes a figure in two lines:
/// ```swift
/// let figure = Charts.line(
///     title: "NF4 error is smaller than FP4's at every block size", xLabel: "block size",
///     yLabel: "RMS error", series: [Series(name: "nf4", x: sizes, y: nf4Error),
///                                   Series(name: "fp4", x: sizes, y: fp4Error)],
///     xScale: .log10, markers: true)
/// try figure.writePNG(to: "Figures/ch04-nf4-vs-fp4.png")
/// ```
///
/// This is deliberately small. matplotlib does far more (vector output, TrueType text,
/// layout engines); what we keep is what the house style asks of a figure — a title that
/// states the answer, labelled axes with ticks, a legend, and lines a reader can tell apart.
/// Plot knows nothing about quantization except the colour names in ``Palette/named``.
///
/// ### See Also
/// ``Canvas``, ``Series``, ``Band``, ``Annotation``, ``HistogramStyle``, ``Ticks``, ``Palette``.
public enum Charts {
    /// Figure size in pixels; ``Style/defaultSize`` is 1200 × 800.
    public typealias Size = (width: Int, height: Int)

    /// The series colours for a figure: `Series.color` where set, else the palette's pick.
    static func colors(names: [String], overrides: [RGB?]) -> [RGB] {
        zip(Palette.colors(for: names), overrides).map { palette, override in override ?? palette }
    }
}
