/// Q4_1: 32 four-bit codes, an fp16 scale and an fp16 minimum, 5 bits per weight.
///
/// ```c
/// typedef struct {
///     union { struct { ggml_half d; ggml_half m; }; ggml_half2 dm; };
///     uint8_t qs[QK4_1 / 2];
/// } block_q4_1;  // 20 bytes
/// ```
/// Bytes 0–1: fp16 `d`; bytes 2–3: fp16 `m` (the block's minimum); bytes 4–19: nibbles as
/// Q4_0 (element `j` low, element `j + 16` high).
///
/// Quantize (`quantize_row_q4_1_ref`): `d = (max − min) / 15`; `id = d ≠ 0 ? 1/d : 0` from
/// the float32 `d`; `q = min(15, (int8_t)((x − min) · id + 0.5))`.
/// Dequantize (`dequantize_row_q4_1`): `x = q · d + m` — a product, then a sum, no fused
/// multiply-add.
///
/// Asymmetric, like `Absmax`'s zero-point scheme: the grid spans exactly [min, max].
public enum Q4_1: BlockFormat {
    public static let name = "Q4_1"
    /// 2 (fp16 d) + 2 (fp16 m) + 16 (two codes per byte).
    public static let bytesPerBlock = 20

    public static func appendBlock(_ block: ArraySlice<Float>, to bytes: inout [UInt8]) {
        let (lo, hi) = minimumAndMaximum(block)
        let d = (hi - lo) / 15
        let id: Float = d != 0 ? 1 / d : 0
        HalfField.append(d, to: &bytes)
        HalfField.append(lo, to: &bytes)
        let x = Array(block)
        for j in 0..<16 {
            let low = min(15, Int8(bitPattern: cTruncatedByte((x[j] - lo) * id + 0.5)))
            let high = min(15, Int8(bitPattern: cTruncatedByte((x[j + 16] - lo) * id + 0.5)))
            bytes.append(UInt8(bitPattern: low) | UInt8(bitPattern: high) << 4)
        }
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let d = HalfField.read(block, at: 0)
        let m = HalfField.read(block, at: 2)
        let qs = Array(block.dropFirst(4))
        for j in 0..<16 { values.append(Float(qs[j] & 0x0F) * d + m) }
        for j in 0..<16 { values.append(Float(qs[j] >> 4) * d + m) }
    }
}
