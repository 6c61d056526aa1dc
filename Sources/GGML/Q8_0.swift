/// Q8_0: 32 signed bytes and one fp16 scale, 8.5 bits per weight.
///
/// ```c
/// typedef struct { ggml_half d; int8_t qs[QK8_0]; } block_q8_0;  // 34 bytes
/// ```
/// Bytes 0–1: fp16 `d`; bytes 2–33: `q[0…31]` as int8, in element order.
///
/// Quantize (`quantize_row_q8_0_ref`): `amax = max |x|`, `d = amax / 127` in float32,
/// `id = d ≠ 0 ? 1/d : 0` — from the float32 `d`, before it is rounded to fp16 —
/// `q = roundf(x · id)`, rounding halves away from zero (Swift's `.rounded()`).
/// Dequantize (`dequantize_row_q8_0`): `x = q · d` with the stored fp16 `d`.
///
/// Symmetric and absmax-scaled like `Absmax`'s int8 grid, per block of 32 instead of per
/// tensor; every |x| ≤ amax, so no code needs clamping.
public enum Q8_0: BlockFormat {
    public static let name = "Q8_0"
    /// 2 (fp16 d) + 32 (int8 qs).
    public static let bytesPerBlock = 34

    public static func appendBlock(_ block: ArraySlice<Float>, to bytes: inout [UInt8]) {
        let (d, codes) = scaleAndCodes(block)
        HalfField.append(d, to: &bytes)
        for q in codes { bytes.append(UInt8(bitPattern: q)) }
    }

    /// One block's float32 scale `d` (before it is rounded to fp16) and its 32 int8 codes, as
    /// `quantize_row_q8_0_ref` computes them.
    public static func scaleAndCodes(_ block: ArraySlice<Float>) -> (d: Float, codes: [Int8]) {
        // BEGIN EXERCISE 11a — Q8_0's block
        var amax: Float = 0
        for v in block { amax = amax > abs(v) ? amax : abs(v) }  // C's MAX(amax, fabsf(v))
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        // roundf (halves away from zero), then (int8_t)
        let codes = block.map { Int8(bitPattern: cTruncatedByte(($0 * id).rounded())) }
        return (d, codes)
        // END EXERCISE 11a
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let d = HalfField.read(block, at: 0)
        for byte in block.dropFirst(2) {
            values.append(Float(Int8(bitPattern: byte)) * d)
        }
    }
}
