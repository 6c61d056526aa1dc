/// How a GPTQ checkpoint stores its zero points: the zero itself, or the zero minus one.
///
/// AutoGPTQ (the packer of most GPTQ checkpoints on the Hub) does `zeros -= 1` before packing
/// qzeros and adds 1 back after unpacking (auto-gptq 0.7.1, qlinear_cuda.py `pack` and
/// `forward`): the historic "v1" layout, which quantize_config.json names
/// `"checkpoint_format": "gptq"` (or leaves out). GPTQModel keeps the zero itself in memory
/// ("v2", `"gptq_v2"`) and converts when it loads or saves a "gptq" file.
///
/// ```
/// zero:            0    1    2   …  15        (4-bit, asymmetric)
/// v1 field holds: 15    0    1   …  14        (zero − 1) mod 2^b; reading adds 1 mod 2^b
/// v2 field holds:  0    1    2   …  15
/// ```
///
/// Zero 0 is the edge the v1 layout cannot hold as a plain zero − 1. It happens only when every
/// weight of an asymmetric group is ≥ 0 (min-max widens the range to include 0, so xmin = 0 and
/// zero = round(−xmin / scale) = 0). We wrap per field, as GPTQModel 7.7's safetensors
/// dequantizer reads it. The tools disagree there: AutoGPTQ 0.7.1 casts −1 to the uint32
/// 0xFFFFFFFF and ORs it in unmasked, overwriting the higher fields of its word, and its forward
/// reads a field of 15 as zero 16; GPTQModel's v1↔v2 conversion for 2/4/8 bits adds or subtracts
/// 0x11111111 (4-bit) to the whole word, which borrows from the next field. Symmetric GPTQ
/// (zero = 2^(b−1)) never meets the edge.
public enum CheckpointFormat: String, CaseIterable, Sendable {
    /// `"gptq"`: each qzeros field holds (zero − 1) mod 2^bits.
    case v1 = "gptq"
    /// `"gptq_v2"`: each qzeros field holds the zero.
    case v2 = "gptq_v2"

    /// The qzeros field written for `zero`.
    public func storedField(zero: UInt8, bits: Int) -> UInt32 {
        let mask = UInt32(1) << bits - 1
        switch self {
        case .v1: return (UInt32(zero) &- 1) & mask
        case .v2: return UInt32(zero) & mask
        }
    }

    /// The zero point a qzeros field stands for.
    public func zero(storedField field: UInt32, bits: Int) -> UInt8 {
        let mask = UInt32(1) << bits - 1
        switch self {
        case .v1: return UInt8((field &+ 1) & mask)
        case .v2: return UInt8(field & mask)
        }
    }
}
