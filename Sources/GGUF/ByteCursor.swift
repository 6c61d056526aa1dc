/// A read position in a file's bytes that never reads past the end: every read first checks
/// that its bytes are present and throws `GGUFError.truncated` naming the field if not.
///
/// GGUF is little-endian throughout (byte i of an integer is worth 256^i).
struct ByteCursor {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Bytes from the cursor to the end of the file.
    var remaining: Int { bytes.count - offset }

    /// Checks that `count` bytes follow the cursor, for the field called `what`.
    func require(_ count: Int, for what: @autoclosure () -> String) throws {
        guard count <= remaining else {
            throw GGUFError.truncated(
                what: what(), offset: offset, needed: count, available: remaining)
        }
    }

    /// An unsigned little-endian integer of `width` bytes (1, 2, 4 or 8).
    mutating func readUnsigned(width: Int, for what: @autoclosure () -> String) throws -> UInt64 {
        try require(width, for: what())
        var value: UInt64 = 0
        for index in (offset..<offset + width).reversed() {
            value = value << 8 | UInt64(bytes[index])
        }
        offset += width
        return value
    }

    mutating func readUInt8(_ what: @autoclosure () -> String) throws -> UInt8 {
        UInt8(truncatingIfNeeded: try readUnsigned(width: 1, for: what()))
    }
    mutating func readUInt16(_ what: @autoclosure () -> String) throws -> UInt16 {
        UInt16(truncatingIfNeeded: try readUnsigned(width: 2, for: what()))
    }
    mutating func readUInt32(_ what: @autoclosure () -> String) throws -> UInt32 {
        UInt32(truncatingIfNeeded: try readUnsigned(width: 4, for: what()))
    }
    mutating func readUInt64(_ what: @autoclosure () -> String) throws -> UInt64 {
        try readUnsigned(width: 8, for: what())
    }

    /// `count` raw bytes (the caller has checked `count` against `remaining` or calls this
    /// to have it checked).
    mutating func readBytes(
        _ count: Int, for what: @autoclosure () -> String
    ) throws -> ArraySlice<UInt8> {
        try require(count, for: what())
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// A GGUF string: u64 byte count, then the UTF-8 bytes. The count is checked against the
    /// bytes left before anything is copied; invalid UTF-8 is refused, not repaired.
    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let description = what()
        let length = try readUInt64("length of \(description)")
        guard length <= UInt64(remaining) else {
            throw GGUFError.truncated(
                what: description, offset: offset, needed: Int(clamping: length),
                available: remaining)
        }
        let body = try readBytes(Int(length), for: description)
        guard let text = String(validating: body, as: UTF8.self) else {
            throw GGUFError.invalidUTF8(what: description)
        }
        return text
    }

    /// Moves the cursor to `target` (at most the end of the file).
    mutating func skip(to target: Int) {
        offset = min(max(target, offset), bytes.count)
    }
}
