#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Short, deterministic number labels: `0.5`, `20k`, `1.5e-4`, `1e-3`.
///
/// Written out by hand rather than with `String(format:)` so that Plot needs no Foundation
/// and the labels cannot change with a locale.
public enum NumberFormat {
    /// Labels for a set of linear ticks spaced `step` apart, all with the same number of
    /// decimals: `0, 0.5, 1, 1.5`. Switches to SI suffixes when the largest tick reaches
    /// 10 000 (`20k`, `1.25M`) and to scientific notation when the step needs more than three
    /// decimals (`2e-5`, `1.5e-4`).
    public static func tickLabels(_ ticks: [Double], step: Double) -> [String] {
        let largest = ticks.map(abs).max() ?? 0
        guard step > 0, step.isFinite, largest.isFinite else { return ticks.map(compact) }
        let stepExponent = Int((log10(step) + 1e-9).rounded(.down))
        if largest >= 1e4 && largest < 1e15 {
            let (unit, suffix) = siUnit(for: largest)
            let decimals = max(0, -Int(log10(step / unit).rounded(.down)))
            return ticks.map { isZero($0, step) ? "0" : fixed($0 / unit, decimals: decimals) + suffix }
        }
        if -stepExponent > 3 || largest >= 1e15 {
            return ticks.map { value in
                guard !isZero(value, step) else { return "0" }
                let exponent = Int(log10(abs(value)).rounded(.down))
                return scientific(value, decimals: max(0, exponent - stepExponent))
            }
        }
        let decimals = max(0, -stepExponent)
        return ticks.map { isZero($0, step) ? "0" : fixed($0, decimals: decimals) }
    }

    /// The label of 10^exponent on a log axis: `0.01 0.1 1 10 100 1000`, beyond that `1e4`, `1e-3`.
    public static func powerOfTen(_ exponent: Int) -> String {
        switch exponent {
        case -2: return "0.01"
        case -1: return "0.1"
        case 0...3: return "1" + String(repeating: "0", count: exponent)
        default: return "1e\(exponent)"
        }
    }

    /// Any single value to about three significant digits: `0.123`, `45.6`, `12.3k`, `1.23e-5`.
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        guard value != 0 else { return "0" }
        let magnitude = abs(value)
        let exponent = Int(log10(magnitude).rounded(.down))
        if magnitude >= 1e-3 && magnitude < 1e4 {
            return trimmed(fixed(value, decimals: max(0, 2 - exponent)))
        }
        if magnitude >= 1e4 && magnitude < 1e15 {
            let (unit, suffix) = siUnit(for: magnitude)
            let scaledExponent = Int(log10(magnitude / unit).rounded(.down))
            return trimmed(fixed(value / unit, decimals: max(0, 2 - scaledExponent))) + suffix
        }
        return scientific(value, decimals: 2)
    }

    /// `value` with exactly `decimals` digits after the point (round half away from zero).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        let decimals = min(max(decimals, 0), 15)
        var power: UInt64 = 1
        for _ in 0..<decimals { power *= 10 }
        let scaled = (abs(value) * Double(power)).rounded()
        guard scaled < 9e18 else { return scientific(value, decimals: 2) }
        let whole = UInt64(scaled)
        var text = String(whole / power)
        if decimals > 0 {
            let fraction = String(whole % power)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (value < 0 && whole != 0 ? "-" : "") + text
    }

    /// `m e k` with `decimals` digits in the mantissa, trailing zeros dropped: `1.5e-4`, `2e6`.
    public static func scientific(_ value: Double, decimals: Int) -> String {
        guard value != 0, value.isFinite else { return value == 0 ? "0" : compact(value) }
        var exponent = Int(log10(abs(value)).rounded(.down))
        var mantissa = trimmed(fixed(value / pow(10, Double(exponent)), decimals: decimals))
        if mantissa == "10" || mantissa == "-10" {  // 9.99 rounded up to the next power
            exponent += 1
            mantissa = value < 0 ? "-1" : "1"
        }
        return "\(mantissa)e\(exponent)"
    }

    private static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var result = Substring(text)
        while result.hasSuffix("0") { result = result.dropLast() }
        if result.hasSuffix(".") { result = result.dropLast() }
        return String(result)
    }

    private static func isZero(_ value: Double, _ step: Double) -> Bool {
        abs(value) < step * 1e-6
    }

    private static func siUnit(for magnitude: Double) -> (Double, String) {
        if magnitude >= 1e12 { return (1e12, "T") }
        if magnitude >= 1e9 { return (1e9, "G") }
        if magnitude >= 1e6 { return (1e6, "M") }
        return (1e3, "k")
    }
}
