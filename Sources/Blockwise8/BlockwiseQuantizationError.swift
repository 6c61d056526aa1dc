/// Why a tensor could not be quantized blockwise (8-bit here, 4-bit in `NF4`) — each case
/// reads as one line for the CLI.
public enum BlockwiseQuantizationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The block size is not one bitsandbytes accepts for this quantizer.
    case invalidBlockSize(Int, allowed: [Int])
    /// NaN or ±∞ at this flat index, under `NonFinitePolicy.reject`.
    case nonFiniteValue(index: Int, value: Float)
    /// A codebook that cannot be searched: too short, too long for its code width, not
    /// sorted ascending, or holding a non-finite value.
    case invalidCodebook(String)
    /// Finite input whose arithmetic leaves float32's range (say what overflowed).
    case overflow(String)
    /// Stored pieces that do not fit together (codes, constants and shape disagree).
    case inconsistentState(String)

    public var description: String {
        switch self {
        case .invalidBlockSize(let size, let allowed):
            "block size \(size) is not allowed; use one of "
                + allowed.map(String.init).joined(separator: ", ")
        case .nonFiniteValue(let index, let value):
            "value \(value) at flat index \(index) is not finite; "
                + "blockwise quantization needs finite values"
        case .invalidCodebook(let reason):
            "invalid codebook: \(reason)"
        case .overflow(let what):
            "float32 overflow: \(what)"
        case .inconsistentState(let reason):
            "inconsistent quantized state: \(reason)"
        }
    }
}

/// What to do with NaN and ±∞.
///
/// bitsandbytes does not check. Its PyTorch kernel lets a NaN become its block's absmax
/// (`torch.max` propagates NaN), so every value of that block scales to NaN, `bucketize`
/// sends NaN past the last midpoint (the **largest** code), and dequantization returns NaN for
/// the whole block. An ∞ makes the absmax ∞: every finite value of the block scales to 0 and
/// comes back as 0 · ∞ = NaN, the ∞ itself scales to ∞ · 0 = NaN and comes back as ∞ — one
/// bad value silently destroys up to `blockSize` good ones.
public enum NonFinitePolicy: Sendable, Equatable {
    /// Throw `BlockwiseQuantizationError.nonFiniteValue` at the first NaN or ±∞ (the default:
    /// a weight that is NaN is a bug upstream, and hiding it costs a whole block).
    case reject
    /// Do exactly what bitsandbytes' PyTorch kernel does (described above), never trapping.
    case propagate
}
