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
        let d = signedAbsmax(block) / -8
        let id: Float = d != 0 ? 1 / d : 0
        HalfField.append(d, to: &bytes)
        let x = Array(block)
        for j in 0..<16 {
            let low = min(15, Int8(bitPattern: cTruncatedByte(x[j] * id + 8.5)))
            let high = min(15, Int8(bitPattern: cTruncatedByte(x[j + 16] * id + 8.5)))
            bytes.append(UInt8(bitPattern: low) | UInt8(bitPattern: high) << 4)
        }
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let d = HalfField.read(block, at: 0)
        let qs = Array(block.dropFirst(2))
        for j in 0..<16 { values.append(Float(Int(qs[j] & 0x0F) - 8) * d) }
        for j in 0..<16 { values.append(Float(Int(qs[j] >> 4) - 8) * d) }
    }
}
