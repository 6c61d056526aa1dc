import FloatFormats

/// One tensor of a GGUF file: its name, storage type, shape and raw bytes.
///
/// Two orders of dimensions meet here. `shape` is NumPy's and PyTorch's, outermost first: a
/// weight of 4 rows by 64 columns has shape `[4, 64]`. The file stores ggml's `ne`, innermost
/// first — `[64, 4]` — which is `dimensions`. Either way the bytes are the same row-major run:
/// ```
/// data: [rows = 4][64 / blockSize blocks][typeSize bytes]   (F32: 64 × 4 bytes per row)
/// ```
/// and a row (`ne[0]`, the last entry of `shape`) must be a whole number of blocks, as
/// llama.cpp's loader requires.
public struct GGUFTensor: Equatable, Sendable {
    public var name: String
    public var type: GGMLType
    /// Outermost first (NumPy order).
    public var shape: [Int]
    /// `shape`'s values stored as `type`: `count / blockSize` blocks of `typeSize` bytes.
    public var data: [UInt8]

    public init(name: String, type: GGMLType, shape: [Int], data: [UInt8]) {
        self.name = name
        self.type = type
        self.shape = shape
        self.data = data
    }

    /// ggml's `ne`: the shape innermost first, as the file stores it.
    public var dimensions: [Int] { shape.reversed() }

    /// Number of values (1 for a shape of no dimensions, as in NumPy and ggml).
    public var count: Int { shape.reduce(1, *) }

    /// Checks the shape against the type and returns the byte count the data must have:
    /// non-negative dimensions, a product that fits an `Int`, rows of whole blocks.
    public func expectedByteCount() throws -> Int {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw GGUFError.invalidShape(tensor: name, shape: shape)
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw GGUFError.shapeTooLarge(tensor: name, dimensions: shape.map { UInt64($0) })
            }
            count = product
        }
        let rowLength = shape.last ?? 1
        guard rowLength % type.blockSize == 0 else {
            throw GGUFError.rowNotWholeBlocks(tensor: name, type: type, rowLength: rowLength)
        }
        guard let bytes = type.byteCount(ofValues: count) else {
            throw GGUFError.shapeTooLarge(tensor: name, dimensions: shape.map { UInt64($0) })
        }
        return bytes
    }

    /// Stores float32 `values` of `shape` as `type`: F32 as is, F16 and BF16 rounded to
    /// nearest-even by `FloatFormats` (numpy's `astype(float16)`, gguf-py's BF16), block
    /// types by their `GGML` quantizer (`quantize_row_*_ref`).
    ///
    /// Throws if `values.count` is not the shape's size, if a row (the last dimension) is not
    /// a whole number of blocks, or if `GGML` has no quantizer for `type`.
    public static func quantizing(
        name: String, values: [Float], shape: [Int], type: GGMLType
    ) throws -> GGUFTensor {
        var tensor = GGUFTensor(name: name, type: type, shape: shape, data: [])
        _ = try tensor.expectedByteCount()
        guard tensor.count == values.count else {
            throw GGUFError.invalidShape(tensor: name, shape: shape)
        }
        switch type {
        case .F32:
            tensor.data = littleEndianBytes(values.map(\.bitPattern))
        case .F16:
            tensor.data = littleEndianBytes(
                values.map { FloatFormat.Fast.halfBits(fromFloatBits: $0.bitPattern) })
        case .BF16:
            tensor.data = littleEndianBytes(
                values.map { FloatFormat.Fast.bfloat16Bits(fromFloatBits: $0.bitPattern) })
        default:
            guard let format = type.format else { throw GGUFError.noQuantizer(type) }
            tensor.data = try format.quantize(values)
        }
        return tensor
    }

    /// The values as float32, in row-major order: F32 as stored, F16 and BF16 widened
    /// exactly, block types through their `GGML` dequantizer (`dequantize_row_*`).
    public func float32Values() throws -> [Float] {
        let expected = try expectedByteCount()
        guard data.count == expected else {
            throw GGUFError.dataSizeMismatch(tensor: name, expected: expected, actual: data.count)
        }
        switch type {
        case .F32:
            return littleEndianIntegers(data, as: UInt32.self).map(Float.init(bitPattern:))
        case .F16:
            return littleEndianIntegers(data, as: UInt16.self).map {
                Float(bitPattern: FloatFormat.Fast.floatBits(fromHalfBits: $0))
            }
        case .BF16:
            return littleEndianIntegers(data, as: UInt16.self).map {
                Float(bitPattern: FloatFormat.Fast.floatBits(fromBFloat16Bits: $0))
            }
        default:
            guard let format = type.format else { throw GGUFError.cannotDequantize(type) }
            return try format.dequantize(data)
        }
    }
}

/// Each integer as `T.bitWidth / 8` bytes, low byte first.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * T.bitWidth / 8)
    for value in values {
        for shift in stride(from: 0, to: T.bitWidth, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }
    return bytes
}

/// The inverse of `littleEndianBytes` (a trailing partial integer is ignored).
func littleEndianIntegers<T: FixedWidthInteger>(_ bytes: [UInt8], as type: T.Type) -> [T] {
    let width = T.bitWidth / 8
    var values: [T] = []
    values.reserveCapacity(bytes.count / width)
    for start in stride(from: 0, to: bytes.count - width + 1, by: width) {
        var value: T = 0
        for index in (start..<start + width).reversed() {
            value = value << 8 | T(bytes[index])
        }
        values.append(value)
    }
    return values
}
