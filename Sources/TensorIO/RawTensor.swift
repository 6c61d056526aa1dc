/// A tensor as stored in a file: element type, shape (C order), raw little-endian bytes.
///
/// ```
/// bytes: [count × elementType.byteWidth] — element i (in C / row-major order over `shape`)
///        occupies bytes[i*width ..< (i+1)*width], least significant byte first
/// ```
///
/// `RawTensor` does no arithmetic: it is the hand-over point between a file and the numeric
/// code. The typed accessors (`floats()`, `uint8s()`, …) decode the bytes; the typed
/// initialisers encode values. Properties (tested): decoding what an initialiser encoded
/// gives back the same values, bit for bit; a `RawTensor` always holds exactly
/// `count × byteWidth` bytes.
public struct RawTensor: Equatable, Sendable {
    public let elementType: ElementType
    /// Dimensions, outermost first. `[]` is a 0-d tensor (one element); a 0 anywhere makes it empty.
    public let shape: [Int]
    /// `count × elementType.byteWidth` little-endian bytes.
    public let bytes: [UInt8]

    /// Number of elements: the product of `shape` (1 for `[]`). Never overflows: `init` checked it.
    public var count: Int { shape.reduce(1, *) }

    /// Checks that the shape is valid (no negative dimension, product and byte count fit in
    /// an `Int`) and that `bytes` holds exactly `count × byteWidth` bytes.
    public init(elementType: ElementType, shape: [Int], bytes: [UInt8]) throws {
        let byteCount = try RawTensor.byteCount(of: shape, elementType: elementType)
        guard bytes.count == byteCount else {
            throw TensorFileError.byteCountMismatch(expected: byteCount, actual: bytes.count)
        }
        self.elementType = elementType
        self.shape = shape
        self.bytes = bytes
    }

    /// The product of `shape`, checked: negative dimensions and overflow throw.
    /// The readers call this on untrusted shapes before allocating anything.
    public static func elementCount(of shape: [Int]) throws -> Int {
        var product = 1
        for dimension in shape {
            guard dimension >= 0 else {
                throw TensorFileError.invalidShape(reason: "negative dimension \(dimension) in \(shape)")
            }
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw TensorFileError.shapeOverflow(shape: shape) }
            product = next
        }
        return product
    }

    /// `elementCount(of:) × byteWidth`, checked for overflow.
    public static func byteCount(of shape: [Int], elementType: ElementType) throws -> Int {
        let count = try elementCount(of: shape)
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: elementType.byteWidth)
        guard !overflow else { throw TensorFileError.shapeOverflow(shape: shape) }
        return byteCount
    }

    // MARK: Encoding values

    /// Lays out integers little-endian. The shape must match `values.count` (a programming
    /// error, not a file problem, hence `precondition`).
    private init<T: FixedWidthInteger>(_ elementType: ElementType, _ values: [T], shape: [Int]) {
        let count = try? RawTensor.elementCount(of: shape)
        precondition(count == values.count, "shape \(shape) does not hold \(values.count) values")
        precondition(MemoryLayout<T>.size == elementType.byteWidth)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * MemoryLayout<T>.size)
        for value in values {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        self.elementType = elementType
        self.shape = shape
        self.bytes = bytes
    }

    public init(float32 values: [Float], shape: [Int]) {
        self.init(.float32, values.map(\.bitPattern), shape: shape)
    }
    public init(float64 values: [Double], shape: [Int]) {
        self.init(.float64, values.map(\.bitPattern), shape: shape)
    }
    /// IEEE binary16 bit patterns (sign, 5 exponent bits, 10 mantissa bits).
    public init(float16Bits values: [UInt16], shape: [Int]) { self.init(.float16, values, shape: shape) }
    /// bfloat16 bit patterns: the top 16 bits of a float32.
    public init(bfloat16Bits values: [UInt16], shape: [Int]) { self.init(.bfloat16, values, shape: shape) }
    public init(int8 values: [Int8], shape: [Int]) { self.init(.int8, values, shape: shape) }
    public init(uint8 values: [UInt8], shape: [Int]) { self.init(.uint8, values, shape: shape) }
    public init(int16 values: [Int16], shape: [Int]) { self.init(.int16, values, shape: shape) }
    public init(uint16 values: [UInt16], shape: [Int]) { self.init(.uint16, values, shape: shape) }
    public init(int32 values: [Int32], shape: [Int]) { self.init(.int32, values, shape: shape) }
    public init(uint32 values: [UInt32], shape: [Int]) { self.init(.uint32, values, shape: shape) }
    public init(int64 values: [Int64], shape: [Int]) { self.init(.int64, values, shape: shape) }
    public init(uint64 values: [UInt64], shape: [Int]) { self.init(.uint64, values, shape: shape) }
    /// Booleans as one byte each, 0 or 1.
    public init(bool values: [Bool], shape: [Int]) {
        self.init(.bool, values.map { $0 ? UInt8(1) : 0 }, shape: shape)
    }

    // MARK: Decoding values

    /// Reads the bytes as little-endian `T`s, after checking the element type is `expected`.
    private func integers<T: FixedWidthInteger>(_ expected: ElementType, as _: T.Type) throws -> [T] {
        guard elementType == expected else {
            throw TensorFileError.elementTypeMismatch(requested: expected, actual: elementType)
        }
        let width = MemoryLayout<T>.size
        return bytes.withUnsafeBytes { raw in
            (0..<(raw.count / width)).map { index in
                T(littleEndian: raw.loadUnaligned(fromByteOffset: index * width, as: T.self))
            }
        }
    }

    /// Every floating-point type widened or rounded to `Float`:
    /// float16 exactly (via `Float16(bitPattern:)`), bfloat16 exactly (its bits are the top half
    /// of a float32), float32 as is, float64 rounded to the nearest `Float`.
    /// Integer and bool tensors throw `unsupportedElementType`: convert those explicitly.
    public func floats() throws -> [Float] {
        switch elementType {
        case .float32:
            return try integers(.float32, as: UInt32.self).map(Float.init(bitPattern:))
        case .float16:
            return try integers(.float16, as: UInt16.self).map { Float(Float16(bitPattern: $0)) }
        case .bfloat16:
            return try integers(.bfloat16, as: UInt16.self).map { Float(bitPattern: UInt32($0) << 16) }
        case .float64:
            return try float64s().map { Float($0) }
        default:
            throw TensorFileError.unsupportedElementType(elementType, operation: "floats()")
        }
    }

    public func float64s() throws -> [Double] {
        try integers(.float64, as: UInt64.self).map(Double.init(bitPattern:))
    }
    /// The raw bit patterns of a float16 tensor.
    public func float16Bits() throws -> [UInt16] { try integers(.float16, as: UInt16.self) }
    /// The raw bit patterns of a bfloat16 tensor.
    public func bfloat16Bits() throws -> [UInt16] { try integers(.bfloat16, as: UInt16.self) }
    public func int8s() throws -> [Int8] { try integers(.int8, as: Int8.self) }
    public func uint8s() throws -> [UInt8] { try integers(.uint8, as: UInt8.self) }
    public func int16s() throws -> [Int16] { try integers(.int16, as: Int16.self) }
    public func uint16s() throws -> [UInt16] { try integers(.uint16, as: UInt16.self) }
    public func int32s() throws -> [Int32] { try integers(.int32, as: Int32.self) }
    public func uint32s() throws -> [UInt32] { try integers(.uint32, as: UInt32.self) }
    public func int64s() throws -> [Int64] { try integers(.int64, as: Int64.self) }
    public func uint64s() throws -> [UInt64] { try integers(.uint64, as: UInt64.self) }
    /// Any nonzero byte reads as `true`, as in NumPy.
    public func bools() throws -> [Bool] { try integers(.bool, as: UInt8.self).map { $0 != 0 } }
}
