/// GGUF — llama.cpp's model file: metadata and tensors in one little-endian file.
///
/// Specification: ggml-org/llama.cpp `docs/gguf.md`; the reference reader and writer are
/// `ggml/src/gguf.cpp` (what llama.cpp accepts) and gguf-py's `gguf_reader.py` and
/// `gguf_writer.py`. Version 3:
/// ```
/// "GGUF"                      4 bytes magic
/// version                     u32 = 3
/// n_tensors, n_kv             u64, u64
/// n_kv × { key: string, value type: u32, value }             (see GGUFValue)
/// n_tensors × { name: string, n_dims: u32, ne[n_dims]: u64,  (innermost first)
///               type: u32 (GGMLType), offset: u64 }          (into the data section)
/// zero padding to a multiple of `alignment`
/// data section: each tensor's bytes, each padded with zeros to a multiple of `alignment`
/// ```
/// `alignment` is the metadata value `general.alignment` (a UINT32 power of two), 32 if absent.
///
/// What we check on reading, beyond gguf.cpp's own checks (every count and length against the
/// bytes left, types known, no duplicate key or tensor name, at most 4 dimensions, rows of
/// whole blocks, tensors laid out back to back exactly as the writer places them): strings
/// must be valid UTF-8 and bools 0 or 1, and arrays may nest (gguf-py writes them, llama.cpp
/// refuses them) but only `maximumArrayNesting` deep. Bytes after the data section are ignored,
/// as llama.cpp does. Simplifications: the whole file is read into memory (no mmap), and
/// big-endian files are refused rather than byte-swapped.
///
/// ### See Also
/// - `GGUFValue`, `GGUFTensor`, `GGMLType`, the `GGML` module (the block formats).
public struct GGUFFile: Equatable, Sendable {
    /// Key–value pairs in file order.
    public var metadata: [(key: String, value: GGUFValue)]
    /// Tensors in file order (which is also the order of their data).
    public var tensors: [GGUFTensor]
    /// The version read from the file (2 or 3); the writer always writes 3.
    public var version: UInt32 = 3

    /// "GGUF" read as a little-endian u32 is 0x46554747 (`GGUF_MAGIC`).
    static let magic: [UInt8] = Array("GGUF".utf8)
    /// `GGUF_DEFAULT_ALIGNMENT`.
    public static let defaultAlignment = 32
    /// The key that sets the alignment (`GGUF_KEY_GENERAL_ALIGNMENT`).
    public static let alignmentKey = "general.alignment"
    /// `GGML_MAX_DIMS`.
    public static let maximumDimensions = 4
    /// `GGML_MAX_NAME`: a tensor name has at most 63 bytes (the C struct keeps a NUL).
    public static let maximumNameBytes = 64
    /// Our limit on arrays of arrays, so a hostile file cannot recurse us off the stack.
    public static let maximumArrayNesting = 16

    public init(metadata: [(String, GGUFValue)] = [], tensors: [GGUFTensor] = []) {
        self.metadata = metadata.map { (key: $0.0, value: $0.1) }
        self.tensors = tensors
    }

    /// The first value stored under `key`.
    public subscript(key: String) -> GGUFValue? {
        metadata.first { $0.key == key }?.value
    }

    /// The data alignment: `general.alignment` if present, else 32. Throws if the key holds
    /// anything but a non-zero power of two of type UINT32 (gguf.cpp's rule).
    public func alignment() throws -> Int {
        guard let value = self[Self.alignmentKey] else { return Self.defaultAlignment }
        guard case .uint32(let alignment) = value else {
            throw GGUFError.badAlignment("type \(value.type.name), expected UINT32")
        }
        guard alignment != 0, alignment & (alignment - 1) == 0 else {
            throw GGUFError.badAlignment("\(alignment) is not a power of two")
        }
        return Int(alignment)
    }

    /// The tensor called `name`, raw bytes and all.
    public func tensor(named name: String) throws -> GGUFTensor {
        guard let tensor = tensors.first(where: { $0.name == name }) else {
            throw GGUFError.tensorNotFound(name)
        }
        return tensor
    }

    /// The tensor called `name` dequantized to float32, row-major (see
    /// `GGUFTensor.float32Values()`).
    public func float32Values(named name: String) throws -> [Float] {
        try tensor(named: name).float32Values()
    }

    public static func == (lhs: GGUFFile, rhs: GGUFFile) -> Bool {
        lhs.version == rhs.version && lhs.tensors == rhs.tensors
            && lhs.metadata.map(\.key) == rhs.metadata.map(\.key)
            && lhs.metadata.map(\.value) == rhs.metadata.map(\.value)
    }
}

/// Where a tensor's bytes sit in the file, as `lowbit gguf inspect` shows it.
public struct GGUFTensorPlacement: Equatable, Sendable {
    public var name: String
    public var type: GGMLType
    /// NumPy order, outermost first.
    public var shape: [Int]
    /// From the start of the data section (the number stored in the tensor info).
    public var offset: Int
    public var byteCount: Int
}

/// `x` rounded up to a multiple of `alignment` (`GGML_PAD`); nil on overflow.
func padded(_ x: Int, to alignment: Int) -> Int? {
    let (sum, overflow) = x.addingReportingOverflow(alignment - 1)
    return overflow ? nil : sum / alignment * alignment
}
