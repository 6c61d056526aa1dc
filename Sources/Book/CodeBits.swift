/// Codes as a reader checks them against a paper's bit layout: a byte in hex, a k-bit code as
/// 0b… (Chapter 4's packed nibbles and FP4's sign-magnitude codes).
///
/// ```
/// Fmt.hexByte(0x4F)          "4F"
/// Fmt.bitString(5, bits: 4)  "0b0101"
/// ```
extension Fmt {
    /// Two upper-case hex digits.
    public static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// The low `bits` bits of `code`, most significant first, as "0b…".
    public static func bitString(_ code: UInt8, bits: Int) -> String {
        precondition((1...8).contains(bits), "bitString: bits must be 1 … 8, got \(bits)")
        return "0b" + (0..<bits).map { (code >> (bits - 1 - $0)) & 1 == 1 ? "1" : "0" }.joined()
    }
}
