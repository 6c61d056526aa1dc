/// Why a tensor could not be quantized — each case reads as one line for the CLI.
public enum QuantizationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// NaN or ±∞ at this flat index: absmax would become NaN or ∞ and poison the group.
    case nonFiniteValue(index: Int, value: Float)
    /// Per-row and per-column scales need a 2-D tensor.
    case needsMatrix(granularity: Granularity, shape: [Int])
    /// A block must hold at least one value.
    case invalidBlockSize(Int)

    public var description: String {
        switch self {
        case .nonFiniteValue(let index, let value):
            "value \(value) at flat index \(index) is not finite; int8 quantization needs finite values"
        case .needsMatrix(let granularity, let shape):
            "\(granularity) quantization needs a 2-D tensor, got shape \(shape)"
        case .invalidBlockSize(let size):
            "block size must be at least 1, got \(size)"
        }
    }

    /// Throws `.nonFiniteValue` for the first NaN or infinity in `values`.
    static func checkFinite(_ values: [Float]) throws(QuantizationError) {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(index: i, value: values[i])
        }
    }
}
