/// Two 4-bit codes per byte, in bitsandbytes' order.
///
/// ```
/// codes:  [n] UInt8, each 0 … 15, flat (row-major) order
/// packed: [⌈n / 2⌉] bytes, byte i = codes[2i] << 4 | codes[2i+1]
///         the FIRST (earlier) element in the HIGH nibble, bits 7…4
///         n odd: the last byte's low nibble is padding (the code of 0.0)
/// ```
///
/// bitsandbytes' PyTorch kernel writes `(q[::2] << 4) | q[1::2]` after padding an odd count
/// with one scaled 0.0; its CUDA kernel packs the same way. (GGML's Q4_0 does it differently:
/// element j and j + 16 of a 32-block share a byte, low nibble first.)
public enum NibblePacking {
    /// Pack 4-bit codes two to a byte, first element in the high nibble; an odd count gets
    /// `padding` in the last low nibble.
    ///
    /// ```
    /// codes:  [n] UInt8, each 0 … 15        returns [⌈n / 2⌉] bytes
    /// ```
    public static func pack(_ codes: [UInt8], padding: UInt8) -> [UInt8] {
        precondition(padding < 16 && codes.allSatisfy { $0 < 16 }, "4-bit codes are 0…15")
        // BEGIN EXERCISE 4d — nibble packing
        var packed = [UInt8](repeating: 0, count: (codes.count + 1) / 2)
        for i in packed.indices {
            let high = codes[2 * i]
            let low = 2 * i + 1 < codes.count ? codes[2 * i + 1] : padding
            packed[i] = high << 4 | low
        }
        return packed
        // END EXERCISE 4d
    }

    /// The first `count` codes of `packed` (the padding nibble, if any, is dropped).
    ///
    /// ```
    /// packed: [≥ ⌈count / 2⌉] bytes         returns [count] UInt8, each 0 … 15
    /// ```
    public static func unpack(_ packed: [UInt8], count: Int) -> [UInt8] {
        precondition(
            count >= 0 && (count + 1) / 2 <= packed.count,
            "\(packed.count) bytes hold fewer than \(count) codes")
        // BEGIN EXERCISE 4d — nibble packing
        return (0..<count).map { i in
            let byte = packed[i / 2]
            return i % 2 == 0 ? byte >> 4 : byte & 0x0F
        }
        // END EXERCISE 4d
    }
}
