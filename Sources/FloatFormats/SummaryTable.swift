import Core
import Foundation

/// The chapter's table of formats as text: one row per format with its layout, bias and the
/// numbers derived from them. `lowbit formats table` prints exactly this.
///
/// ```
/// format    layout        bias  largest finite  smallest normal  smallest subnormal  epsilon  digits  inf  NaN
/// fp16      1-5-10          15           65504     6.103516e-05        5.960464e-08  0.000977    3.31  yes  yes
/// ```
extension FloatFormat {
    /// "1-5-10", or "1-8-10 in 32" for TF32's 32-bit storage.
    public var layout: String {
        let fields = "1-\(exponentBits)-\(mantissaBits)"
        return storageBits == codeBits ? fields : "\(fields) in \(storageBits)"
    }

    /// How the format spells infinity, NaN and overflow, in words.
    public var specialsSummary: String {
        let inf = hasInfinity ? "±inf" : "no inf"
        let nanText: String
        switch nan {
        case .ieee: nanText = "NaN (E all ones, M≠0)"
        case .onlyAllOnes: nanText = "NaN only S.1111.111"
        case .none: nanText = "no NaN"
        }
        let over = overflow == .saturate ? "saturates" : (hasInfinity ? "overflow→inf" : "overflow→NaN")
        return "\(inf), \(nanText), \(over)"
    }

    /// One formatted row of ``summaryTable(_:)``.
    func summaryRow() -> [String] {
        [
            name, layout, String(bias), Self.short(largestFinite), Self.short(smallestNormal),
            Self.short(smallestSubnormal), Self.short(machineEpsilon),
            String(format: "%.2f", decimalDigits), specialsSummary,
        ]
    }

    /// Six significant digits, the way `%g` prints them (deterministic across platforms).
    static func short(_ x: Float) -> String { String(format: "%.6g", Double(x)) }

    /// The table of `formats` with aligned columns, a header and a rule.
    public static func summaryTable(_ formats: [FloatFormat] = FloatFormat.all) -> String {
        let header = [
            "format", "layout", "bias", "largest finite", "smallest normal", "smallest subnormal",
            "epsilon", "digits", "specials",
        ]
        // Text columns (name, layout, specials) align left; numbers align right.
        return TextTable(header, formats.map { $0.summaryRow() }, leftAligned: [0, 1, header.count - 1]).text
    }
}
