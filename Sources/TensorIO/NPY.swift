/// NumPy's `.npy` format (NEP 1; `numpy.lib.format`), versions 1.0, 2.0 and 3.0.
///
/// ```
/// offset 0   6 bytes   magic "\x93NUMPY"
///        6   1 byte    major version (1, 2 or 3)
///        7   1 byte    minor version (0)
///        8   2 bytes   header length H, little-endian u16      (version 1.0)
///            4 bytes   header length H, little-endian u32      (versions 2.0 and 3.0)
///   10 or 12 H bytes   header: Python dict literal, latin-1 (1.0, 2.0) or UTF-8 (3.0),
///                      padded with spaces and ended by '\n' so the data starts on a 64-byte boundary
///      then  count × width bytes of data, C order, little-endian
/// ```
///
/// Supported dtypes: `<f2 <f4 <f8 |i1 |u1 <i2 <u2 <i4 <u4 <i8 <u8 |b1` (one-byte types with any
/// byte-order mark). Refused with a clear error: big-endian (`>f4`), Fortran order, structured,
/// complex, object and string dtypes. NumPy has no bfloat16, so `encode` cannot write one:
/// `write` throws for it; store the bits with `RawTensor(uint16:shape:)` or use safetensors.
public enum NPY {
    /// "\x93NUMPY"
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// Data starts on a multiple of this many bytes (NumPy's ARRAY_ALIGN).
    static let alignment = 64

    /// Reads and decodes a whole `.npy` file.
    public static func read(contentsOf path: String) throws -> RawTensor {
        try decode(readWholeFile(atPath: path))
    }

    /// Decodes the bytes of a `.npy` file. Every length is checked against `bytes.count`
    /// before it is used, so a hostile file can neither crash this nor make it allocate more
    /// than the file's own size.
    public static func decode(_ bytes: [UInt8]) throws -> RawTensor {
        guard bytes.starts(with: magic.prefix(bytes.count)), !bytes.isEmpty else {
            throw TensorFileError.badMagic(format: ".npy")
        }
        guard bytes.count >= 8 else { throw TensorFileError.truncatedHeader(declared: 10, available: bytes.count) }
        let (major, minor) = (Int(bytes[6]), Int(bytes[7]))
        let lengthFieldSize: Int
        switch (major, minor) {
        case (1, 0): lengthFieldSize = 2
        case (2, 0), (3, 0): lengthFieldSize = 4
        default: throw TensorFileError.unsupportedVersion(major: major, minor: minor)
        }
        let headerStart = 8 + lengthFieldSize
        guard bytes.count >= headerStart else {
            throw TensorFileError.truncatedHeader(declared: headerStart, available: bytes.count)
        }
        var headerLength = 0  // little-endian u16 or u32: byte i is worth 256^i
        for index in (8..<headerStart).reversed() {
            headerLength = headerLength << 8 | Int(bytes[index])
        }
        guard headerLength <= bytes.count - headerStart else {
            throw TensorFileError.truncatedHeader(declared: headerLength, available: bytes.count - headerStart)
        }
        let dataStart = headerStart + headerLength
        let header = try NPYHeader.parse(bytes[headerStart..<dataStart])

        let (elementType, bigEndian) = try elementType(forDescr: header.descr)
        guard header.shape.count <= maximumRank else {
            throw TensorFileError.invalidShape(
                reason: "\(header.shape.count) dimensions; NumPy's limit is \(maximumRank)")
        }
        let byteCount = try RawTensor.byteCount(of: header.shape, elementType: elementType)
        let available = bytes.count - dataStart
        guard byteCount <= available else {
            throw TensorFileError.truncatedData(declared: byteCount, available: available)
        }
        guard byteCount == available else { throw TensorFileError.trailingBytes(count: available - byteCount) }
        var data = Array(bytes[dataStart...])
        if bigEndian { swapByteOrder(&data, width: elementType.byteWidth) }
        if header.fortranOrder {
            data = cOrder(fromFortran: data, shape: header.shape, width: elementType.byteWidth)
        }
        return try RawTensor(elementType: elementType, shape: header.shape, bytes: data)
    }

    /// NumPy's limit on dimensions (`NPY_MAXDIMS`, 64 since NumPy 2.0): a file with more is
    /// one NumPy cannot load, so we neither read nor write one.
    public static let maximumRank = 64

    /// Big-endian files (`>f4`) are read as NumPy reads them: each element's bytes reversed.
    private static func swapByteOrder(_ data: inout [UInt8], width: Int) {
        guard width > 1 else { return }
        for start in stride(from: 0, to: data.count, by: width) {
            data[start..<(start + width)].reverse()
        }
    }

    /// `fortran_order: True` (what `np.save(W.T)` writes for a C-ordered W): the first index
    /// varies fastest. Reordered so the last index varies fastest, the same array NumPy returns.
    private static func cOrder(fromFortran data: [UInt8], shape: [Int], width: Int) -> [UInt8] {
        guard shape.count > 1, !data.isEmpty else { return data }
        var out = [UInt8](repeating: 0, count: data.count)
        var index = [Int](repeating: 0, count: shape.count)  // C-order position, last fastest
        var fortranStrides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { fortranStrides[axis] = fortranStrides[axis - 1] * shape[axis - 1] }
        for element in 0..<(data.count / width) {
            var source = 0
            for axis in 0..<shape.count { source += index[axis] * fortranStrides[axis] }
            for b in 0..<width { out[element * width + b] = data[source * width + b] }
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return out
    }

    /// Encodes `tensor` byte for byte as `numpy.save` would: version 1.0 (2.0 if the header
    /// needs more than 65535 bytes), header padded with spaces and ended by '\n' so the data
    /// starts on a 64-byte boundary.
    ///
    /// - Precondition: `tensor.elementType != .bfloat16` (NumPy has no bfloat16). `write`
    ///   is the throwing variant; `descriptor(for:)` tells whether a type can be encoded.
    public static func encode(_ tensor: RawTensor) -> [UInt8] {
        guard let descr = descriptor(for: tensor.elementType) else {
            preconditionFailure("NPY.encode: .npy has no dtype for \(tensor.elementType.rawValue)")
        }
        let header = NPYHeader(descr: descr, fortranOrder: false, shape: tensor.shape)
        let text = Array(header.pythonLiteral.utf8)
        // Version 1.0 stores the padded header length (including the final '\n') in 2 bytes.
        var version: UInt8 = 1
        var headerStart = 10
        var padded = paddedLength(text.count + 1, headerStart: headerStart)
        if padded > Int(UInt16.max) {
            version = 2
            headerStart = 12
            padded = paddedLength(text.count + 1, headerStart: headerStart)
        }
        var bytes = magic + [version, 0]
        for index in 0..<(headerStart - 8) {
            bytes.append(UInt8(truncatingIfNeeded: padded >> (8 * index)))
        }
        bytes += text
        bytes += [UInt8](repeating: 0x20, count: padded - text.count - 1)
        bytes.append(0x0A)
        bytes += tensor.bytes
        return bytes
    }

    /// Encodes and writes atomically. Throws `unsupportedElementType` for bfloat16.
    public static func write(_ tensor: RawTensor, to path: String) throws {
        guard descriptor(for: tensor.elementType) != nil else {
            throw TensorFileError.unsupportedElementType(
                tensor.elementType, operation: ".npy (NumPy has no bfloat16; store the bits as uint16)")
        }
        guard tensor.shape.count <= maximumRank else {
            throw TensorFileError.invalidShape(
                reason: "\(tensor.shape.count) dimensions; NumPy's limit is \(maximumRank)")
        }
        try writeAtomically(encode(tensor), to: path)
    }

    /// The smallest length ≥ `length` that makes `headerStart + length` a multiple of 64.
    private static func paddedLength(_ length: Int, headerStart: Int) -> Int {
        length + (alignment - (headerStart + length) % alignment) % alignment
    }

    // MARK: dtype descriptors

    /// The descr NumPy writes for each type (`dtype.str`); nil for bfloat16.
    public static func descriptor(for elementType: ElementType) -> String? {
        switch elementType {
        case .float16: return "<f2"
        case .bfloat16: return nil
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .int8: return "|i1"
        case .uint8: return "|u1"
        case .int16: return "<i2"
        case .uint16: return "<u2"
        case .int32: return "<i4"
        case .uint32: return "<u4"
        case .int64: return "<i8"
        case .uint64: return "<u8"
        case .bool: return "|b1"
        }
    }

    /// Maps a descr to an element type and whether its bytes are big-endian, accepting what
    /// `numpy.dtype` accepts for these types: an optional byte order (`<` little, `>` big,
    /// `=` native, `|` not applicable — native and `|` are little-endian on every machine
    /// LowBit builds for), then `f4`-style kind and size or a one-letter code (`e f d`,
    /// `b B h H i I l L q Q ?`). `V2` — two raw bytes — is how `np.save` writes ml_dtypes'
    /// bfloat16 (NumPy has no bfloat16 of its own), so it is read as bfloat16.
    static func elementType(forDescr descr: String) throws -> (ElementType, bigEndian: Bool) {
        let supported = "(supported: <f2 <f4 <f8 |i1 |u1 <i2 <u2 <i4 <u4 <i8 <u8 |b1, "
            + "the same with > = | or one-letter codes, and <V2 for ml_dtypes' bfloat16)"
        var body = Substring(descr)
        var order: Character = "="
        if let first = body.first, "<>|=".contains(first) {
            order = first
            body = body.dropFirst()
        }
        let codes: [String: ElementType] = [
            "e": .float16, "f": .float32, "d": .float64, "b": .int8, "B": .uint8, "h": .int16,
            "H": .uint16, "i": .int32, "I": .uint32, "l": .int64, "L": .uint64, "q": .int64,
            "Q": .uint64, "?": .bool, "V2": .bfloat16,
        ]
        let type =
            codes[String(body)]
            ?? ElementType.allCases.first(where: {
                descriptor(for: $0).map { String($0.dropFirst()) } == String(body)
            })
        guard let type else { throw TensorFileError.unsupportedDtype("'\(descr)' \(supported)") }
        return (type, order == ">" && type.byteWidth > 1)
    }
}
