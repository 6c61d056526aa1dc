/// Q4_K's and Q5_K's 12 bytes of sub-block scales: eight 6-bit scales `sc[0…7]` and eight
/// 6-bit mins `m[0…7]` — 96 bits, no byte wasted (`get_scale_min_k4` in
/// llama.cpp's `ggml-quants.c` reads them; `quantize_row_q4_K_ref` writes them).
///
/// ```
/// byte     bits 7-6        bits 5-0
/// 0…3      sc[4…7] >> 4    sc[0…3]
/// 4…7      m[4…7] >> 4     m[0…3]
/// 8…11     high nibble: m[4…7] & 0xF,  low nibble: sc[4…7] & 0xF
/// ```
///
/// The first four of each fit a byte's low six bits; the last four are split, their low
/// nibbles sharing bytes 8…11 and their top two bits parked in the spare bits 6–7 of the
/// first eight bytes.
public enum ScaleMinPacking {
    /// Packs eight scales and eight mins (each 0…63) into 12 bytes, as ggml does. Values
    /// above 63 are not checked: their extra bits land where ggml's C would put them.
    /// Missing values count as 0, extra ones are ignored.
    public static func pack(scales: [UInt8], mins: [UInt8]) -> [UInt8] {
        // BEGIN EXERCISE 11c — the 6-bit scale packing of Q4_K
        let sc = padded(scales, to: 8)
        let m = padded(mins, to: 8)
        var bytes = [UInt8](repeating: 0, count: 12)
        for j in 0..<8 {
            if j < 4 {
                bytes[j] = sc[j]
                bytes[j + 4] = m[j]
            } else {
                bytes[j + 4] = (sc[j] & 0xF) | (m[j] & 0xF) << 4
                bytes[j - 4] |= (sc[j] >> 4) << 6
                bytes[j] |= (m[j] >> 4) << 6
            }
        }
        return bytes
        // END EXERCISE 11c
    }

    /// The eight 6-bit scales and eight 6-bit mins in 12 packed bytes (`get_scale_min_k4`
    /// for j = 0…7). Missing bytes count as 0, extra ones are ignored.
    public static func unpack(_ packed: [UInt8]) -> (scales: [UInt8], mins: [UInt8]) {
        let bytes = padded(packed, to: 12)
        var sc = [UInt8](repeating: 0, count: 8)
        var m = [UInt8](repeating: 0, count: 8)
        for j in 0..<8 {
            if j < 4 {
                sc[j] = bytes[j] & 63
                m[j] = bytes[j + 4] & 63
            } else {
                sc[j] = (bytes[j + 4] & 0xF) | (bytes[j - 4] >> 6) << 4
                m[j] = (bytes[j + 4] >> 4) | (bytes[j] >> 6) << 4
            }
        }
        return (sc, m)
    }

    /// The first `count` values, zeros after the end: a short array never traps.
    private static func padded(_ values: [UInt8], to count: Int) -> [UInt8] {
        let missing = Swift.max(0, count - values.count)
        return Array(values.prefix(count)) + [UInt8](repeating: 0, count: missing)
    }
}
