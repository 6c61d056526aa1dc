/// Everything that can be wrong with a tensor file, one case per problem.
///
/// Each `description` is a single line naming the problem in the file's own terms
/// ("truncated: header says 4096 data bytes, file has 12"), so a command-line tool can print
/// `path: \(error)` and the reader knows what to fix. The errors carry no path: the caller
/// knows which file it opened.
public enum TensorFileError: Error, CustomStringConvertible, Equatable, Sendable {
    // Reading and writing files.
    case fileNotFound(path: String)
    case notARegularFile(path: String)
    case readFailed(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    // The container: magic, version, lengths.
    /// The first bytes are not the format's magic (`format` is ".npy" or ".safetensors").
    case badMagic(format: String)
    case unsupportedVersion(major: Int, minor: Int)
    /// The header (or the fixed preamble before it) needs `declared` bytes; only `available` remain.
    case truncatedHeader(declared: Int, available: Int)
    /// The header implies `declared` data bytes; only `available` remain.
    case truncatedData(declared: Int, available: Int)
    /// Bytes left over after the data the header describes.
    case trailingBytes(count: Int)
    /// A safetensors header length above the limit the reference library enforces.
    case headerTooLarge(length: UInt64, limit: Int)

    // The header's contents.
    /// The header is not the expected Python literal / JSON object; `reason` says where and why.
    case malformedHeader(reason: String)
    case unsupportedDtype(String)
    /// A negative dimension, or one too large to be an `Int`.
    case invalidShape(reason: String)
    /// The product of the shape (or the byte count) does not fit in an `Int`.
    case shapeOverflow(shape: [Int])
    /// A safetensors tensor entry that is not `{"dtype", "shape", "data_offsets"}`.
    case invalidTensorEntry(name: String, reason: String)
    /// data_offsets out of range, overlapping, leaving a gap, or the wrong length.
    case invalidOffsets(name: String, reason: String)
    case duplicateTensorName(String)

    // Using a tensor.
    /// The bytes do not match shape × width (building a `RawTensor`).
    case byteCountMismatch(expected: Int, actual: Int)
    /// The operation cannot handle this element type (e.g. `floats()` of an int32 tensor).
    case unsupportedElementType(ElementType, operation: String)
    /// An accessor for one type called on a tensor of another (`uint8s()` of a float32 tensor).
    case elementTypeMismatch(requested: ElementType, actual: ElementType)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "no such file: \(path)"
        case .notARegularFile(let path):
            return "not a regular file: \(path)"
        case .readFailed(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .badMagic(let format):
            return "not a \(format) file (bad magic)"
        case .unsupportedVersion(let major, let minor):
            return "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)"
        case .truncatedHeader(let declared, let available):
            return "truncated header: needs \(declared) bytes, file has \(available)"
        case .truncatedData(let declared, let available):
            return "truncated: header says \(declared) data bytes, file has \(available)"
        case .trailingBytes(let count):
            return "\(count) unexpected bytes after the tensor data"
        case .headerTooLarge(let length, let limit):
            return "header length \(length) bytes exceeds the \(limit)-byte limit"
        case .malformedHeader(let reason):
            return "malformed header: \(reason)"
        case .unsupportedDtype(let dtype):
            return "unsupported dtype \(dtype)"
        case .invalidShape(let reason):
            return "invalid shape: \(reason)"
        case .shapeOverflow(let shape):
            return "shape \(shape) is too large: its size overflows a 64-bit integer"
        case .invalidTensorEntry(let name, let reason):
            return "tensor '\(name)': \(reason)"
        case .invalidOffsets(let name, let reason):
            return "tensor '\(name)': bad data_offsets: \(reason)"
        case .duplicateTensorName(let name):
            return "tensor name '\(name)' appears twice"
        case .byteCountMismatch(let expected, let actual):
            return "shape and element type need \(expected) bytes, got \(actual)"
        case .unsupportedElementType(let type, let operation):
            return "\(operation) does not support element type \(type.rawValue)"
        case .elementTypeMismatch(let requested, let actual):
            return "asked for \(requested.rawValue) elements, tensor holds \(actual.rawValue)"
        }
    }
}
