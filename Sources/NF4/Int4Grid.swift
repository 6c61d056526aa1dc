import Absmax

/// A plain signed **Int4** absmax grid: 15 evenly spaced levels −7/7 … 7/7, the 4-bit
/// version of Chapter 2's absmax int8 (which uses −127 … 127 and leaves out −128).
///
/// ```
/// code c ∈ 0 … 14  ↔  value (c − 7) / 7          code 7 = 0, code 0 = −1, code 14 = 1
/// code 15          unused
/// ```
///
/// Why 15 levels and not 16: a symmetric grid needs an odd number of levels to contain an
/// exact 0 and both ±1; adding −8/7 (as two's complement would) gives one value beyond the
/// absmax that no value ever reaches — the same reason Chapter 2 leaves out −128. So Int4
/// spends ~6% of its codes on nothing, where NF4 uses all 16; that is part of the comparison.
/// (bitsandbytes has an `int4` table too, in sign-magnitude order with two zeros; it is not
/// used by any of its quantizers, so we keep the grid the reader already knows.)
///
/// Quantizing with this table through the midpoint rule is Chapter 2's absmax rounding with
/// 7 in place of 127: round(x · 7 / absmax). The two differ only on exact ties (the midpoint
/// rule sends a tie to the lower level, `Absmax.quantize` rounds ties to even) —
/// `absmaxCode(_:absmax:)` computes it Chapter 2's way so a test can compare.
public enum Int4Grid {
    /// The largest integer level: 7 = 2³ − 1.
    public static let levels = 7

    /// The 15 values (c − 7) / 7 in code order, c = 0 … 14 (sorted ascending).
    public static let table: [Float] = (0..<(2 * levels + 1)).map {
        Float($0 - levels) / Float(levels)
    }

    /// Chapter 2's absmax quantization with scale 7 / absmax, as a code 0 … 14:
    /// `Absmax.quantize(x, scale: 7 / absmax) + 7` (ties to even).
    public static func absmaxCode(_ x: Float, absmax: Float) -> UInt8 {
        let scale: Float = absmax > 0 ? Float(levels) / absmax : 1
        // −7 … 7 for |x| ≤ absmax (clamped at ±127 otherwise)
        let q = Absmax.quantize(x, scale: scale)
        return UInt8(Int(max(-7, min(7, q))) + levels)
    }
}
