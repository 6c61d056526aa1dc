#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// log10 under a name that the static `Ticks.log10(_:_:)` does not shadow.
func decimalLog(_ x: Double) -> Double { log10(x) }

/// Tick positions and their labels for one axis.
public struct TickMarks: Sendable, Equatable {
    /// Labelled ticks, ascending, all inside the axis range.
    public var major: [Double]
    /// One label per major tick.
    public var labels: [String]
    /// Short unlabelled ticks (log axes: 2×, 3×, … 9× each power of ten).
    public var minor: [Double]

    public init(major: [Double], labels: [String], minor: [Double] = []) {
        precondition(major.count == labels.count, "one label per major tick")
        self.major = major
        self.labels = labels
        self.minor = minor
    }
}

/// "Nice" tick values, the way a person would place them by hand.
///
/// Linear axes step by 1, 2 or 5 times a power of ten (Heckbert, "Nice numbers for graph
/// labels", *Graphics Gems* 1990): 0, 0.2, 0.4 … rather than 0, 0.173, 0.346 …
/// Log axes tick at powers of ten (every second, third or fifth power when the range spans
/// many decades); a range narrower than 2.5 decades ticks at 1, 2 and 5 × 10^k.
///
/// Properties (tested): linear ticks are equally spaced by 1, 2 or 5 × 10^k, lie inside the
/// range, and there are at least two of them; log ticks over 2.5 decades or more are exact
/// powers of ten.
public enum Ticks {
    /// The 1-2-5 step nearest above `span / target`.
    public static func niceStep(span: Double, target: Int) -> Double {
        let (multiple, exponent) = niceStepParts(span: span, target: target)
        return multiple * pow(10, Double(exponent))
    }

    /// The step as (1, 2 or 5) × 10^exponent.
    static func niceStepParts(span: Double, target: Int) -> (multiple: Double, exponent: Int) {
        let raw = span / Double(max(target, 1))
        guard raw > 0, raw.isFinite else { return (1, 0) }
        let exponent = Int(decimalLog(raw).rounded(.down))
        let magnitude = pow(10, Double(exponent))
        for multiple in [1.0, 2.0, 5.0] where multiple * magnitude >= raw * (1 - 1e-9) {
            return (multiple, exponent)
        }
        return (1, exponent + 1)
    }

    /// Ticks at multiples of a 1-2-5 step inside `lo…hi`, about `target` of them.
    public static func linear(_ lo: Double, _ hi: Double, target: Int = 6) -> TickMarks {
        guard lo.isFinite, hi.isFinite, hi > lo else {
            return lo.isFinite
                ? TickMarks(major: [lo], labels: [NumberFormat.compact(lo)]) : TickMarks(major: [], labels: [])
        }
        let (multiple, exponent) = niceStepParts(span: hi - lo, target: target)
        let step = multiple * pow(10, Double(exponent))
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        // Far from zero relative to the step (1e20 … 1e20 + 5) the multiples are not
        // representable: label the two ends instead of looping over nonsense.
        guard abs(first) < 1e15, abs(last) < 1e15, last >= first else {
            return TickMarks(major: [lo, hi], labels: [NumberFormat.compact(lo), NumberFormat.compact(hi)])
        }
        // Tick k is (k × multiple) / 10^−exponent: an exact integer divided by an exact power
        // of ten, which rounds once, to the double nearest the decimal value. A running sum,
        // or k × 0.1, would give 0.30000000000000004.
        let major = stride(from: first, through: last, by: 1).map { index in
            exponent < 0 ? index * multiple / pow(10, Double(-exponent)) : index * multiple * pow(10, Double(exponent))
        }
        return TickMarks(major: major, labels: NumberFormat.tickLabels(major, step: step))
    }

    /// Ticks for a log10 axis spanning `lo…hi` (both must be positive; otherwise no ticks).
    public static func log10(_ lo: Double, _ hi: Double) -> TickMarks {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else {
            return lo > 0 && lo.isFinite
                ? TickMarks(major: [lo], labels: [NumberFormat.compact(lo)]) : TickMarks(major: [], labels: [])
        }
        let a = decimalLog(lo)
        let b = decimalLog(hi)
        let firstPower = Int((a - 1e-9).rounded(.up))
        let lastPower = Int((b + 1e-9).rounded(.down))
        if lastPower - firstPower >= 1 && b - a >= 2.5 {
            // Every k-th power of ten, k from 1-2-3-5-10…, so that at most ~9 are labelled.
            let count = lastPower - firstPower + 1
            let every = [1, 2, 3, 5, 10, 20, 25, 50, 100].first { (count + $0 - 1) / $0 <= 9 } ?? 100
            var major: [Double] = []
            var labels: [String] = []
            var minor: [Double] = []
            for power in firstPower...lastPower {
                if power % every == 0 {
                    major.append(pow(10, Double(power)))
                    labels.append(NumberFormat.powerOfTen(power))
                } else {
                    minor.append(pow(10, Double(power)))
                }
            }
            if major.count < 2 {  // e.g. every = 2 but only one even power inside the range
                major = (firstPower...lastPower).map { pow(10, Double($0)) }
                labels = (firstPower...lastPower).map(NumberFormat.powerOfTen)
                minor = []
            }
            if every == 1 && count <= 12 {
                for power in (firstPower - 1)...lastPower {
                    for multiple in 2...9 {
                        let value = Double(multiple) * pow(10, Double(power))
                        if value >= lo && value <= hi { minor.append(value) }
                    }
                }
            }
            return TickMarks(major: major, labels: labels, minor: minor.sorted())
        }
        // Less than 2.5 decades: 1, 2 and 5 times the powers of ten, else plain linear ticks.
        var candidates: [Double] = []
        for power in (firstPower - 1)...(lastPower + 1) {
            for multiple in [1.0, 2.0, 5.0] {
                let value = multiple * pow(10, Double(power))
                if value >= lo * (1 - 1e-12) && value <= hi * (1 + 1e-12) { candidates.append(value) }
            }
        }
        if candidates.count >= 3 {
            var minor: [Double] = []
            for power in (firstPower - 1)...(lastPower + 1) {
                for multiple in [3.0, 4.0, 6.0, 7.0, 8.0, 9.0] {
                    let value = multiple * pow(10, Double(power))
                    if value >= lo && value <= hi { minor.append(value) }
                }
            }
            return TickMarks(major: candidates, labels: candidates.map(NumberFormat.compact), minor: minor)
        }
        return linear(lo, hi, target: 4)
    }
}
