import TensorIO

/// Writing a GGUF v3 file, laid out as gguf-py's `GGUFWriter` lays it out: header, key-value
/// pairs, tensor infos whose offsets count up from 0 in steps of each tensor's byte size
/// rounded up to the alignment, zero padding to the alignment, then each tensor's bytes
/// followed by zero padding (after the last one too).
///
/// Everything is checked before a byte is written — keys and tensor names unique, array
/// elements of their array's type, `general.alignment` a UINT32 power of two, tensor names
/// under 64 bytes, at most 4 dimensions, rows of whole blocks, data of the size the shape and
/// type need — so what we write, llama.cpp's loader accepts. The file appears all at once
/// (written beside the target and renamed over it) or not at all.
extension GGUFFile {
    /// Encodes and writes the file atomically.
    public func write(to path: String) throws {
        let bytes = try encoded()
        do {
            try writeAtomically(bytes, to: path)
        } catch let error as TensorFileError {
            throw GGUFError.fileError(error.description)
        }
    }

    /// The file's bytes.
    public func encoded() throws -> [UInt8] {
        let (header, placements) = try encodedHeader()
        let alignment = try alignment()
        var bytes = header
        for (tensor, placement) in zip(tensors, placements) {
            bytes += tensor.data
            let end = padded(placement.byteCount, to: alignment) ?? placement.byteCount
            bytes += [UInt8](repeating: 0, count: end - placement.byteCount)
        }
        return bytes
    }

    /// Where the data section starts, and where each tensor sits in it.
    public func placements() throws -> (dataOffset: Int, tensors: [GGUFTensorPlacement]) {
        let (header, placements) = try encodedHeader()
        return (header.count, placements)
    }

    /// Everything before the data section (padding included), after checking the whole file.
    func encodedHeader() throws -> (bytes: [UInt8], placements: [GGUFTensorPlacement]) {
        let alignment = try alignment()
        var bytes = Self.magic
        bytes += littleEndianBytes([UInt32(3)])
        bytes += littleEndianBytes([UInt64(tensors.count), UInt64(metadata.count)])

        var keys = Set<String>()
        for (key, value) in metadata {
            guard keys.insert(key).inserted else { throw GGUFError.duplicateKey(key) }
            Self.appendString(key, to: &bytes)
            bytes += littleEndianBytes([value.type.rawValue])
            try Self.appendValue(value, key: key, depth: 0, to: &bytes)
        }

        var names = Set<String>()
        var placements: [GGUFTensorPlacement] = []
        var offset = 0
        for tensor in tensors {
            let name = tensor.name
            guard names.insert(name).inserted else { throw GGUFError.duplicateTensorName(name) }
            guard name.utf8.count < Self.maximumNameBytes else {
                throw GGUFError.nameTooLong(
                    tensor: name, bytes: name.utf8.count, limit: Self.maximumNameBytes)
            }
            guard tensor.shape.count <= Self.maximumDimensions else {
                throw GGUFError.tooManyDimensions(
                    tensor: name, count: UInt32(clamping: tensor.shape.count),
                    limit: Self.maximumDimensions)
            }
            let byteCount = try tensor.expectedByteCount()
            guard tensor.data.count == byteCount else {
                throw GGUFError.dataSizeMismatch(
                    tensor: name, expected: byteCount, actual: tensor.data.count)
            }
            Self.appendString(name, to: &bytes)
            bytes += littleEndianBytes([UInt32(tensor.shape.count)])
            bytes += littleEndianBytes(tensor.dimensions.map { UInt64($0) })
            bytes += littleEndianBytes([tensor.type.rawValue])
            bytes += littleEndianBytes([UInt64(offset)])
            placements.append(
                GGUFTensorPlacement(
                    name: name, type: tensor.type, shape: tensor.shape, offset: offset,
                    byteCount: byteCount))
            offset += padded(byteCount, to: alignment) ?? byteCount  // sizes are in memory
        }
        let dataStart = padded(bytes.count, to: alignment) ?? bytes.count
        bytes += [UInt8](repeating: 0, count: dataStart - bytes.count)
        return (bytes, placements)
    }

    /// u64 byte count, then the UTF-8 bytes.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes += littleEndianBytes([UInt64(text.utf8.count)])
        bytes += Array(text.utf8)
    }

    /// The value without its type tag (the caller writes the tag where the format has one).
    static func appendValue(
        _ value: GGUFValue, key: String, depth: Int, to bytes: inout [UInt8]
    ) throws {
        switch value {
        case .uint8(let v): bytes.append(v)
        case .int8(let v): bytes.append(UInt8(bitPattern: v))
        case .uint16(let v): bytes += littleEndianBytes([v])
        case .int16(let v): bytes += littleEndianBytes([v])
        case .uint32(let v): bytes += littleEndianBytes([v])
        case .int32(let v): bytes += littleEndianBytes([v])
        case .uint64(let v): bytes += littleEndianBytes([v])
        case .int64(let v): bytes += littleEndianBytes([v])
        case .float32(let v): bytes += littleEndianBytes([v.bitPattern])
        case .float64(let v): bytes += littleEndianBytes([v.bitPattern])
        case .bool(let v): bytes.append(v ? 1 : 0)
        case .string(let v): appendString(v, to: &bytes)
        case .array(let elementType, let elements):
            guard depth < maximumArrayNesting else {
                throw GGUFError.arrayNestingTooDeep(key: key, limit: maximumArrayNesting)
            }
            bytes += littleEndianBytes([elementType.rawValue])
            bytes += littleEndianBytes([UInt64(elements.count)])
            for element in elements {
                guard element.type == elementType else {
                    throw GGUFError.arrayElementTypeMismatch(
                        key: key, expected: elementType, found: element.type)
                }
                try appendValue(element, key: key, depth: depth + 1, to: &bytes)
            }
        }
    }
}
