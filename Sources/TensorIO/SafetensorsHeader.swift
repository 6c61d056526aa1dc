import Foundation

/// The JSON header of a `.safetensors` file, parsed and checked entry by entry.
///
/// ```
/// {"__metadata__": {"format": "pt"},
///  "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
///  "b": {"dtype": "F16", "shape": [3],    "data_offsets": [24, 30]}}
/// ```
///
/// `data_offsets` are `[begin, end)` byte offsets into the buffer that follows the header.
/// The rules we enforce are the reference library's (`Metadata::validate` in
/// safetensors/src/tensor.rs): sorted by offset, the tensors tile the buffer exactly — the first
/// begins at 0, each begins where the previous ended, the last ends at the end of the file —
/// and each holds exactly `count × width` bytes. One deliberate difference: the library
/// ignores unknown keys in a tensor entry; we refuse them, since we cannot know what they meant.
/// Two leniencies we inherit from Foundation's `JSONSerialization`, where serde_json is strict:
/// it accepts a trailing comma in an object or array, and a repeated key silently keeps the
/// last value. Neither can make us read outside the buffer: offsets are checked all the same.
struct SafetensorsHeader {
    /// One tensor's entry, not yet checked against its neighbours.
    struct Entry {
        var name: String
        var elementType: ElementType
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    var metadata: [String: String] = [:]
    /// Sorted by `(begin, end, name)`, i.e. in the order their bytes appear in the buffer.
    var entries: [Entry] = []

    // MARK: dtype names

    /// The dtype strings we support, in the order of the reference library's `Dtype` enum,
    /// which is increasing alignment. The writer sorts tensors by this rank, descending.
    static let dtypeNames: [(name: String, type: ElementType)] = [
        ("BOOL", .bool), ("U8", .uint8), ("I8", .int8), ("I16", .int16), ("U16", .uint16),
        ("F16", .float16), ("BF16", .bfloat16), ("I32", .int32), ("U32", .uint32),
        ("F32", .float32), ("F64", .float64), ("I64", .int64), ("U64", .uint64),
    ]

    static func dtypeName(of type: ElementType) -> String {
        dtypeNames.first { $0.type == type }?.name ?? type.rawValue
    }

    static func alignmentRank(of type: ElementType) -> Int {
        dtypeNames.firstIndex { $0.type == type } ?? 0
    }

    // MARK: Parsing

    /// Parses the header JSON and checks every entry against a data buffer of `bufferSize` bytes.
    static func parse(_ json: ArraySlice<UInt8>, bufferSize: Int) throws -> SafetensorsHeader {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(json), options: [])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw TensorFileError.malformedHeader(reason: "header is not valid JSON: \(detail)")
        }
        guard let dictionary = object as? [String: Any] else {
            throw TensorFileError.malformedHeader(reason: "header JSON is not an object")
        }
        var header = SafetensorsHeader()
        for (key, value) in dictionary {
            if key == "__metadata__" {
                header.metadata = try parseMetadata(value)
            } else {
                header.entries.append(try parseEntry(name: key, value))
            }
        }
        header.entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        try header.checkOffsets(bufferSize: bufferSize)
        return header
    }

    /// `__metadata__` maps strings to strings (`null` is read as empty, as the library does).
    private static func parseMetadata(_ value: Any) throws -> [String: String] {
        if value is NSNull { return [:] }
        guard let dictionary = value as? [String: Any] else {
            throw TensorFileError.malformedHeader(reason: "__metadata__ is not an object")
        }
        var metadata: [String: String] = [:]
        for (key, value) in dictionary {
            guard let text = value as? String else {
                throw TensorFileError.malformedHeader(reason: "__metadata__ value for '\(key)' is not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func parseEntry(name: String, _ value: Any) throws -> Entry {
        func invalid(_ reason: String) -> TensorFileError { .invalidTensorEntry(name: name, reason: reason) }
        guard let fields = value as? [String: Any] else { throw invalid("entry is not an object") }
        let unknown = Set(fields.keys).subtracting(["dtype", "shape", "data_offsets"])
        guard unknown.isEmpty else { throw invalid("unknown keys \(unknown.sorted())") }

        guard let dtype = fields["dtype"] as? String else { throw invalid("dtype missing or not a string") }
        guard let type = dtypeNames.first(where: { $0.name == dtype })?.type else {
            throw TensorFileError.unsupportedDtype(
                "'\(dtype)' in tensor '\(name)' (supported: "
                    + dtypeNames.map(\.name).joined(separator: " ") + ")")
        }
        guard let shapeValues = fields["shape"] as? [Any] else { throw invalid("shape missing or not an array") }
        let shape = try shapeValues.map { value in
            guard let dimension = nonNegativeInteger(value) else {
                throw TensorFileError.invalidShape(
                    reason: "tensor '\(name)': \(value) is not a non-negative 64-bit integer")
            }
            return dimension
        }
        guard let offsets = fields["data_offsets"] as? [Any], offsets.count == 2,
            let begin = nonNegativeInteger(offsets[0]), let end = nonNegativeInteger(offsets[1])
        else { throw invalid("data_offsets is not a pair of non-negative integers") }
        return Entry(name: name, elementType: type, shape: shape, begin: begin, end: end)
    }

    /// A JSON integer in `0...Int.max`. Booleans (`objCType` "c") and floats ("d") are refused:
    /// `JSONSerialization` hands all three back as `NSNumber`, and `true as? Int` would be 1.
    private static func nonNegativeInteger(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let integerTypes: Set<String> = ["s", "i", "l", "q", "S", "I", "L", "Q"]
        guard integerTypes.contains(String(cString: number.objCType)), let integer = value as? Int else {
            return nil
        }
        return integer >= 0 ? integer : nil
    }

    // MARK: Validation

    /// The entries, in offset order, must tile `0..<bufferSize` exactly.
    private func checkOffsets(bufferSize: Int) throws {
        var expectedBegin = 0
        for entry in entries {
            func invalid(_ reason: String) -> TensorFileError { .invalidOffsets(name: entry.name, reason: reason) }
            let range = "[\(entry.begin), \(entry.end)]"
            guard entry.begin <= entry.end else { throw invalid("\(range) ends before it begins") }
            guard entry.end <= bufferSize else {
                throw invalid("\(range) runs past the end of the \(bufferSize)-byte data buffer")
            }
            guard entry.begin >= expectedBegin else {
                throw invalid("\(range) overlaps the previous tensor, which ends at \(expectedBegin)")
            }
            guard entry.begin == expectedBegin else {
                throw invalid("\(range) leaves a gap: the previous tensor ends at \(expectedBegin)")
            }
            let byteCount = try RawTensor.byteCount(of: entry.shape, elementType: entry.elementType)
            guard entry.end - entry.begin == byteCount else {
                throw invalid(
                    "\(range) holds \(entry.end - entry.begin) bytes, but "
                        + "\(SafetensorsHeader.dtypeName(of: entry.elementType)) \(entry.shape) needs \(byteCount)")
            }
            expectedBegin = entry.end
        }
        guard expectedBegin == bufferSize else {
            throw TensorFileError.trailingBytes(count: bufferSize - expectedBegin)
        }
    }
}
