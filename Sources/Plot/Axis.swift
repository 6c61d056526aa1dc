#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How data values are spaced along an axis.
public enum Scale: Sendable, Hashable {
    /// Equal differences take equal lengths.
    case linear
    /// Equal ratios take equal lengths; zero and negative values cannot be shown and are
    /// skipped (never an error: a log-error plot often contains an exact zero).
    case log10

    /// The title of an axis with this scale: a log axis says so, because equal steps on it
    /// are equal *ratios* and a reader who misses that misreads every distance.
    ///
    /// `"loss"` on a log axis becomes `"loss (log scale)"`, and a title that ends in a
    /// parenthesis takes the note inside it: `"memory (GB)"` becomes `"memory (GB, log scale)"`.
    /// A title that already says so ("log scale", "log10") is left alone; an empty one
    /// becomes `"log scale"`.
    public func axisTitle(_ label: String) -> String {
        guard self == .log10 else { return label }
        let lower = label.lowercased()
        if lower.contains("log scale") || lower.contains("log10") || lower.contains("log axis") { return label }
        if label.isEmpty { return "log scale" }
        if label.hasSuffix(")") { return label.dropLast() + ", log scale)" }
        return label + " (log scale)"
    }
}

/// One numeric axis: its scale, the range it shows, and its ticks.
///
/// `fraction(_:)` maps a value to 0 at `lo` and 1 at `hi` (log-spaced on a log axis) and
/// returns nil for values the axis cannot place: NaN, ±infinity, and ≤ 0 on a log axis.
/// Every chart skips such points instead of failing.
struct Axis {
    let scale: Scale
    let lo: Double
    let hi: Double
    let ticks: TickMarks

    init(scale: Scale, lo: Double, hi: Double, tickTarget: Int) {
        self.scale = scale
        self.lo = lo
        self.hi = hi
        self.ticks = scale == .linear ? Ticks.linear(lo, hi, target: tickTarget) : Ticks.log10(lo, hi)
    }

    /// Whether the axis can show `value` at all (inside the range or not).
    func accepts(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }

    /// 0 at `lo`, 1 at `hi`; values outside the range give fractions outside 0…1.
    func fraction(_ value: Double) -> Double? {
        guard accepts(value) else { return nil }
        switch scale {
        case .linear: return (value - lo) / (hi - lo)
        case .log10: return (decimalLog(value) - decimalLog(lo)) / (decimalLog(hi) - decimalLog(lo))
        }
    }

    /// An axis fitted to the values it must show.
    ///
    /// - `requested`: use this range as it is, if it is usable (finite, lo < hi, lo > 0 on log).
    /// - otherwise the range of the finite (and, on log, positive) values, widened by
    ///   `margin` of the span on each side. No usable values: 0…1 (linear) or 1…10 (log).
    ///   All values equal: ±10 % around the value (±1 around zero), or half a decade on log.
    /// - `fromZero`: a linear axis includes 0 and puts no margin on that side (bars and
    ///   histogram counts grow from zero).
    static func fitted(
        to values: [Double], scale: Scale, requested: ClosedRange<Double>? = nil,
        margin: Double = 0.04, fromZero: Bool = false, tickTarget: Int = 6
    ) -> Axis {
        if let requested, requested.lowerBound.isFinite, requested.upperBound.isFinite,
            requested.lowerBound < requested.upperBound, scale == .linear || requested.lowerBound > 0
        {
            return Axis(scale: scale, lo: requested.lowerBound, hi: requested.upperBound, tickTarget: tickTarget)
        }
        var lo = Double.infinity
        var hi = -Double.infinity
        for value in values where value.isFinite && (scale == .linear || value > 0) {
            lo = min(lo, value)
            hi = max(hi, value)
        }
        let zeroBased = fromZero && scale == .linear
        if zeroBased {
            lo = min(lo, 0)
            hi = max(hi, 0)
        }
        if lo > hi {
            (lo, hi) = scale == .linear ? (0, 1) : (1, 10)
        } else if lo == hi {
            if scale == .log10 {
                (lo, hi) = (lo / 3.1622776601683795, hi * 3.1622776601683795)
            } else if zeroBased {
                (lo, hi) = (0, 1)  // only possible when every value is zero
            } else {
                let half = lo == 0 ? 1 : abs(lo) * 0.1
                (lo, hi) = (lo - half, hi + half)
            }
        }
        switch scale {
        case .linear:
            // hi·m − lo·m rather than (hi − lo)·m: the difference can overflow near ±1e308.
            let pad = hi * margin - lo * margin
            if !(zeroBased && lo == 0) { lo = max(lo - pad, -Double.greatestFiniteMagnitude) }
            if !(zeroBased && hi == 0) { hi = min(hi + pad, Double.greatestFiniteMagnitude) }
        case .log10:
            let pad = (decimalLog(hi) - decimalLog(lo)) * margin
            lo = max(lo / pow(10, pad), Double.leastNormalMagnitude)
            hi = min(hi * pow(10, pad), Double.greatestFiniteMagnitude)
        }
        return Axis(scale: scale, lo: lo, hi: hi, tickTarget: tickTarget)
    }
}
