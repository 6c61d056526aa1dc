/// How GPTQ checkpoints put small integer codes into 32-bit words.
///
/// AutoGPTQ and GPTQModel (the packers behind the GPTQ checkpoints on the Hugging Face Hub)
/// write every run of b-bit codes as one little-endian bit stream cut into 32-bit words:
/// code k occupies bits k·b … k·b + b − 1 of the stream, and bit i of the stream is bit
/// i mod 32 of word i / 32 (least significant bit first).
///
/// ```
/// 4 bits: eight codes per word            word 0 = c7 c6 c5 c4 c3 c2 c1 c0   (c0 in bits 3…0)
/// 2 bits: sixteen per word, 8 bits: four per word, no code crosses a word boundary
/// 3 bits: 32 codes fill three words, and two codes straddle a boundary:
///         word 0 = c10(low 2 bits) c9 … c0           bits 31-30 | 29 … 0
///         word 1 = c21(low bit) c20 … c11 c10(top)   bit 31 | 30 … 1 | 0
///         word 2 = c31 … c22 c21(top 2 bits)         bits 31 … 2 | 1-0
/// ```
///
/// AutoGPTQ spells the 3-bit case out as a "10 | 1 | 10 | 1 | 10" loop
/// (auto_gptq/nn_modules/qlinear/qlinear_cuda.py, `pack`); it is the same bit stream. A stream
/// of n codes needs n·b / 32 words; the packers require n·b to be a multiple of 32 (for 3 bits:
/// n a multiple of 32), and so do we.
public enum CheckpointPacking {
    /// The code widths GPTQ checkpoints use (AutoGPTQ 0.7.1 and GPTQModel's non-planar layout).
    public static let supportedBits: Set<Int> = [2, 3, 4, 8]

    /// Packs `codes` (each < 2^bits) into a little-endian bit stream of 32-bit words.
    ///
    /// ```
    /// codes: [n], n·bits a multiple of 32          returns [n·bits / 32] words
    /// ```
    public static func pack(_ codes: [UInt32], bits: Int) -> [UInt32] {
        precondition(supportedBits.contains(bits), "GPTQ checkpoints use 2, 3, 4 or 8 bits")
        precondition(
            codes.count * bits % 32 == 0, "\(codes.count) × \(bits) bits do not fill words")
        let mask = UInt32(1) << bits - 1
        var words = [UInt32](repeating: 0, count: codes.count * bits / 32)
        for (k, code) in codes.enumerated() {
            precondition(code <= mask, "code \(code) does not fit in \(bits) bits")
            let word = k * bits / 32
            let shift = k * bits % 32
            words[word] |= code << shift  // bits shifted past bit 31 fall off …
            if shift + bits > 32 {  // … and go to the low bits of the next word (3-bit only)
                words[word + 1] |= code >> (32 - shift)
            }
        }
        return words
    }

    /// The first `count` codes of the bit stream `words`.
    ///
    /// ```
    /// words: [≥ count·bits / 32]                    returns [count] codes, each < 2^bits
    /// ```
    public static func unpack(_ words: [UInt32], bits: Int, count: Int) -> [UInt32] {
        precondition(supportedBits.contains(bits), "GPTQ checkpoints use 2, 3, 4 or 8 bits")
        precondition(
            count >= 0 && count * bits <= words.count * 32, "too few words for \(count) codes")
        let mask = UInt32(1) << bits - 1
        return (0..<count).map { k in
            let word = k * bits / 32
            let shift = k * bits % 32
            var value = words[word] >> shift
            if shift + bits > 32 {
                value |= words[word + 1] << (32 - shift)
            }
            return value & mask
        }
    }
}
