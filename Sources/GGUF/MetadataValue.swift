/// The 13 value types of GGUF metadata (`enum gguf_type` in ggml/include/gguf.h, gguf-py's
/// `GGUFValueType`), with the numbers the file stores.
public enum GGUFValueType: UInt32, CaseIterable, Sendable {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6
    case bool = 7, string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// gguf-py's spelling: "UINT32", "STRING", "ARRAY" …
    public var name: String { "\(self)".uppercased() }

    /// Bytes one value of this type takes at least: its width for the fixed-size types,
    /// 8 (the length) for a string, 12 (element type + count) for an array. The reader
    /// multiplies a claimed array count by this before it believes the count.
    var minimumEncodedSize: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64, .string: return 8
        case .array: return 12
        }
    }
}

/// One metadata value: a scalar, a string, or an array of values of a single type.
///
/// ```
/// scalar:  the value, little-endian, in its type's width (bool: one byte, 0 or 1)
/// string:  u64 byte count, then that many bytes of UTF-8, no terminator
/// array:   u32 element type, u64 count, then the elements, each encoded without a type tag
/// ```
///
/// Arrays may hold arrays (gguf-py reads and writes them; llama.cpp refuses them), and an
/// array may be empty, so it carries its element type explicitly. The initializer of an
/// array does not check that every element has that type; the writer does.
public enum GGUFValue: Equatable, Sendable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16)
    case uint32(UInt32), int32(Int32), uint64(UInt64), int64(Int64)
    case float32(Float), float64(Double), bool(Bool), string(String)
    /// Elements of type `elementType`, each encoded without its own tag.
    indirect case array(GGUFValueType, [GGUFValue])

    /// The tag written before the value.
    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .uint64: return .uint64
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        }
    }

    /// Strict equality for floats too: NaN equals NaN of the same bits, +0 differs from −0
    /// (a round trip must preserve the bits; IEEE `==` would fail on NaN and hide the sign).
    public static func == (lhs: GGUFValue, rhs: GGUFValue) -> Bool {
        switch (lhs, rhs) {
        case (.float32(let a), .float32(let b)): return a.bitPattern == b.bitPattern
        case (.float64(let a), .float64(let b)): return a.bitPattern == b.bitPattern
        case (.array(let t, let a), .array(let u, let b)): return t == u && a == b
        case (.uint8(let a), .uint8(let b)): return a == b
        case (.int8(let a), .int8(let b)): return a == b
        case (.uint16(let a), .uint16(let b)): return a == b
        case (.int16(let a), .int16(let b)): return a == b
        case (.uint32(let a), .uint32(let b)): return a == b
        case (.int32(let a), .int32(let b)): return a == b
        case (.uint64(let a), .uint64(let b)): return a == b
        case (.int64(let a), .int64(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        default: return false
        }
    }

    // MARK: Convenience accessors

    /// The value as an integer, for any of the eight integer types (nil if it does not fit).
    public var integerValue: Int? {
        switch self {
        case .uint8(let v): return Int(v)
        case .int8(let v): return Int(v)
        case .uint16(let v): return Int(v)
        case .int16(let v): return Int(v)
        case .uint32(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return Int(exactly: v)
        case .int64(let v): return Int(v)
        default: return nil
        }
    }

    /// The value as a Double, for the two float types and the integers.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        default: return integerValue.map(Double.init)
        }
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayElements: [GGUFValue]? {
        if case .array(_, let values) = self { return values }
        return nil
    }
}
