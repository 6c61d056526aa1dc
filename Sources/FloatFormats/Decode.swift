/// Decoding: from a bit pattern to the float32 it stands for.
///
/// Every value of every catalogued format is exactly a float32 (the ``FloatFormat`` init
/// checks the exponent range and mantissa width), so decoding never rounds: it only moves
/// fields around. We build the float32 bit pattern by hand rather than computing
/// `(1 + M/2^m) × 2^e` in floating point, so the reader sees where each field lands:
///
/// ```
/// fp16 0 10010 0100000000  (E = 18, M = 256)  →  +1.25 × 2^(18 − 15) = 10.0
/// f32  0 10000010 01000000000000000000000     (exponent 3 + 127, mantissa M << 13)
/// ```
extension FloatFormat {
    /// The three fields of a code (after dropping TF32's low storage bits).
    public func fields(of bits: UInt32) -> (sign: UInt32, exponent: UInt32, mantissa: UInt32) {
        precondition(
            storageBits == 32 || bits >> UInt32(storageBits) == 0,
            "\(name) code 0x\(String(bits, radix: 16)) has bits above its \(storageBits)")
        let code = bits >> UInt32(storageShift)
        return (
            sign: (code >> UInt32(codeBits - 1)) & 1,
            exponent: (code >> UInt32(mantissaBits)) & exponentFieldMax,
            mantissa: code & mantissaMask
        )
    }

    /// Is this (exponent field, mantissa field) pair a NaN in this format?
    public func isNaN(exponentField e: UInt32, mantissaField m: UInt32) -> Bool {
        switch nan {
        case .ieee: return e == exponentFieldMax && m != 0
        case .onlyAllOnes: return e == exponentFieldMax && m == mantissaMask
        case .none: return false
        }
    }

    /// Is this (exponent field, mantissa field) pair an infinity in this format?
    public func isInfinity(exponentField e: UInt32, mantissaField m: UInt32) -> Bool {
        infinity == .ieee && e == exponentFieldMax && m == 0
    }

    /// The float32 value of a code. `bits` holds the code in its low ``storageBits`` (for
    /// TF32 the whole 32-bit pattern, whose low 13 bits are ignored).
    ///
    /// NaN codes decode to a float32 NaN with the same sign whose payload is the mantissa
    /// field shifted to the top (as NumPy's float16 and ml_dtypes' bfloat16 do; ml_dtypes'
    /// float8 types return the canonical 0x7fc00000 instead — both are NaN).
    public func decode(_ bits: UInt32) -> Float {
        // BEGIN EXERCISE 1a — decode a bit pattern
        let (sign, exponentField, mantissaField) = fields(of: bits)
        let m = UInt32(mantissaBits)
        let sign32 = sign << 31
        if isNaN(exponentField: exponentField, mantissaField: mantissaField) {
            return Float(bitPattern: sign32 | 0x7f80_0000 | mantissaField << (23 - m))
        }
        if isInfinity(exponentField: exponentField, mantissaField: mantissaField) {
            return Float(bitPattern: sign32 | 0x7f80_0000)
        }
        if exponentField == 0 {
            // Zero or subnormal: value = M × 2^(1 − bias − m), no implicit leading 1.
            if mantissaField == 0 { return Float(bitPattern: sign32) }  // ±0 keeps its sign
            // Normalise: the leading 1 of M at bit p becomes float32's implicit bit.
            let p = 31 - mantissaField.leadingZeroBitCount
            let exponent = p + minNormalExponent - mantissaBits  // value = 1.xxx × 2^exponent
            if exponent >= -126 {
                let fraction = (mantissaField ^ (1 << UInt32(p))) << UInt32(23 - p)
                return Float(bitPattern: sign32 | UInt32(exponent + 127) << 23 | fraction)
            }
            // Also subnormal in float32 (bf16, tf32: same exponent range). float32 subnormals
            // count units of 2^−149, so M moves up by (1 − bias − m) − (−149) places.
            let shift = UInt32(minNormalExponent - mantissaBits + 149)
            return Float(bitPattern: sign32 | mantissaField << shift)
        }
        // Normal: rebias the exponent, left-align the mantissa in float32's 23 bits.
        let exponent32 = UInt32(Int(exponentField) - bias + 127)
        return Float(bitPattern: sign32 | exponent32 << 23 | mantissaField << (23 - m))
        // END EXERCISE 1a
    }
}
