/// Q5_1: 32 five-bit codes, an fp16 scale and an fp16 minimum, 6 bits per weight.
///
/// ```c
/// typedef struct {
///     union { struct { ggml_half d; ggml_half m; }; ggml_half2 dm; };
///     uint8_t qh[4];
///     uint8_t qs[QK5_1 / 2];
/// } block_q5_1;  // 24 bytes
/// ```
/// Bytes 0–1: fp16 `d`; bytes 2–3: fp16 `m` (the minimum); bytes 4–7: `qh` (bit `i` = bit 4
/// of `q[i]`, little-endian); bytes 8–23: low nibbles as Q5_0.
///
/// Quantize (`quantize_row_q5_1_ref`): `d = (max − min) / 31`, `id = d ≠ 0 ? 1/d : 0`,
/// `q = (uint8_t)((x − min) · id + 0.5)` — unlike Q4_1, no `min(31, …)`: C relies on
/// `(x − min) · id` never passing 31.5.
/// Dequantize (`dequantize_row_q5_1`): `x = q · d + m`.
public enum Q5_1: BlockFormat {
    public static let name = "Q5_1"
    /// 2 (fp16 d) + 2 (fp16 m) + 4 (32 high bits) + 16 (two low nibbles per byte).
    public static let bytesPerBlock = 24

    public static func appendBlock(_ block: ArraySlice<Float>, to bytes: inout [UInt8]) {
        let (lo, hi) = minimumAndMaximum(block)
        let d = (hi - lo) / 31
        let id: Float = d != 0 ? 1 / d : 0
        HalfField.append(d, to: &bytes)
        HalfField.append(lo, to: &bytes)
        let q = block.map { cTruncatedByte(($0 - lo) * id + 0.5) }
        appendFiveBitCodes(q, to: &bytes)
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let d = HalfField.read(block, at: 0)
        let m = HalfField.read(block, at: 2)
        for q in fiveBitCodes(block.dropFirst(4)) { values.append(Float(q) * d + m) }
    }
}
