/// A `.safetensors` file in memory: named tensors plus free-form string metadata.
public struct SafetensorsFile: Sendable {
    /// Named tensors. After reading: in the order their bytes appear in the file. Writing
    /// applies the reference library's order (see `Safetensors.encode`), whatever order this has.
    public var tensors: [(name: String, tensor: RawTensor)]
    /// The `__metadata__` object (string to string), e.g. `["format": "pt"]`.
    public var metadata: [String: String]

    public init(tensors: [(name: String, tensor: RawTensor)] = [], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The first tensor with this name, if any.
    public subscript(name: String) -> RawTensor? {
        tensors.first { $0.name == name }?.tensor
    }
}

/// Hugging Face's `.safetensors` format (README of github.com/huggingface/safetensors).
///
/// ```
/// offset 0      8 bytes   N: header length, little-endian u64 (at most 100 MB, the library's cap)
///        8      N bytes   UTF-8 JSON object, padded with spaces so N is a multiple of 8
///        8 + N  …         byte buffer: every tensor's little-endian C-order data, back to back;
///                         the header's data_offsets are relative to this point
/// ```
///
/// Files we write are byte-identical to the reference library's `serialize` for the same
/// tensors and metadata (tested against fixtures it wrote), except that its `__metadata__`
/// keys come out in hash-map order and ours sorted.
public enum Safetensors {
    /// The reference library's MAX_HEADER_SIZE: refuse larger headers before reading them.
    public static let maximumHeaderLength = 100_000_000

    public static func read(contentsOf path: String) throws -> SafetensorsFile {
        try decode(readWholeFile(atPath: path))
    }

    /// Decodes a whole file. The header length is checked against the 100 MB cap and the
    /// file size before the header is parsed; every tensor's offsets are checked against the
    /// buffer (see `SafetensorsHeader`) before any tensor bytes are copied.
    public static func decode(_ bytes: [UInt8]) throws -> SafetensorsFile {
        guard bytes.count >= 8 else { throw TensorFileError.truncatedHeader(declared: 8, available: bytes.count) }
        var declaredLength: UInt64 = 0  // little-endian: byte i is worth 256^i
        for index in (0..<8).reversed() {
            declaredLength = declaredLength << 8 | UInt64(bytes[index])
        }
        guard declaredLength <= UInt64(maximumHeaderLength) else {
            throw TensorFileError.headerTooLarge(length: declaredLength, limit: maximumHeaderLength)
        }
        let headerLength = Int(declaredLength)  // ≤ 100 MB, so it fits
        guard headerLength <= bytes.count - 8 else {
            throw TensorFileError.truncatedHeader(declared: headerLength, available: bytes.count - 8)
        }
        let bufferStart = 8 + headerLength
        let header = try SafetensorsHeader.parse(bytes[8..<bufferStart], bufferSize: bytes.count - bufferStart)
        // Offsets are checked, so every range lies inside the buffer.
        var tensors: [(name: String, tensor: RawTensor)] = []
        for entry in header.entries {
            let data = Array(bytes[(bufferStart + entry.begin)..<(bufferStart + entry.end)])
            let tensor = try RawTensor(elementType: entry.elementType, shape: entry.shape, bytes: data)
            tensors.append((name: entry.name, tensor: tensor))
        }
        return SafetensorsFile(tensors: tensors, metadata: header.metadata)
    }

    /// Encodes as the reference library's `serialize` does:
    /// 1. sort tensors by dtype alignment, largest first (U64, I64, F64, F32, … U8, BOOL), then by name;
    /// 2. lay their bytes back to back in that order;
    /// 3. write compact JSON — `__metadata__` first if non-empty, then each tensor as
    ///    `{"dtype":…,"shape":[…],"data_offsets":[begin,end]}` — padded with spaces to a multiple of 8.
    ///
    /// Throws `duplicateTensorName` for a repeated name or a tensor called `__metadata__`.
    public static func encode(_ file: SafetensorsFile) throws -> [UInt8] {
        var seen: Set<String> = ["__metadata__"]
        for (name, _) in file.tensors where !seen.insert(name).inserted {
            throw TensorFileError.duplicateTensorName(name)
        }
        let ordered = file.tensors.sorted { left, right in
            let leftRank = SafetensorsHeader.alignmentRank(of: left.tensor.elementType)
            let rightRank = SafetensorsHeader.alignmentRank(of: right.tensor.elementType)
            if leftRank != rightRank { return leftRank > rightRank }
            return left.name.utf8.lexicographicallyPrecedes(right.name.utf8)  // Rust compares bytes
        }

        var items: [String] = []
        if !file.metadata.isEmpty {
            let pairs = file.metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { jsonString($0.key) + ":" + jsonString($0.value) }
            items.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in ordered {
            let dtype = SafetensorsHeader.dtypeName(of: tensor.elementType)
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            let end = offset + tensor.bytes.count
            let info = "{\"dtype\":\"\(dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}"
            items.append(jsonString(name) + ":" + info)
            offset = end
        }
        var header = Array(("{" + items.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        for index in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * index)))
        }
        bytes += header
        for (_, tensor) in ordered {
            bytes += tensor.bytes
        }
        return bytes
    }

    /// Encodes and writes atomically.
    public static func write(_ file: SafetensorsFile, to path: String) throws {
        try writeAtomically(encode(file), to: path)
    }

    /// A JSON string literal escaped as Rust's serde_json does: `"` and `\` backslashed,
    /// \b \f \n \r \t by name, other control characters as \u00XX (lowercase hex), everything
    /// else — `/` and non-ASCII included — written as is, in UTF-8.
    public static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
