/// What llama.cpp's block quantization types have in common: a row cut into blocks of
/// consecutive values (32 for the legacy types, MXFP4 and IQ4_NL), each block stored as a
/// fixed number of bytes (`block_q4_0` and its siblings in ggml's `ggml-common.h`) and
/// quantized on its own.
///
/// A conforming type says how one block becomes bytes and back; this extension walks a row.
/// Source: ggml-org/llama.cpp, `ggml/src/ggml-quants.c` (`quantize_row_q4_0_ref` …,
/// `dequantize_row_q4_0` …), checked byte for byte against llama.cpp 0c1e57098.
public protocol BlockFormat {
    /// The name llama.cpp gives the type (`"Q4_0"`).
    static var name: String { get }
    /// Values per block (32 unless a type says otherwise).
    static var blockSize: Int { get }
    /// The C struct's size, `sizeof(block_q4_0)` and so on.
    static var bytesPerBlock: Int { get }
    /// Quantizes `block` (exactly `blockSize` values) and appends its `bytesPerBlock` bytes.
    static func appendBlock(_ block: ArraySlice<Float>, to bytes: inout [UInt8])
    /// Dequantizes one block's bytes (exactly `bytesPerBlock`) and appends `blockSize` values.
    static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float])
}

extension BlockFormat {
    /// QK4_0 = QK4_1 = QK5_0 = QK5_1 = QK8_0 = QK_MXFP4 = QK4_NL = 32 values per block.
    public static var blockSize: Int { 32 }

    /// Storage cost: the struct's bits spread over its values (scales included).
    public static var bitsPerWeight: Double { Double(bytesPerBlock * 8) / Double(blockSize) }

    /// Quantizes a row (its length a multiple of `blockSize`) into llama.cpp's bytes:
    /// `row.count / blockSize` blocks of `bytesPerBlock` bytes, in row order.
    public static func quantize(_ row: [Float]) throws -> [UInt8] {
        guard row.count % blockSize == 0 else {
            throw GGMLError.rowLengthNotMultipleOfBlockSize(count: row.count, blockSize: blockSize)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(row.count / blockSize * bytesPerBlock)
        for start in stride(from: 0, to: row.count, by: blockSize) {
            appendBlock(row[start..<start + blockSize], to: &bytes)
        }
        return bytes
    }

    /// Dequantizes whole blocks back to float32 values, `blockSize` per block, as llama.cpp's
    /// `to_float` does (through the type's fast decoder when it has one: BlockFormat+Fast.swift).
    public static func dequantize(_ bytes: [UInt8]) throws -> [Float] {
        if let fast = Self.self as? any FastBlockDecoding.Type {
            try checkWholeBlocks(bytes)
            return fast.decodeAll(bytes)
        }
        return try dequantizeBlockByBlock(bytes)
    }

    /// The readable decoder on every block: `appendValues`, block after block.
    public static func dequantizeBlockByBlock(_ bytes: [UInt8]) throws -> [Float] {
        try checkWholeBlocks(bytes)
        var values: [Float] = []
        values.reserveCapacity(bytes.count / bytesPerBlock * blockSize)
        for start in stride(from: 0, to: bytes.count, by: bytesPerBlock) {
            appendValues(ofBlock: bytes[start..<start + bytesPerBlock], to: &values)
        }
        return values
    }

    private static func checkWholeBlocks(_ bytes: [UInt8]) throws {
        guard bytes.count % bytesPerBlock == 0 else {
            throw GGMLError.byteCountNotMultipleOfBlockBytes(
                count: bytes.count, bytesPerBlock: bytesPerBlock)
        }
    }
}

/// The value of largest magnitude in a block, with its sign; the first one wins a tie
/// (`if (amax < fabsf(v))` in `quantize_row_q4_0_ref` and `quantize_row_q5_0_ref`).
func signedAbsmax(_ block: ArraySlice<Float>) -> Float {
    var amax: Float = 0
    var signed: Float = 0
    for v in block where amax < abs(v) {
        amax = abs(v)
        signed = v
    }
    return signed
}

/// The block's minimum and maximum, as `quantize_row_q4_1_ref` finds them (starting from
/// `FLT_MAX` and `-FLT_MAX`).
func minimumAndMaximum(_ block: ArraySlice<Float>) -> (min: Float, max: Float) {
    var lo = Float.greatestFiniteMagnitude
    var hi = -Float.greatestFiniteMagnitude
    for v in block {
        if v < lo { lo = v }
        if v > hi { hi = v }
    }
    return (lo, hi)
}
