import Absmax
import Core

/// # LLMInt8 — vector-wise int8 matmul with mixed-precision decomposition (Chapter 3)
///
/// Source: Tim Dettmers, Mike Lewis, Younes Belkada, Luke Zettlemoyer, "LLM.int8(): 8-bit
/// Matrix Multiplication for Transformers at Scale" (NeurIPS 2022) — §3.1 vector-wise
/// quantization, §3.2 mixed-precision decomposition, §4 emergent large-magnitude features —
/// and its implementation in bitsandbytes 0.50.2 (`int8_vectorwise_quant`,
/// `int8_mm_dequant`, `int8_mixed_scaled_mm`, `Linear8bitLt`). The paper's symbols are
/// used: X (tokens × features, the hidden states) and W (out × in, the `nn.Linear` layout).
///
/// **Vector-wise quantization** (§3.1): one absmax per row of X and per row of W,
///
/// ```
/// c_x = rowAbsmax(X)   (tokens)         X_i8 = round(X · (127 / c_x))     ties to even
/// c_w = rowAbsmax(W)   (out)            W_i8 = round(W · (127 / c_w))
/// Y   ≈ (X_i8 · W_i8ᵀ)  ⊙  (c_x ⊗ c_w) / 127²        the Int32 product, rescaled
/// ```
///
/// **Mixed-precision decomposition** (§3.2) with threshold α (6.0 by default): the set O of
/// feature columns of X holding any |x| ≥ α is multiplied in floating point, the rest in int8:
///
/// ```
/// Y = Σ_{h ∈ O} X[:, h] · W[:, h]ᵀ   (float)   +   Σ_{h ∉ O} … (int8, as above)
/// ```
///
/// ## What bitsandbytes does, and what we follow
/// - Outlier *elements* (|x| ≥ α) are zeroed before the row absmax is taken, the codes of
///   the whole outlier columns are then zeroed (when X has more than one row), and the
///   outlier columns are added back in float. We do exactly this, bit for bit.
/// - At inference (`has_fp16_weights=False`) bitsandbytes multiplies the outlier columns of
///   X by the **int8-dequantized** weight columns, CB · SCB / 127 — our default,
///   `OutlierWeights.dequantizedInt8`; the paper uses the original 16-bit weights —
///   `OutlierWeights.original`.
/// - `Linear8bitLt` casts X and W to float16 before quantizing; `emulateFloat16Inputs`
///   reproduces that (see `Float16Rounding`). Off by default: the algorithm does not need it.
/// - The rescale constant: bitsandbytes' CUDA kernel multiplies by 6.200012e−05f, which is
///   exactly Float(1/16129) = 1/127² rounded once; its CPU / pure-PyTorch fallback
///   hard-codes 6.200124e−05, 1.8 · 10⁻⁵ too large (a typo in the fifth digit). We use the
///   exact constant by default; `DequantizationConstant.bitsandbytesCPU` reproduces the
///   CPU output for the reference test.
///
/// ## Bad input
/// Every entry point checks its input and throws `LLMInt8Error` — never a crash: non-2-D
/// operands, mismatched inner dimensions, a bias of the wrong length, a negative or NaN
/// threshold, and **NaN or ±∞ anywhere in X or W** (named by matrix, row and column: a NaN
/// would silently turn its whole row of X into NaNs through the row absmax).
///
/// ### See Also
/// `Absmax` (Chapter 2: absmax, granularity, the Int32 matmul), `VectorwiseQuantizer`,
/// `LLMInt8.matmul`, `Linear8bit`, `EmergentOutlierGenerator`, `OutlierStudy`, `ModelMemory`.
public enum LLMInt8 {
    /// The paper's default outlier threshold α.
    public static let defaultThreshold: Float = 6
}

/// Why an LLM.int8() operation was refused — each case reads as one line for the CLI.
public enum LLMInt8Error: Error, Equatable, Sendable, CustomStringConvertible {
    case notAMatrix(name: String, shape: [Int])
    case innerDimensionMismatch(xShape: [Int], wShape: [Int])
    /// The inner dimension is so long that an Int32 sum of int8 products could overflow.
    case innerDimensionTooLarge(Int)
    case nonFiniteValue(name: String, row: Int, column: Int, value: Float)
    /// With `emulateFloat16Inputs`, a value beyond float16's range (|x| ≥ 65 520 rounds to ∞).
    case beyondFloat16Range(name: String, row: Int, column: Int, value: Float)
    case invalidThreshold(Float)
    case biasLengthMismatch(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .notAMatrix(let name, let shape):
            "\(name) must be a 2-D matrix, got shape \(shape)"
        case .innerDimensionMismatch(let x, let w):
            "inner dimensions differ: X is \(x) but W (out × in) is \(w); X's columns must equal W's columns"
        case .innerDimensionTooLarge(let k):
            "inner dimension \(k) exceeds \(Int8Matmul.maxInnerDimension), where an Int32 accumulator could overflow"
        case .nonFiniteValue(let name, let row, let column, let value):
            "\(name)[\(row), \(column)] is \(value); LLM.int8() needs finite inputs"
        case .beyondFloat16Range(let name, let row, let column, let value):
            "\(name)[\(row), \(column)] = \(value) overflows float16 (|x| ≥ 65520) under float16 emulation"
        case .invalidThreshold(let t):
            "outlier threshold must be ≥ 0 (0 turns decomposition off), got \(t)"
        case .biasLengthMismatch(let expected, let got):
            "bias has \(got) values, expected one per output feature (\(expected))"
        }
    }

    /// Throws unless `t` is a 2-D matrix of finite values.
    static func checkMatrix(_ t: Tensor, name: String) throws(LLMInt8Error) {
        guard t.rank == 2 else { throw .notAMatrix(name: name, shape: t.shape) }
        if let i = t.data.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(name: name, row: i / t.cols, column: i % t.cols, value: t.data[i])
        }
    }

    static func checkThreshold(_ t: Float) throws(LLMInt8Error) {
        guard t >= 0 else { throw .invalidThreshold(t) }  // also rejects NaN
    }
}
