/// Everything a format's range and precision follow from: the field widths, the bias and the
/// special-value rules. Each property is stated as a formula; the tests check each against
/// the decoded codes and the numbers in the specs (fp16 max 65504, E4M3 max 448, …).
extension FloatFormat {
    // MARK: Field geometry

    /// Bits of one code: sign + exponent + mantissa (19 for TF32, although it is stored in 32).
    public var codeBits: Int { 1 + exponentBits + mantissaBits }

    /// Number of distinct codes, 2^codeBits (65536 for fp16, 16 for FP4).
    public var codeCount: Int { 1 << codeBits }

    /// Low zero bits below the code in storage: 13 for TF32, 0 for everything else.
    public var storageShift: Int { storageBits - codeBits }

    /// The exponent field with every bit set (31 for fp16).
    public var exponentFieldMax: UInt32 { (1 << UInt32(exponentBits)) - 1 }

    /// The mantissa field with every bit set (0x3ff for fp16).
    public var mantissaMask: UInt32 { (1 << UInt32(mantissaBits)) - 1 }

    /// The sign bit of a code (bit codeBits − 1), before the storage shift.
    public var signMask: UInt32 { 1 << UInt32(codeBits - 1) }

    /// Does this format have a NaN?
    public var hasNaN: Bool { nan != .none }

    /// Does this format have infinities?
    public var hasInfinity: Bool { infinity != .none }

    /// Unbiased exponent of the smallest normal number: 1 − bias (−14 for fp16). Below it
    /// the grid stops getting finer: decoding and encoding both use it.
    public var minNormalExponent: Int { 1 - bias }

    /// The magnitude code (sign bit clear, before the storage shift) of the largest finite
    /// value: the code just below the first special one. 0x7bff for fp16 (0x7c00 is +inf),
    /// 0x7e for E4M3 (0x7f is its NaN), 0x7 for FP4 (no special codes at all). The encoder
    /// compares every rounded magnitude with it to decide what overflows.
    public var largestFiniteCode: UInt32 {
        let top = exponentFieldMax << UInt32(mantissaBits)  // the first all-ones-exponent code
        if infinity == .ieee || nan == .ieee { return top - 1 }  // the whole top exponent is special
        if nan == .onlyAllOnes { return top | (mantissaMask - 1) }  // only S.1…1.1…1 is NaN
        return top | mantissaMask  // no inf, no NaN: every code is a number
    }

    // Exercise 1e: the range and precision of a format follow from its fields. Each property
    // below is one formula; build powers of two with `powerOfTwo` so every result is exact.

    /// Unbiased exponent of the largest finite number. IEEE formats reserve the all-ones
    /// exponent for inf/NaN (fp16: 30 − 15 = 15); E4M3 and FP4 use it for numbers (15 − 7 = 8).
    public var maxFiniteExponent: Int {
        // BEGIN EXERCISE 1e — range and precision from the fields
        let top = Int(exponentFieldMax)
        return (infinity == .ieee || nan == .ieee ? top - 1 : top) - bias
        // END EXERCISE 1e
    }

    /// Largest finite value: (1 + M/2^m) × 2^maxFiniteExponent with the largest allowed M —
    /// all ones, except in E4M3, whose all-ones M at the top exponent is its NaN.
    /// fp16: (2 − 2^−10) × 2^15 = 65504; E4M3: 1.75 × 2^8 = 448; FP4: 1.5 × 2^2 = 6.
    public var largestFinite: Float {
        // BEGIN EXERCISE 1e — range and precision from the fields
        let mantissa = nan == .onlyAllOnes ? mantissaMask - 1 : mantissaMask
        let significand = Float((1 << UInt32(mantissaBits)) + mantissa)  // exact: < 2^24
        return significand * powerOfTwo(maxFiniteExponent - mantissaBits)
        // END EXERCISE 1e
    }

    /// Smallest positive normal value, 2^(1 − bias) (fp16: 2^−14 ≈ 6.1e−5).
    public var smallestNormal: Float {
        // BEGIN EXERCISE 1e — range and precision from the fields
        powerOfTwo(minNormalExponent)
        // END EXERCISE 1e
    }

    /// Smallest positive subnormal value, 2^(1 − bias − m) (fp16: 2^−24 ≈ 6.0e−8).
    public var smallestSubnormal: Float {
        // BEGIN EXERCISE 1e — range and precision from the fields
        powerOfTwo(minNormalExponent - mantissaBits)
        // END EXERCISE 1e
    }

    /// Machine epsilon, the gap between 1 and the next value: 2^−m (fp16: 2^−10 ≈ 9.8e−4).
    /// Round-to-nearest has relative error at most half of it for normal numbers.
    public var machineEpsilon: Float {
        // BEGIN EXERCISE 1e — range and precision from the fields
        powerOfTwo(-mantissaBits)
        // END EXERCISE 1e
    }

    /// Significant decimal digits, (m + 1) × log10(2): fp32 7.2, fp16 3.3, bf16 2.4, FP4 0.6.
    public var decimalDigits: Double {
        // BEGIN EXERCISE 1e — range and precision from the fields
        Double(mantissaBits + 1) * 0.301_029_995_663_981_2
        // END EXERCISE 1e
    }

    /// Every finite value the format can hold, ascending, each once (−0 is left out, +0 kept).
    /// This is the grid the chapter plots. Only for formats of at most 20 code bits.
    public var allFiniteValues: [Float] {
        precondition(codeBits <= 20, "\(name) has 2^\(codeBits) codes; too many to list")
        var values: [Float] = []
        for code in 0..<UInt32(codeCount) {
            let value = decode(code << UInt32(storageShift))
            if value.isFinite && !(value == 0 && value.sign == .minus) { values.append(value) }
        }
        return values.sorted()
    }
}

/// 2^e as a float32, built from its bit pattern (exact for −149 ≤ e ≤ 127).
@inlinable
func powerOfTwo(_ e: Int) -> Float {
    precondition((-149...127).contains(e), "2^\(e) is not a float32")
    if e >= -126 { return Float(bitPattern: UInt32(e + 127) << 23) }  // normal: exponent field only
    return Float(bitPattern: 1 << UInt32(e + 149))  // subnormal: one mantissa bit
}
