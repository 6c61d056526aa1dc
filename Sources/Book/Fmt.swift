import Foundation

/// Number formatting for printed text — one spelling for every chapter, the same bytes on
/// every platform (golden outputs depend on it).
///
/// ```
/// Fmt.f(0.12345)        "0.123"        Fmt.e(1234.5)       "1.23e+03"
/// Fmt.g(23.518518, 6)   "23.5185"      Fmt.grouped(107904) "107,904"
/// Fmt.ratio(2.6)        "2.6x"         Fmt.percent(0.0117) "1.17 %"
/// Fmt.right("7", 4)     "   7"         Fmt.row([1, 2], digits: 1, width: 5)  "  1.0  2.0"
/// ```
public enum Fmt {
    /// `%.{digits}g`
    public static func g(_ x: Double, _ digits: Int = 6) -> String { String(format: "%.\(digits)g", x) }
    /// `%.{digits}e`
    public static func e(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)e", x) }
    /// `%.{digits}f`
    public static func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

    /// Thousands separated by commas: 107904 → "107,904".
    public static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out = n < 0 ? "-" : ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return out
    }

    /// A ratio with `digits` decimals and an "x": 2.6 → "2.6x".
    public static func ratio(_ x: Double, _ digits: Int = 1) -> String { f(x, digits) + "x" }

    /// A fraction as a percentage: 0.0117 → "1.17 %".
    public static func percent(_ fraction: Double, _ digits: Int = 2) -> String { f(100 * fraction, digits) + " %" }

    /// `text` padded with spaces on the left to `width` (never cut).
    public static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// `text` padded with spaces on the right to `width` (never cut).
    public static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Numbers as one fixed-width row, each `%.{digits}f` right-aligned in `width` columns.
    public static func row(_ values: some Sequence<Double>, digits: Int = 4, width: Int = 9) -> String {
        values.map { right(f($0, digits), width) }.joined()
    }

    /// Floats as one fixed-width row (see ``row(_:digits:width:)``).
    public static func row(_ values: some Sequence<Float>, digits: Int = 4, width: Int = 9) -> String {
        row(values.map(Double.init), digits: digits, width: width)
    }

    /// Integers (codes) as one fixed-width row, right-aligned in `width` columns.
    public static func row<I: BinaryInteger>(_ values: some Sequence<I>, width: Int = 5) -> String {
        values.map { right(String($0), width) }.joined()
    }
}
