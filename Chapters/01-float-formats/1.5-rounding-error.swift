import Book
import Core
import FloatFormats
import Plot

/// 1.5: the worst relative rounding error per magnitude, for every format.
func roundingErrorSection(_ book: Notebook, rng: inout SeededRNG) {
    book.section("1.5", "Rounding error against magnitude")
    book.say(
        """
        In the normal range the relative error of round-to-nearest is at most the unit roundoff
        u = 2^-(m+1), half of epsilon, whatever the magnitude. Below the smallest normal the
        spacing stops shrinking and the relative error climbs to 1 (flush to zero); above the
        largest value a format overflows (the curve stops) or saturates (FP4: the error tends to
        1). Worst case over 32 samples in each of 320 log-spaced bins from 1e-10 to 1e6:
        """)
    var rows: [[String]] = []
    var series: [Series] = []
    for format in FloatFormat.all {
        let profile = format.relativeErrorProfile(
            from: 1e-10, to: 1e6, bins: 320, samplesPerBin: 32, rng: &rng)
        series.append(Series(name: format.name, x: profile.magnitudes, y: profile.maxRelativeError))
        // The worst error measured over [1, 2), where every format is normal.
        let normalBins = profile.magnitudes.indices.filter {
            profile.magnitudes[$0] >= 1 && profile.magnitudes[$0] < 2
        }
        let worstNormal = normalBins.map { profile.maxRelativeError[$0] }.max() ?? .nan
        rows.append([format.name, Fmt.e(format.unitRoundoff), Fmt.e(worstNormal)])
    }
    book.table(["format", "u = 2^-(m+1)", "worst measured in [1, 2)"], rows)
    print()
    book.figure(
        Charts.line(
            title: "Rounding error is flat for normal numbers, climbs below them",
            xLabel: "magnitude |x| (log scale)", yLabel: "worst relative error (log scale)",
            series: series, xScale: .log10, yScale: .log10, yRange: 1e-8...3),
        "relative-error-vs-magnitude",
        caption: "worst relative error per magnitude bin, all formats")
}
