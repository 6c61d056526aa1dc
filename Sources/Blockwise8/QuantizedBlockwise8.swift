import Core

/// A tensor quantized blockwise to 8-bit codes that index a 256-entry codebook.
///
/// ```
/// codes:  [count] UInt8, the input's row-major order; codes[i] indexes `code`
/// absmax: [⌈count / blockSize⌉] Float, one per block (the last block may be partial)
/// code:   [≤ 256] Float, sorted ascending (the dynamic map unless you chose another)
/// x̂[i] = code[codes[i]] · absmax[i / blockSize]          float32, one rounding
/// ```
///
/// Storage: 1 byte per value plus 4 bytes per block — 8 + 32 / blockSize bits per value.
public struct QuantizedBlockwise8: Equatable, Sendable {
    public let shape: [Int]
    public let blockSize: Int
    public let code: [Float]
    public let codes: [UInt8]
    public let absmax: [Float]

    /// Rebuild a quantized tensor from stored pieces (for example files written by the CLI);
    /// throws if they do not fit together.
    public init(shape: [Int], blockSize: Int, code: [Float], codes: [UInt8], absmax: [Float])
        throws(BlockwiseQuantizationError)
    {
        let count = shape.reduce(1, *)
        guard blockSize > 0, codes.count == count else {
            throw .inconsistentState(
                "\(codes.count) codes for shape \(shape), block size \(blockSize)")
        }
        guard absmax.count == (count + blockSize - 1) / blockSize else {
            throw .inconsistentState(
                "\(absmax.count) absmax values for \(count) values in blocks of \(blockSize)")
        }
        guard let largest = codes.max().map(Int.init), largest < code.count || count == 0 else {
            throw .inconsistentState("a code indexes past the \(code.count)-entry codebook")
        }
        self.shape = shape
        self.blockSize = blockSize
        self.code = code
        self.codes = codes
        self.absmax = absmax
    }

    /// Internal memberwise form for quantizers that built consistent pieces.
    init(checked shape: [Int], blockSize: Int, code: [Float], codes: [UInt8], absmax: [Float]) {
        self.shape = shape
        self.blockSize = blockSize
        self.code = code
        self.codes = codes
        self.absmax = absmax
    }

    public var count: Int { codes.count }

    /// x̂[i] = code[codes[i]] · absmax[i / blockSize], in the input's flat order.
    public func dequantize() -> [Float] {
        var out = [Float](repeating: 0, count: codes.count)
        for (i, q) in codes.enumerated() {
            out[i] = code[Int(q)] * absmax[i / blockSize]
        }
        return out
    }

    /// The dequantized values in the input's shape.
    public func dequantizedTensor() -> Tensor { Tensor(shape: shape, data: dequantize()) }

    /// Bytes of codes plus float32 constants (the 1 KiB codebook is shared, not counted).
    public var storageBytes: Int { codes.count + 4 * absmax.count }
}
