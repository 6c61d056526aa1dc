/// Encoding: rounding a float32 onto a format's grid, from the bits up.
///
/// A finite float32 is an integer significand times a power of two,
///
/// ```
/// x = S × 2^(e − 23),   S = 1.mantissa as a 24-bit integer (0.mantissa for subnormals)
/// ```
///
/// The target format's values near x are the multiples of a grid spacing
/// `2^(max(e, 1 − bias) − m)`: m fraction bits below the leading 1, except that below the
/// smallest normal exponent the spacing stops shrinking (that is what subnormals are).
/// So encoding is one integer shift right of S, rounded to nearest with ties to even, and
/// the rounded integer is the code's magnitude up to an exponent offset. The three steps are
/// exercises 1b (rounding the shift), 1c (the grid, subnormals included) and 1d (what
/// becomes of values past the largest finite one, of infinities and of NaN).
///
/// Properties (each tested): decode(encode(v)) == v for every representable v; encode is
/// monotone on finite inputs; an exact tie goes to the code with an even last bit; encoding
/// −x flips only the sign bit; |roundTrip(x) − x| ≤ half a grid step whenever x does not
/// overflow.
extension FloatFormat {
    /// Encode with the format's default ``overflow`` mode (ml_dtypes/NumPy behaviour).
    /// Returns the code in the low ``storageBits`` bits (TF32: a float32 pattern, low 13 bits 0).
    public func encode(_ x: Float) -> UInt32 {
        encodeReportingOverflow(x, overflow: overflow).bits
    }

    /// Encode with an explicit overflow mode, e.g. `.saturate` to clamp to ±largest finite.
    public func encode(_ x: Float, overflow mode: OverflowMode) -> UInt32 {
        encodeReportingOverflow(x, overflow: mode).bits
    }

    /// The value x becomes when stored in this format: `decode(encode(x))`.
    public func roundTrip(_ x: Float) -> Float { decode(encode(x)) }

    /// `decode(encode(x, overflow: mode))`.
    public func roundTrip(_ x: Float, overflow mode: OverflowMode) -> Float {
        decode(encode(x, overflow: mode))
    }

    /// The whole conversion. `overflowed` is true when x is finite but rounds to a magnitude
    /// beyond ``largestFinite`` (the result is then ±inf, NaN or ±max, depending on `mode`).
    public func encodeReportingOverflow(
        _ x: Float, overflow mode: OverflowMode
    ) -> (bits: UInt32, overflowed: Bool) {
        let bits = x.bitPattern
        let sign = bits >> 31
        let exponent32 = Int((bits >> 23) & 0xff)
        let mantissa32 = bits & 0x7f_ffff
        var magnitude: UInt32
        var overflowed = false
        if exponent32 == 0xff {
            // ±inf is "the ultimate overflow"; NaN follows the format's NaN rules.
            magnitude =
                mantissa32 == 0 ? overflowMagnitude(mode) : nanMagnitude(payload: mantissa32)
        } else {
            magnitude = roundedMagnitude(exponent32: exponent32, mantissa32: mantissa32)
            if magnitude > largestFiniteCode {
                magnitude = overflowMagnitude(mode)
                overflowed = true
            }
        }
        let code = (sign << UInt32(codeBits - 1)) | magnitude  // the sign is always kept
        return (code << UInt32(storageShift), overflowed)
    }

    /// |x| rounded onto the grid, as a magnitude code with an unbounded exponent field
    /// (it may exceed ``largestFiniteCode``; the caller decides what overflow means).
    func roundedMagnitude(exponent32: Int, mantissa32: UInt32) -> UInt32 {
        // BEGIN EXERCISE 1c — the grid, subnormals included
        // x = significand × 2^(exponent − 23). A float32 subnormal has no implicit 1 and the
        // exponent of the smallest normal; every catalogued format's smallest normal exponent
        // is ≥ −126, so it never needs normalising.
        let significand = exponent32 == 0 ? mantissa32 : mantissa32 | 0x80_0000
        let exponent = exponent32 == 0 ? -126 : exponent32 - 127
        // Grid spacing 2^(gridExponent − m). Below the smallest normal the spacing stays at
        // 2^(1 − bias − m): the result keeps fewer significant bits (gradual underflow).
        let gridExponent = max(exponent, minNormalExponent)
        let shift = (gridExponent - mantissaBits) - (exponent - 23)
        let steps = roundShiftRightTiesToEven(significand, by: shift)
        // steps counts grid steps: 2^m ≤ steps ≤ 2^(m+1) for normals, fewer for subnormals.
        // Adding it to (biased exponent − 1) << m writes both fields at once:
        // - normal: steps = 2^m + M, and the extra 2^m adds the missing 1 to the exponent;
        // - subnormal (gridExponent = 1 − bias, biased exponent 1): the code is steps itself,
        //   exponent field 0 — and if rounding reached 2^m it is the smallest normal;
        // - steps = 2^(m+1) (1.11…1 rounded up to 10.0) carries into the exponent: 1.0 × 2^(e+1).
        let biasedGridExponent = UInt32(gridExponent + bias)
        return ((biasedGridExponent - 1) << UInt32(mantissaBits)) + steps
        // END EXERCISE 1c
    }

    /// What an overflowing value, or an infinity, becomes (sign added by the caller):
    /// `.saturate` clamps to ``largestFiniteCode``; in `.ieee` mode a format with infinity
    /// gives it, one without infinity but with a NaN gives its canonical NaN (E4M3), and a
    /// format with neither saturates (FP4).
    func overflowMagnitude(_ mode: OverflowMode) -> UInt32 {
        // BEGIN EXERCISE 1d — overflow, infinity and NaN per format
        if mode == .saturate { return largestFiniteCode }  // OCP "saturating" conversion
        if infinity == .ieee { return exponentFieldMax << UInt32(mantissaBits) }  // ±inf
        if nan != .none { return canonicalNaNMagnitude }  // E4M3: no inf, so NaN (sign kept)
        return largestFiniteCode  // FP4: nothing else to become
        // END EXERCISE 1d
    }

    /// The format's canonical quiet NaN without sign: all-ones exponent, top mantissa bit
    /// (E4M3: its only NaN, all ones).
    var canonicalNaNMagnitude: UInt32 {
        // BEGIN EXERCISE 1d — overflow, infinity and NaN per format
        let top = exponentFieldMax << UInt32(mantissaBits)
        return nan == .onlyAllOnes ? top | mantissaMask : top | 1 << UInt32(mantissaBits - 1)
        // END EXERCISE 1d
    }

    /// What a float32 NaN with mantissa `payload` (non-zero) becomes, without sign: see
    /// ``NaNEncoding`` and ``NaNPayloadRule``. FP4 has no NaN: our documented choice is zero.
    func nanMagnitude(payload: UInt32) -> UInt32 {
        // BEGIN EXERCISE 1d — overflow, infinity and NaN per format
        switch nan {
        case .none: return 0  // FP4: our documented choice, NaN → zero with the NaN's sign
        case .onlyAllOnes: return canonicalNaNMagnitude  // one NaN only: nowhere for a payload
        case .ieee:
            let top = exponentFieldMax << UInt32(mantissaBits)
            let quietBit: UInt32 = 1 << UInt32(mantissaBits - 1)
            let kept = payload >> UInt32(23 - mantissaBits)  // the top m payload bits
            switch nanPayload {
            case .canonicalQuiet: return top | quietBit
            case .truncated: return top | (kept == 0 ? 1 : kept)  // stay NaN, not infinity
            case .truncatedQuiet: return top | kept | quietBit
            }
        }
        // END EXERCISE 1d
    }
}

/// `value / 2^shift` rounded to the nearest integer, ties to even — the one rounding step
/// of every conversion. Exact for any shift ≥ 0 (shifts beyond 63 give 0, as they must).
///
/// ```
/// value 0b1011_0110, shift 4:  kept 0b1011, dropped 0b0110 < half 0b1000  → 0b1011
/// value 0b1011_1000, shift 4:  kept 0b1011, dropped = half, kept is odd   → 0b1100
/// value 0b1010_1000, shift 4:  kept 0b1010, dropped = half, kept is even  → 0b1010
/// ```
public func roundShiftRightTiesToEven(_ value: UInt32, by shift: Int) -> UInt32 {
    precondition(shift >= 0, "shift must be non-negative")
    // BEGIN EXERCISE 1b — round to nearest, ties to even
    if shift == 0 { return value }
    let s = UInt64(min(shift, 63))  // 64-bit so a shift of 32 or more is still defined
    let wide = UInt64(value)
    let kept = wide >> s
    let dropped = wide & ((1 << s) - 1)
    let half: UInt64 = 1 << (s - 1)
    let roundUp = dropped > half || (dropped == half && kept & 1 == 1)
    return UInt32(kept + (roundUp ? 1 : 0))
    // END EXERCISE 1b
}
