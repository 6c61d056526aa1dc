/// Counts of values in equal-width bins, with NumPy's edge rules (`numpy.histogram`):
/// `bins + 1` edges from `lower` to `upper`; every bin is half-open `[e_i, e_{i+1})`
/// except the last, which also holds `upper`. Values outside the range, and NaNs, are
/// counted apart (`outside`) rather than silently dropped, so a figure can say so.
public struct Histogram: Equatable, Sendable {
    /// `bins + 1` bin edges, increasing.
    public let edges: [Double]
    /// `bins` counts.
    public private(set) var counts: [Int]
    /// Values below `edges.first`, above `edges.last`, or NaN.
    public private(set) var outside: Int = 0

    public var lower: Double { edges.first! }
    public var upper: Double { edges.last! }
    public var binCount: Int { counts.count }
    public var total: Int { counts.reduce(0, +) }

    /// Empty bins over `[lower, upper]`. Precondition: `bins ≥ 1`, `lower < upper`, both finite.
    public init(bins: Int, lower: Double, upper: Double) {
        precondition(bins >= 1, "a histogram needs at least one bin")
        precondition(lower.isFinite && upper.isFinite && lower < upper, "bad range [\(lower), \(upper)]")
        edges = (0...bins).map { lower + (upper - lower) * Double($0) / Double(bins) }
        counts = [Int](repeating: 0, count: bins)
    }

    /// A histogram of `values` over their own range (padded when all values are equal),
    /// or over `range` when given.
    public init(_ values: [Float], bins: Int, range: ClosedRange<Double>? = nil) {
        var lo = range?.lowerBound ?? 0
        var hi = range?.upperBound ?? 1
        if range == nil, let mm = Statistics.minMax(values.filter { $0.isFinite }) {
            lo = Double(mm.min)
            hi = Double(mm.max)
        }
        if lo == hi {
            lo -= 0.5
            hi += 0.5
        }
        self.init(bins: bins, lower: lo, upper: hi)
        add(values)
    }

    /// The bin a value falls into, or `nil` when it is outside the range or NaN.
    public func bin(of value: Double) -> Int? {
        guard value >= lower && value <= upper else { return nil }
        if value == upper { return binCount - 1 }
        let i = Int(((value - lower) / (upper - lower) * Double(binCount)).rounded(.down))
        // Floating-point division can land one bin off near an edge; the edges decide.
        if i > 0 && value < edges[i] { return i - 1 }
        if i < binCount - 1 && value >= edges[i + 1] { return i + 1 }
        return Swift.min(i, binCount - 1)
    }

    public mutating func add(_ values: [Float]) {
        for v in values {
            if let b = bin(of: Double(v)) { counts[b] += 1 } else { outside += 1 }
        }
    }

    /// Centre of each bin (for plotting).
    public var centers: [Double] { (0..<binCount).map { (edges[$0] + edges[$0 + 1]) / 2 } }
}
