/// Q4_0: 32 four-bit codes and one fp16 scale, 4.5 bits per weight.
///
/// ```c
/// typedef struct { ggml_half d; uint8_t qs[QK4_0 / 2]; } block_q4_0;  // 18 bytes
/// ```
/// Bytes 0–1: fp16 `d`; bytes 2–17: `qs[j]` holds element `j` in its low nibble and element
/// `j + 16` in its high nibble (`j` = 0…15).
///
/// Quantize (`quantize_row_q4_0_ref`): `m` = the element of largest |x| *with its sign*
/// (the first on a tie); `d = m / −8`; `id = d ≠ 0 ? 1/d : 0` from the float32 `d`;
/// `q = min(15, (int8_t)(x · id + 8.5))` — truncation of `+ 8.5`, i.e. rounding half up.
/// Dequantize (`dequantize_row_q4_0`): `x = (q − 8) · d`.
///
/// The sign trick: dividing by −8 maps `m` itself to code 0 exactly, so the largest value is
/// stored without error. The grid −8…7 is lopsided; values on the other side of zero that
/// would round to +8 are clamped to 7 and lose up to one whole step, not half.
public enum Q4_0: BlockFormat {
    public static let name = "Q4_0"
    /// 2 (fp16 d) + 16 (two codes per byte).
    public static let bytesPerBlock = 18

    public static func appendBlock(_ block: ArraySlice<Float>, to bytes: inout [UInt8]) {
        let (d, q) = scaleAndCodes(block)
        HalfField.append(d, to: &bytes)
        for j in 0..<16 { bytes.append(q[j] | q[j + 16] << 4) }
    }

    /// One block's float32 scale `d` (before it is rounded to fp16) and its 32 codes 0…15 in
    /// element order, as `quantize_row_q4_0_ref` computes them.
    public static func scaleAndCodes(_ block: ArraySlice<Float>) -> (d: Float, codes: [UInt8]) {
        // BEGIN EXERCISE 11b — Q4_0's scale and codes
        let d = signedAbsmax(block) / -8
        let id: Float = d != 0 ? 1 / d : 0
        // (int8_t)(x · id + 8.5) truncates: rounding half up; MIN(15, …) clamps the top.
        let codes = block.map { x in
            UInt8(bitPattern: min(15, Int8(bitPattern: cTruncatedByte(x * id + 8.5))))
        }
        return (d, codes)
        // END EXERCISE 11b
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let d = HalfField.read(block, at: 0)
        let qs = Array(block.dropFirst(2))
        for j in 0..<16 { values.append(Float(Int(qs[j] & 0x0F) - 8) * d) }
        for j in 0..<16 { values.append(Float(Int(qs[j] >> 4) - 8) * d) }
    }
}
