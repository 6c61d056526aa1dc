/// llama.cpp's k-quants — Q2_K, Q3_K, Q4_K, Q5_K, Q6_K: super-blocks of 256 values cut into
/// sub-blocks of 16 or 32, each sub-block with its own small integer scale (and min) under
/// one or two fp16 super-scales. Source: `ggml/src/ggml-quants.c`, llama.cpp 0c1e57098.
///
/// Unlike the legacy blocks, a k-quant does not just round: it *searches* for each
/// sub-block's scale (KQuantSearch.swift, KQuantMinSearch.swift). Three ways to quantize,
/// same bytes layout, same dequantizer:
///
/// - `quantize(_:)` — `quantize_row_qN_K_ref`, what `ggml_quantize_chunk` does without an
///   importance matrix;
/// - `quantize(_:importance:)` — `quantize_row_qN_K_impl` with `quant_weights`: the
///   importance matrix (llama.cpp's `--imatrix`, one weight per column, e.g. the mean
///   squared activation) weights each value's error in the searches;
/// - `quantizeWithoutSearch(_:)` — the reference path with every candidate grid and
///   least-squares refit switched off (the C functions' own `nstep 0`, `rmse_type 0`,
///   `do_rmse false` modes): plain min/max (or absmax) rounding, for measuring what the
///   search buys at the same bits.
public protocol KQuantFormat: BlockFormat {
    /// Quantizes one super-block (`blockSize` values) by `path` and appends its bytes.
    static func appendBlock(
        _ block: ArraySlice<Float>, path: KQuantPath, to bytes: inout [UInt8])
}

/// Which of ggml's quantizers a k-quant super-block goes through.
public enum KQuantPath {
    /// `quantize_row_qN_K_ref`.
    case reference
    /// `quantize_row_qN_K_impl` with this super-block's `quant_weights` (256 values).
    case importance(ArraySlice<Float>)
    /// The reference path without its scale searches (see each type's doc comment).
    case withoutSearch
}

extension KQuantPath {
    /// false only for `.withoutSearch`.
    var searches: Bool {
        if case .withoutSearch = self { return false }
        return true
    }

    /// The importance weights of `.importance`, nil otherwise.
    var importance: ArraySlice<Float>? {
        if case .importance(let weights) = self { return weights }
        return nil
    }
}

extension KQuantFormat {
    /// The reference path (`quantize_row_qN_K_ref`): what `quantize(_:)` uses.
    public static func appendBlock(_ block: ArraySlice<Float>, to bytes: inout [UInt8]) {
        appendBlock(block, path: .reference, to: &bytes)
    }

    /// Quantizes a row as `ggml_quantize_chunk(type, row, …, imatrix)` does: `importance`
    /// (the row's length, one weight per column) selects `quantize_row_qN_K_impl`; nil
    /// selects the reference path, byte-identical to `quantize(_:)`.
    public static func quantize(_ row: [Float], importance: [Float]?) throws -> [UInt8] {
        guard let importance else { return try quantize(row) }
        guard importance.count == row.count else {
            throw GGMLError.importanceLengthMismatch(
                count: importance.count, rowLength: row.count)
        }
        return try quantizeBlocks(row) { block, range, bytes in
            appendBlock(block, path: .importance(importance[range]), to: &bytes)
        }
    }

    /// The same bytes layout with each sub-block's scale (and min) from plain min/max or
    /// absmax rounding — no candidate grid, no refit. See each type for the exact rule.
    public static func quantizeWithoutSearch(_ row: [Float]) throws -> [UInt8] {
        try quantizeBlocks(row) { block, _, bytes in
            appendBlock(block, path: .withoutSearch, to: &bytes)
        }
    }

    /// Walks the row's super-blocks: `body(block, its index range, bytes)`.
    private static func quantizeBlocks(
        _ row: [Float], _ body: (ArraySlice<Float>, Range<Int>, inout [UInt8]) -> Void
    ) throws -> [UInt8] {
        guard row.count % blockSize == 0 else {
            throw GGMLError.rowLengthNotMultipleOfBlockSize(count: row.count, blockSize: blockSize)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(row.count / blockSize * bytesPerBlock)
        for start in stride(from: 0, to: row.count, by: blockSize) {
            body(row[start..<start + blockSize], start..<start + blockSize, &bytes)
        }
        return bytes
    }
}

/// `x.reduce(0, +)` spelled as C's loop `for (...) sum += x[i]`: left to right in float32.
func sequentialSum(_ x: some Sequence<Float>) -> Float {
    var total: Float = 0
    for v in x { total += v }
    return total
}

/// Σ x², left to right in float32 (`sum_x2 += x[l] * x[l]`).
func sumOfSquares(_ x: ArraySlice<Float>) -> Float {
    var total: Float = 0
    for v in x { total += v * v }
    return total
}
