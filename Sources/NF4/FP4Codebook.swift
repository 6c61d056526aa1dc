/// bitsandbytes' **FP4**: its own 4-bit float (1 sign, 2 exponent, 1 mantissa bit), the
/// data type QLoRA compares NF4 against.
///
/// Source: QLoRA (Dettmers et al., 2023), §4 and Table 2 (FP4 with E2M1); bitsandbytes
/// `get_4bit_type('fp4')`, which lists the values in **code order**, and `dQuantizeFP4` in its
/// CUDA kernels.
///
/// ```
/// code bits:  s e1 e0 m                       bit 3 is the sign
/// e = 00:     m · 0.0625                      0, 0.0625          (the "subnormals")
/// e ≠ 00:     (1 + m/2) · 2^(4 − e)           e=01: 8, 12   e=10: 4, 6   e=11: 2, 3
/// value     = (−1)^s · that / 12              normalised so the largest magnitude is 1
/// ```
///
/// Note the exponent runs **backwards** (a larger field is a smaller value) and the code
/// order is not monotone in value: [0, 0.0625, 8, 12, 4, 6, 2, 3] / 12 for the positive half.
/// It is not OCP E2M1 (`float4_e2m1fn`, values 0, 0.5, 1, 1.5, 2, 3, 4, 6): bnb-FP4 has a
/// much smaller nonzero level (0.0625/12 ≈ 0.0052 of the absmax) and no 0.5-step ladder.
/// It also has two codes for zero, 0b0000 and 0b1000 (sign bit set) — which is why the sign
/// of a value that rounds to zero is a question at all (see `Quantization4Rules.fp4ZeroSign`).
///
/// The quantizer searches the values in sorted order; `FourBitDataType` keeps the argsort
/// (`sortedCodes`) that maps a sorted index back to the code.
public enum FP4Codebook {
    /// The unnormalised magnitude of the 3 low bits of a code (bit 3, the sign, ignored).
    public static func magnitude(ofCode code: UInt8) -> Float {
        let exponent = Int((code >> 1) & 0b11)
        let mantissa = Float(code & 1)
        if exponent == 0 { return mantissa * 0.0625 }
        return (1 + mantissa / 2) * Float(1 << (4 - exponent))
    }

    /// The 16 values in code order, built from the bits and divided by 12 in float32
    /// (as bitsandbytes' `data.div_(data.abs().max())`): [0, 0.0052, 0.667, 1, 0.333, 0.5,
    /// 0.167, 0.25, 0, −0.0052, −0.667, −1, −0.333, −0.5, −0.167, −0.25].
    ///
    /// Code 8 holds **+0.0**, not −0.0: bitsandbytes writes the list in Python, where `-0` is
    /// the integer 0. (Its C dequantization kernel decodes the sign bit itself and returns −0
    /// for code 8; its PyTorch kernel looks the table up and returns +0 — one more place where
    /// its backends differ, in the last bit only.)
    public static let table: [Float] = {
        let raw = (UInt8(0)..<16).map { code -> Float in
            let m = magnitude(ofCode: code)
            return m == 0 ? 0 : (code & 0b1000 != 0 ? -m : m)  // Python's -0 is +0
        }
        let largest = raw.map(abs).max()!  // 12
        return raw.map { $0 / largest }
    }()

    /// The zero code with the sign bit clear, and with it set.
    public static let positiveZeroCode: UInt8 = 0b0000
    public static let negativeZeroCode: UInt8 = 0b1000
}
