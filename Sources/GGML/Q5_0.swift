/// Q5_0: 32 five-bit codes and one fp16 scale, 5.5 bits per weight.
///
/// ```c
/// typedef struct { ggml_half d; uint8_t qh[4]; uint8_t qs[QK5_0 / 2]; } block_q5_0;  // 22 B
/// ```
/// Bytes 0–1: fp16 `d`; bytes 2–5: `qh`, read as a little-endian `UInt32` whose bit `i` is
/// the fifth bit (bit 4) of `q[i]`; bytes 6–21: the low four bits, nibbles as Q4_0
/// (element `j` low, element `j + 16` high).
///
/// Quantize (`quantize_row_q5_0_ref`): as Q4_0 with 16 for 8 — `d = m / −16` with `m` the
/// signed value of largest magnitude, `q = min(31, (int8_t)(x · id + 16.5))`.
/// Dequantize (`dequantize_row_q5_0`): `x = (q − 16) · d`.
public enum Q5_0: BlockFormat {
    public static let name = "Q5_0"
    /// 2 (fp16 d) + 4 (32 high bits) + 16 (two low nibbles per byte).
    public static let bytesPerBlock = 22

    public static func appendBlock(_ block: ArraySlice<Float>, to bytes: inout [UInt8]) {
        let d = signedAbsmax(block) / -16
        let id: Float = d != 0 ? 1 / d : 0
        HalfField.append(d, to: &bytes)
        let x = Array(block)
        let q = x.map { v in
            UInt8(bitPattern: min(31, Int8(bitPattern: cTruncatedByte(v * id + 16.5))))
        }
        appendFiveBitCodes(q, to: &bytes)
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let d = HalfField.read(block, at: 0)
        for q in fiveBitCodes(block.dropFirst(2)) { values.append(Float(Int(q) - 16) * d) }
    }
}

/// Appends 32 five-bit codes as `qh` (4 bytes, bit `i` = bit 4 of `q[i]`, little-endian)
/// followed by `qs` (16 bytes: low nibble `q[j] & 15`, high nibble `q[j + 16] & 15`).
func appendFiveBitCodes(_ q: [UInt8], to bytes: inout [UInt8]) {
    var qh: UInt32 = 0
    for i in 0..<32 { qh |= UInt32((q[i] & 0x10) >> 4) << i }
    for shift in [0, 8, 16, 24] { bytes.append(UInt8(truncatingIfNeeded: qh >> shift)) }
    for j in 0..<16 { bytes.append((q[j] & 0x0F) | (q[j + 16] & 0x0F) << 4) }
}

/// The 32 five-bit codes (0…31) of `qh` + `qs` (20 bytes, as ``appendFiveBitCodes(_:to:)``).
func fiveBitCodes(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    let b = Array(bytes)
    let qh = UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    return (0..<32).map { i in
        let low = i < 16 ? b[4 + i] & 0x0F : b[4 + i - 16] >> 4
        let high = UInt8(truncatingIfNeeded: (qh >> i) & 1) << 4
        return low | high
    }
}
