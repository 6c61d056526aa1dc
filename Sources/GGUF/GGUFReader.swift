import TensorIO

/// Reading a GGUF file: every count, length, offset and tensor size is checked against the
/// bytes actually present before it is used, so a hostile file can neither crash the reader
/// nor make it allocate more than the file's own size. Any problem is a `GGUFError`.
///
/// Source of the rules: `gguf_init_from_file_impl` in llama.cpp's `ggml/src/gguf.cpp`.
extension GGUFFile {
    /// Reads and parses a whole file.
    public init(contentsOf path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(atPath: path)
        } catch let error as TensorFileError {
            throw GGUFError.fileError(error.description)
        }
        try self.init(bytes: bytes)
    }

    /// Parses the bytes of a GGUF file.
    public init(bytes: [UInt8]) throws {
        var cursor = ByteCursor(bytes)
        let magic = try cursor.readBytes(4, for: "magic")
        guard magic.elementsEqual(Self.magic) else { throw GGUFError.badMagic(Array(magic)) }
        let version = try cursor.readUInt32("version")
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(version) }
        let tensorCount = try cursor.readUInt64("n_tensors")
        let keyCount = try cursor.readUInt64("n_kv")
        // Smallest encodings: a tensor info is 8 (name length) + 4 (n_dims) + 4 (type)
        // + 8 (offset) = 24 bytes; a key-value pair 8 (key length) + 4 (type) + 1 = 13.
        try Self.checkCount(tensorCount, "n_tensors", minimumSize: 24, remaining: cursor.remaining)
        try Self.checkCount(keyCount, "n_kv", minimumSize: 13, remaining: cursor.remaining)

        var metadata: [(String, GGUFValue)] = []
        metadata.reserveCapacity(Int(keyCount))
        var keys = Set<String>()
        for index in 0..<Int(keyCount) {
            let key = try cursor.readString("key \(index)")
            guard keys.insert(key).inserted else { throw GGUFError.duplicateKey(key) }
            let rawType = try cursor.readUInt32("value type of '\(key)'")
            metadata.append((key, try Self.readValue(rawType, key: key, depth: 0, &cursor)))
        }
        self.init(metadata: metadata)
        self.version = version
        let alignment = try alignment()

        var infos: [(tensor: GGUFTensor, offset: UInt64, byteCount: Int)] = []
        infos.reserveCapacity(Int(tensorCount))
        var names = Set<String>()
        for index in 0..<Int(tensorCount) {
            let info = try Self.readTensorInfo(index: index, &cursor)
            guard names.insert(info.tensor.name).inserted else {
                throw GGUFError.duplicateTensorName(info.tensor.name)
            }
            infos.append(info)
        }

        // The data section starts at the next multiple of the alignment; tensors follow each
        // other in order, each padded, starting at offset 0 (gguf.cpp: "tensor has offset
        // …, expected …").
        let dataStart = padded(cursor.offset, to: alignment) ?? Int.max
        let available = bytes.count - min(dataStart, bytes.count)
        var expectedOffset = 0
        for info in infos {
            let name = info.tensor.name
            guard info.offset == UInt64(expectedOffset) else {
                throw GGUFError.badOffset(
                    tensor: name, offset: info.offset, expected: expectedOffset)
            }
            guard let paddedSize = padded(info.byteCount, to: alignment),
                case (let end, let overflow) = expectedOffset.addingReportingOverflow(paddedSize),
                !overflow, end <= available
            else {
                let end = expectedOffset.addingReportingOverflow(info.byteCount).partialValue
                throw GGUFError.dataPastEnd(tensor: name, end: end, available: available)
            }
            var tensor = info.tensor
            let start = dataStart + expectedOffset
            // (A tensor of zero bytes may "start" past the end of a file without a data section.)
            tensor.data = info.byteCount == 0 ? [] : Array(bytes[start..<start + info.byteCount])
            tensors.append(tensor)
            expectedOffset = end
        }
    }

    /// Refuses a count whose items, at `minimumSize` bytes each, cannot fit in what is left.
    static func checkCount(
        _ count: UInt64, _ what: String, minimumSize: Int, remaining: Int
    ) throws {
        guard count <= UInt64(remaining / minimumSize) else {
            throw GGUFError.countTooLarge(what: what, count: count, remaining: remaining)
        }
    }

    /// One value of type `rawType` (the tag already read), for key `key`.
    static func readValue(
        _ rawType: UInt32, key: String, depth: Int, _ cursor: inout ByteCursor
    ) throws -> GGUFValue {
        guard let type = GGUFValueType(rawValue: rawType) else {
            throw GGUFError.unknownValueType(key: key, rawValue: rawType)
        }
        let what = "value of '\(key)'"
        switch type {
        case .uint8: return .uint8(try cursor.readUInt8(what))
        case .int8: return .int8(Int8(bitPattern: try cursor.readUInt8(what)))
        case .uint16: return .uint16(try cursor.readUInt16(what))
        case .int16: return .int16(Int16(bitPattern: try cursor.readUInt16(what)))
        case .uint32: return .uint32(try cursor.readUInt32(what))
        case .int32: return .int32(Int32(bitPattern: try cursor.readUInt32(what)))
        case .uint64: return .uint64(try cursor.readUInt64(what))
        case .int64: return .int64(Int64(bitPattern: try cursor.readUInt64(what)))
        case .float32: return .float32(Float(bitPattern: try cursor.readUInt32(what)))
        case .float64: return .float64(Double(bitPattern: try cursor.readUInt64(what)))
        case .bool:
            let byte = try cursor.readUInt8(what)
            guard byte <= 1 else { throw GGUFError.invalidBool(key: key, byte: byte) }
            return .bool(byte == 1)
        case .string:
            return .string(try cursor.readString(what))
        case .array:
            guard depth < GGUFFile.maximumArrayNesting else {
                throw GGUFError.arrayNestingTooDeep(key: key, limit: GGUFFile.maximumArrayNesting)
            }
            let rawElementType = try cursor.readUInt32("array element type of '\(key)'")
            guard let elementType = GGUFValueType(rawValue: rawElementType) else {
                throw GGUFError.unknownValueType(key: key, rawValue: rawElementType)
            }
            let count = try cursor.readUInt64("array length of '\(key)'")
            try checkCount(
                count, "array length of '\(key)'", minimumSize: elementType.minimumEncodedSize,
                remaining: cursor.remaining)
            var elements: [GGUFValue] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                elements.append(try readValue(rawElementType, key: key, depth: depth + 1, &cursor))
            }
            return .array(elementType, elements)
        }
    }

    /// One tensor info: name, n_dims, ne (innermost first), type, offset. The tensor comes
    /// back with empty data, its shape in NumPy order, and its checked byte count.
    static func readTensorInfo(
        index: Int, _ cursor: inout ByteCursor
    ) throws -> (tensor: GGUFTensor, offset: UInt64, byteCount: Int) {
        let name = try cursor.readString("name of tensor \(index)")
        guard name.utf8.count < maximumNameBytes else {
            throw GGUFError.nameTooLong(
                tensor: name, bytes: name.utf8.count, limit: maximumNameBytes)
        }
        let dimensionCount = try cursor.readUInt32("n_dims of '\(name)'")
        guard dimensionCount <= UInt32(maximumDimensions) else {
            throw GGUFError.tooManyDimensions(
                tensor: name, count: dimensionCount, limit: maximumDimensions)
        }
        var dimensions: [UInt64] = []
        for axis in 0..<Int(dimensionCount) {
            dimensions.append(try cursor.readUInt64("ne[\(axis)] of '\(name)'"))
        }
        // gguf.cpp stores ne as int64_t and refuses a total of INT64_MAX or more elements.
        guard dimensions.allSatisfy({ $0 <= UInt64(Int.max) }) else {
            throw GGUFError.shapeTooLarge(tensor: name, dimensions: dimensions)
        }
        let rawType = try cursor.readUInt32("type of '\(name)'")
        guard let type = GGMLType(rawValue: rawType) else {
            throw GGUFError.unknownTensorType(tensor: name, rawValue: rawType)
        }
        let offset = try cursor.readUInt64("offset of '\(name)'")
        let tensor = GGUFTensor(
            name: name, type: type, shape: dimensions.reversed().map { Int($0) }, data: [])
        let byteCount: Int
        do {
            byteCount = try tensor.expectedByteCount()
        } catch GGUFError.shapeTooLarge {
            throw GGUFError.shapeTooLarge(tensor: name, dimensions: dimensions)
        }
        return (tensor, offset, byteCount)
    }
}
