/// Everything that can be wrong with a GGUF file or with a request to build one, one case per
/// problem. Each `description` is one line in the file's own terms ("tensor 'w' claims 1024
/// data bytes at offset 64, the data section has 96"); the errors carry no path.
public enum GGUFError: Error, Equatable, CustomStringConvertible, Sendable {
    // Reading and writing the file.
    case fileError(String)

    // The fixed header.
    case badMagic([UInt8])
    case unsupportedVersion(UInt32)
    /// `what` needs `needed` bytes at `offset`; the file ends `available` bytes later.
    case truncated(what: String, offset: Int, needed: Int, available: Int)
    /// A count (`n_tensors`, `n_kv`, an array length) whose smallest possible encoding is
    /// longer than the bytes left: refused before anything is allocated.
    case countTooLarge(what: String, count: UInt64, remaining: Int)

    // Metadata.
    case unknownValueType(key: String, rawValue: UInt32)
    case invalidUTF8(what: String)
    case invalidBool(key: String, byte: UInt8)
    case arrayNestingTooDeep(key: String, limit: Int)
    case arrayElementTypeMismatch(key: String, expected: GGUFValueType, found: GGUFValueType)
    case duplicateKey(String)
    case badAlignment(String)

    // Tensor infos and data.
    case unknownTensorType(tensor: String, rawValue: UInt32)
    case nameTooLong(tensor: String, bytes: Int, limit: Int)
    case tooManyDimensions(tensor: String, count: UInt32, limit: Int)
    case shapeTooLarge(tensor: String, dimensions: [UInt64])
    case rowNotWholeBlocks(tensor: String, type: GGMLType, rowLength: Int)
    case duplicateTensorName(String)
    /// A tensor whose offset is not where the previous one's padded data ends (overlap, gap,
    /// misalignment, or out of order).
    case badOffset(tensor: String, offset: UInt64, expected: Int)
    case dataPastEnd(tensor: String, end: Int, available: Int)
    case dataSizeMismatch(tensor: String, expected: Int, actual: Int)

    // Using a tensor.
    case tensorNotFound(String)
    case cannotDequantize(GGMLType)
    case noQuantizer(GGMLType)
    case invalidShape(tensor: String, shape: [Int])

    public var description: String {
        switch self {
        case .fileError(let message):
            return message
        case .badMagic(let bytes):
            let shown = bytes.map { (32...126).contains($0) ? String(UnicodeScalar($0)) : "?" }
            return "not a GGUF file: magic '\(shown.joined())', expected 'GGUF'"
        case .unsupportedVersion(let version):
            if version & 0xFFFF == 0 {
                return "GGUF version \(version) looks byte-swapped: "
                    + "big-endian files are not supported"
            }
            return "unsupported GGUF version \(version) (supported: 2, 3)"
        case .truncated(let what, let offset, let needed, let available):
            return "truncated: \(what) needs \(needed) bytes at offset \(offset), "
                + "\(available) remain"
        case .countTooLarge(let what, let count, let remaining):
            return "\(what) is \(count), more than the \(remaining) bytes left could hold"
        case .unknownValueType(let key, let raw):
            return "key '\(key)': unknown value type \(raw) (known: 0…12)"
        case .invalidUTF8(let what):
            return "\(what) is not valid UTF-8"
        case .invalidBool(let key, let byte):
            return "key '\(key)': bool byte is \(byte), expected 0 or 1"
        case .arrayNestingTooDeep(let key, let limit):
            return "key '\(key)': arrays nested deeper than \(limit)"
        case .arrayElementTypeMismatch(let key, let expected, let found):
            return "key '\(key)': array of \(expected.name) holds a \(found.name)"
        case .duplicateKey(let key):
            return "metadata key '\(key)' appears twice"
        case .badAlignment(let reason):
            return "general.alignment: \(reason)"
        case .unknownTensorType(let tensor, let raw):
            return "tensor '\(tensor)': unknown ggml type \(raw)"
        case .nameTooLong(let tensor, let bytes, let limit):
            return "tensor '\(tensor)': name is \(bytes) bytes, llama.cpp's limit is \(limit - 1)"
        case .tooManyDimensions(let tensor, let count, let limit):
            return "tensor '\(tensor)': \(count) dimensions, at most \(limit)"
        case .shapeTooLarge(let tensor, let dimensions):
            return "tensor '\(tensor)': dimensions \(dimensions) overflow a 64-bit size"
        case .rowNotWholeBlocks(let tensor, let type, let rowLength):
            return "tensor '\(tensor)': rows of \(rowLength) values are not whole "
                + "\(type.name) blocks of \(type.blockSize)"
        case .duplicateTensorName(let name):
            return "tensor name '\(name)' appears twice"
        case .badOffset(let tensor, let offset, let expected):
            return "tensor '\(tensor)': data offset \(offset), expected \(expected) "
                + "(tensors must follow each other, each padded to the alignment)"
        case .dataPastEnd(let tensor, let end, let available):
            return "tensor '\(tensor)': data ends at byte \(end) of the data section, "
                + "which has \(available)"
        case .dataSizeMismatch(let tensor, let expected, let actual):
            return "tensor '\(tensor)': shape and type need \(expected) bytes, got \(actual)"
        case .tensorNotFound(let name):
            return "no tensor named '\(name)'"
        case .cannotDequantize(let type):
            return "cannot dequantize \(type.name): no implementation in GGML yet"
        case .noQuantizer(let type):
            return "cannot quantize to \(type.name): no implementation in GGML yet"
        case .invalidShape(let tensor, let shape):
            return "tensor '\(tensor)': invalid shape \(shape)"
        }
    }
}
