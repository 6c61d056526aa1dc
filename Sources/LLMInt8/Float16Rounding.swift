/// Rounding a Float to the nearest float16 value (kept as a Float), for
/// `emulateFloat16Inputs`: bitsandbytes' `Linear8bitLt` runs `X.to(torch.float16)` and
/// `W.to(torch.float16)` before it quantizes, so its codes and row absmax come from the
/// float16 values. To match them bit for bit we round the same way first.
///
/// float16 has 10 fraction bits, normal exponents −14…15 and subnormals down to 2⁻²⁴, so
/// the float16 values in the binade [2ᵉ, 2ᵉ⁺¹) are the multiples of 2ᵉ⁻¹⁰ (for e < −14 the
/// subnormal spacing 2⁻²⁴). Rounding is to the nearest multiple, ties to even:
///
/// ```
/// quantum = 2^(max(e, −14) − 10)
/// x16     = round(x / quantum) · quantum       (both steps exact: quantum is a power of 2)
/// |x| ≥ 65 520 (halfway past the largest float16, 65 504) → ±∞
/// ```
///
/// Written with Float arithmetic so it runs everywhere (Swift's `Float16` is missing on
/// Intel Macs); the tests check it against `Float16` where that type exists. The
/// `FloatFormats` module builds float16 from bit patterns for Chapter 1.
public enum Float16Rounding {
    /// The largest finite float16.
    public static let greatestFiniteMagnitude: Float = 65504
    /// The smallest magnitude that rounds to infinity.
    public static let overflowThreshold: Float = 65520

    /// x rounded to the nearest float16 value, ties to even; NaN stays NaN.
    @inlinable
    public static func rounded(_ x: Float) -> Float {
        guard x.isFinite else { return x }
        if abs(x) >= overflowThreshold { return x < 0 ? -.infinity : .infinity }
        // x.exponent is ⌊log₂|x|⌋ (Int.min for zero, which the max() absorbs).
        let e = Swift.max(x.exponent, -14)
        let quantum = Float(sign: .plus, exponent: e - 10, significand: 1)
        return (x / quantum).rounded(.toNearestOrEven) * quantum
    }
}
