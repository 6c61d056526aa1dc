import Core
import Blockwise8

/// **Double quantization**: quantize the quantization constants.
///
/// Source: QLoRA (Dettmers et al., 2023), §3 "Double Quantization"; bitsandbytes
/// `quantize_4bit(..., compress_statistics=True)`.
///
/// Blockwise 4-bit with blocks of 64 stores one float32 absmax per 64 weights: 32/64 = 0.5
/// extra bits per parameter, an eighth of the 4 bits themselves. QLoRA treats those absmax
/// values c₂ as a tensor of their own and quantizes them blockwise to 8 bits:
///
/// ```
/// offset = mean(c₂)                                   float32 (PyTorch's sum order: TorchSum)
/// c₂ − offset  →  8-bit blockwise, blocks of 256, the signed dynamic map
///     stored: codes  [blocks] UInt8
///             c₁     [⌈blocks / 256⌉] float32         the second-level absmax
///             offset one float32
/// ĉ₂[b] = code[codes[b]] · c₁[b / 256] + offset       float32, two roundings
/// ```
///
/// Why subtract the mean: every absmax is positive, and bunched around their mean. The
/// signed dynamic map spends half its codes on negative values; centred, the constants use
/// both halves, and the dynamic map's fine resolution near 0 lands where most of them are.
///
/// The cost falls from 32/64 = 0.5 to 8/64 + 32/(64 · 256) ≈ 0.127 bits per parameter
/// (`MemoryArithmetic`). The weights' error hardly changes: a constant is now off by at most
/// about half a dynamic-map step of its block of 256, a relative error far below the 4-bit
/// codes' own.
///
/// An empty tensor has no constants; we store offset 0 where PyTorch's mean of nothing
/// would be NaN.
public struct DoubleQuantizedAbsmax: Equatable, Sendable {
    /// bitsandbytes' nested block size.
    public static let blockSize = 256

    /// mean of the float32 absmax values.
    public let offset: Float
    /// The centred absmax values quantized: codes [blocks] UInt8, absmax [⌈blocks/256⌉] Float,
    /// code = `DynamicMap.signed`.
    public let quantized: QuantizedBlockwise8

    /// Rebuild from stored pieces.
    public init(offset: Float, quantized: QuantizedBlockwise8) {
        self.offset = offset
        self.quantized = quantized
    }

    /// Compress per-block absmax values: subtract their mean, quantize blockwise to 8 bits
    /// with the signed dynamic map in blocks of 256.
    ///
    /// Bit-exact with bitsandbytes needs PyTorch's float32 arithmetic, in this order:
    /// ```
    /// offset    = TorchSum.mean(absmax)           PyTorch's summation order (0 for no values)
    /// centred   = absmax[b] − offset              float32
    /// quantized = BlockwiseQuantizer8.quantize(centred, blockSize: 256, code: DynamicMap.signed,
    ///                                          nonFinite: nonFinite)
    /// ```
    /// A left-to-right sum or a Double sum gives an offset one ulp away for some inputs.
    public static func compress(
        _ absmax: [Float], nonFinite: NonFinitePolicy = .reject
    ) throws(BlockwiseQuantizationError) -> DoubleQuantizedAbsmax {
        // BEGIN EXERCISE 4e — double quantization
        let offset = absmax.isEmpty ? 0 : TorchSum.mean(absmax)
        let centred = absmax.map { $0 - offset }
        let quantized = try BlockwiseQuantizer8.quantize(
            centred, blockSize: blockSize, code: DynamicMap.signed, nonFinite: nonFinite)
        return DoubleQuantizedAbsmax(offset: offset, quantized: quantized)
        // END EXERCISE 4e
    }

    /// The absmax values back: ĉ₂[b] = (code[codes[b]] · c₁[b / 256]) + offset, in float32 —
    /// `quantized.dequantize()` computes the product.
    public func decompress() -> [Float] {
        // BEGIN EXERCISE 4e — double quantization
        return quantized.dequantize().map { $0 + offset }
        // END EXERCISE 4e
    }

    /// Bytes: one code per block, one float32 per 256 blocks, and the offset.
    public var storageBytes: Int { quantized.storageBytes + 4 }
}

/// The per-block constants of a 4-bit tensor: plain float32, or double-quantized.
public enum BlockConstants: Equatable, Sendable {
    /// absmax: [blockCount] Float.
    case float([Float])
    /// The absmax values quantized again (`compress_statistics=True`).
    case doubleQuantized(DoubleQuantizedAbsmax)

    /// The float32 absmax that dequantization multiplies by.
    public var absmax: [Float] {
        switch self {
        case .float(let values): values
        case .doubleQuantized(let dq): dq.decompress()
        }
    }

    /// Number of blocks described.
    public var blockCount: Int {
        switch self {
        case .float(let values): values.count
        case .doubleQuantized(let dq): dq.quantized.count
        }
    }

    public var storageBytes: Int {
        switch self {
        case .float(let values): 4 * values.count
        case .doubleQuantized(let dq): dq.storageBytes
        }
    }
}
