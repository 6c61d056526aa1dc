import Absmax
import Core

/// A matrix quantized row by row the way bitsandbytes' `int8_vectorwise_quant` does it.
///
/// ```
/// codes:          [rows][cols] Int8, row-major (bitsandbytes' CA / CB); the whole outlier
///                 columns are 0 when rows > 1
/// rowAbsmax:      [rows] Float — max |x| over the row with outlier elements treated as 0
///                 (bitsandbytes' row_stats / SCA / SCB); 0 for a row with nothing left
/// outlierColumns: ascending column indices holding any |x| ≥ threshold; empty when the
///                 threshold is 0 (bitsandbytes returns None) or nothing reaches it
/// ```
public struct VectorwiseQuantized: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    public let codes: [Int8]
    public let rowAbsmax: [Float]
    public let outlierColumns: [Int]
    public let threshold: Float

    /// Storage in bytes: one per code and a float32 absmax per row.
    public var storageBytes: Int { codes.count + 4 * rowAbsmax.count }

    /// Storage bits per value, row statistics included: 8 + 32 / cols.
    public var bitsPerParameter: Double {
        codes.isEmpty ? 0 : Double(8 * storageBytes) / Double(codes.count)
    }

    /// x̂ = code · absmax / 127, computed as bitsandbytes' `int8_vectorwise_dequant` does:
    /// (code · absmax) · Float(1/127), two float32 roundings in that order.
    public func dequantized() -> Tensor {
        var out = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols {
                out[r * cols + c] = VectorwiseQuantizer.dequantize(codes[r * cols + c], absmax: rowAbsmax[r])
            }
        }
        return Tensor(shape: [rows, cols], data: out)
    }
}

/// LLM.int8() §3.1 vector-wise quantization, with the §3.2 outlier split.
public enum VectorwiseQuantizer {
    /// Float(1/127) = 7.874015718698502e−3, bitsandbytes' dequantization factor.
    public static let reciprocalOf127 = Float(1.0 / 127.0)

    /// The columns of `x` (tokens × features) that hold at least one |x| ≥ threshold,
    /// ascending, each once. A threshold of 0 means "no decomposition": no columns.
    public static func outlierColumns(of x: Tensor, threshold: Float) -> [Int] {
        // BEGIN EXERCISE 3b — outlier feature columns
        guard threshold > 0 else { return [] }
        var isOutlier = [Bool](repeating: false, count: x.cols)
        for r in 0..<x.rows {
            for c in 0..<x.cols where abs(x[r, c]) >= threshold { isOutlier[c] = true }
        }
        return isOutlier.indices.filter { isOutlier[$0] }
        // END EXERCISE 3b
    }

    /// Row-wise absmax int8 quantization of a tokens × features (or out × in) matrix.
    ///
    /// Checks `x` (a finite 2-D matrix) and the threshold, finds the outlier columns
    /// (`outlierColumns(of:threshold:)`), then quantizes row by row (`quantizeRows`).
    /// `name` labels the matrix in error messages ("X", "W", or a file name).
    public static func quantize(
        _ x: Tensor, threshold: Float = 0, name: String = "X"
    ) throws(LLMInt8Error) -> VectorwiseQuantized {
        try LLMInt8Error.checkMatrix(x, name: name)
        try LLMInt8Error.checkThreshold(threshold)
        let outliers = outlierColumns(of: x, threshold: threshold)
        let (codes, rowAbsmax) = quantizeRows(x, threshold: threshold, outlierColumns: outliers)
        return VectorwiseQuantized(
            rows: x.rows, cols: x.cols, codes: codes, rowAbsmax: rowAbsmax,
            outlierColumns: outliers, threshold: threshold)
    }

    /// The codes and row absmax of a finite rows × cols matrix whose outlier columns are
    /// already known.
    ///
    /// Step by step, in bitsandbytes' order (so every code matches bit for bit):
    /// 1. with threshold > 0, every element with |x| ≥ threshold is an outlier and counts
    ///    as 0 from here on (bitsandbytes writes 0 into A, then restores A afterwards);
    /// 2. rowAbsmax[r] = max |x| over row r;
    /// 3. code = round(x · s), ties to even (`Absmax.quantize(_:scale:)`), with the float32
    ///    scale s computed first — as `bitsandbytesScale(forAbsmax:)` explains,
    ///    s = (1/absmax) · 127, not 127/absmax, and certainly not x · 127 / absmax;
    /// 4. if there is more than one row, the whole `outlierColumns` get code 0 (with a single
    ///    row every element of an outlier column is an outlier already, so it is 0 anyway).
    ///
    /// An all-zero row (or one whose only non-zeros are outliers) has rowAbsmax 0, where
    /// bitsandbytes would compute 0 · (127/0) = NaN; we give it codes 0, which dequantize to 0.
    ///
    /// ```
    /// codes:     [rows][cols] Int8, row-major
    /// rowAbsmax: [rows] Float
    /// ```
    public static func quantizeRows(
        _ x: Tensor, threshold: Float, outlierColumns: [Int]
    ) -> (codes: [Int8], rowAbsmax: [Float]) {
        // BEGIN EXERCISE 3a — vector-wise quantization
        let (rows, cols) = (x.rows, x.cols)
        // kept(v): the value as quantization sees it — outlier elements are 0.
        func kept(_ v: Float) -> Float { threshold > 0 && abs(v) >= threshold ? 0 : v }

        var codes = [Int8](repeating: 0, count: rows * cols)
        var rowAbsmax = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            var absmax: Float = 0
            for c in 0..<cols { absmax = Swift.max(absmax, abs(kept(x[r, c]))) }
            rowAbsmax[r] = absmax
            let scale = bitsandbytesScale(forAbsmax: absmax)
            for c in 0..<cols { codes[r * cols + c] = Absmax.quantize(kept(x[r, c]), scale: scale) }
        }
        if rows > 1 {
            for c in outlierColumns {
                for r in 0..<rows { codes[r * cols + c] = 0 }
            }
        }
        return (codes, rowAbsmax)
        // END EXERCISE 3a
    }

    /// The scale bitsandbytes multiplies a row by: (1 / absmax) · 127 in float32.
    ///
    /// Its source reads `A * (127.0 / row_stats)`, but PyTorch evaluates `127.0 / tensor` as
    /// `tensor.reciprocal() * 127` (`Tensor.__rtruediv__`): two roundings, and a result
    /// that can differ by one ulp from 127 / absmax. It matters on exact ties: in the
    /// reference weights, W16[31, 0] is exactly half its row's absmax, so x · (127/absmax)
    /// = 63.500004 rounds to 64 while x · ((1/absmax) · 127) = 63.499996 gives
    /// bitsandbytes' 63. (Chapter 2's `Absmax.scale(forAbsmax:)` uses the textbook 127/absmax.)
    ///
    /// An empty row (absmax 0) gets scale 1 instead of ∞, so its codes are 0, not NaN.
    @inlinable
    public static func bitsandbytesScale(forAbsmax absmax: Float) -> Float {
        absmax > 0 ? (1 / absmax) * 127 : 1
    }

    /// x̂ = (code · absmax) · Float(1/127) — bitsandbytes' `int8_vectorwise_dequant`.
    @inlinable
    public static func dequantize(_ code: Int8, absmax: Float) -> Float {
        (Float(code) * absmax) * reciprocalOf127
    }
}
