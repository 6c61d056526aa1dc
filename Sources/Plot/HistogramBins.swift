/// Counting values into shared bins — the aggregation step of `Charts.histogram`, public so
/// a chapter can print the counts its figure shows.
///
/// Histograms that are compared must share their bins: the same edges for every series,
/// or a wider distribution looks flatter only because its bins are wider.
///
/// ```
/// edges:  [bins + 1] ascending; bin i is [edges[i], edges[i+1]), the last bin also
///         includes its right edge
/// counts: [bins]
/// ```
public enum HistogramBins {
    /// `bins` equal-width edges over `lo…hi` — equal in log10(x) for `.log10`.
    public static func edges(lo: Double, hi: Double, bins: Int, scale: Scale = .linear) -> [Double] {
        precondition(bins >= 1, "a histogram needs at least one bin, got \(bins)")
        precondition(
            hi > lo && (scale == .linear || lo > 0), "bin range \(lo)…\(hi) is empty or not positive on a log axis")
        let (a, b) = scale == .linear ? (lo, hi) : (decimalLog(lo), decimalLog(hi))
        return (0...bins).map { index in
            // The ends are set exactly; interior edges come from the index (no running sum).
            if index == 0 { return lo }
            if index == bins { return hi }
            let t = a + (b - a) * Double(index) / Double(bins)
            return scale == .linear ? t : pow(10, t)
        }
    }

    /// How many of `values` fall in each bin. NaN, ±inf, values outside the edges and
    /// (on a log scale) values ≤ 0 are not counted.
    public static func counts(_ values: [Double], edges: [Double], scale: Scale = .linear) -> [Int] {
        let bins = edges.count - 1
        guard bins >= 1 else { return [] }
        let lo = edges[0]
        let hi = edges[bins]
        let (a, b) = scale == .linear ? (lo, hi) : (decimalLog(lo), decimalLog(hi))
        var counts = [Int](repeating: 0, count: bins)
        for value in values where value.isFinite && value >= lo && value <= hi && (scale == .linear || value > 0) {
            let position = scale == .linear ? value : decimalLog(value)
            var index = min(Int((position - a) / (b - a) * Double(bins)), bins - 1)
            // Rounding in the division can put a value one bin off near an edge: nudge it.
            while index > 0 && value < edges[index] { index -= 1 }
            while index < bins - 1 && value >= edges[index + 1] { index += 1 }
            counts[index] += 1
        }
        return counts
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
