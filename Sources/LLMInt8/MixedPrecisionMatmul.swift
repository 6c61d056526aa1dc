import Absmax
import Core

/// The result of Y = X · Wᵀ through LLM.int8(), with its parts kept for inspection.
///
/// ```
/// output:    [tokens][out] Float = int8Part + floatPart
/// int8Part:  [tokens][out] Float — the rescaled Int32 product, plus the bias
/// floatPart: [tokens][out] Float — the outlier columns' float product (all 0 without outliers)
/// ```
public struct LLMInt8Product: Sendable {
    public let output: Tensor
    public let int8Part: Tensor
    public let floatPart: Tensor
    /// X as quantized inside the product (bitsandbytes' CA, SCA and outlier_cols).
    public let activations: VectorwiseQuantized

    /// The feature columns of X that were multiplied in float.
    public var outlierColumns: [Int] { activations.outlierColumns }
    /// The fraction of X's values multiplied in float: whole columns, so it equals the
    /// fraction of feature dimensions (the paper's "0.1%" for large models).
    public var fractionInFloat: Double {
        activations.cols == 0 ? 0 : Double(outlierColumns.count) / Double(activations.cols)
    }
}

extension LLMInt8 {
    /// Y = X · Wᵀ (+ bias) through LLM.int8(): X is tokens × in, W is out × in (nn.Linear).
    ///
    /// Quantizes W on every call; to quantize it once, make a `Linear8bit`.
    public static func matmul(
        _ x: Tensor, _ w: Tensor, bias: [Float]? = nil, options: LLMInt8Options = LLMInt8Options()
    ) throws(LLMInt8Error) -> LLMInt8Product {
        try Linear8bit(weight: w, bias: bias, options: options).forward(x)
    }

    /// int8Part[i][j] = C[i][j] · (c_x[i] · c_w[j]) · (1/127²) + bias[j], in float32.
    ///
    /// The order is bitsandbytes' (`int8_mm_dequant`), and bit-exact results need it — four
    /// roundings, in this order:
    /// ```
    /// stats = rowAbsmaxX[i] * rowAbsmaxW[j]          the outer product of the row statistics
    /// y     = (Float(C[i][j]) * stats) * constant    the accumulator times it, then the constant
    /// y     = y + bias[j]                            then the bias (when there is one)
    /// ```
    /// C · (stats · constant) or (C · constant) · stats are the same number on paper and up
    /// to 2 ulp away in float32.
    ///
    /// ```
    /// c:        [m][n] Int32, row-major (m = rowAbsmaxX.count, n = rowAbsmaxW.count)
    /// bias:     [n] Float or nil
    /// returns   [m][n] Float
    /// ```
    public static func dequantizeProduct(
        _ c: [Int32], rowAbsmaxX: [Float], rowAbsmaxW: [Float], bias: [Float]?,
        constant: DequantizationConstant
    ) -> [Float] {
        precondition(
            c.count == rowAbsmaxX.count * rowAbsmaxW.count,
            "\(c.count) accumulators for \(rowAbsmaxX.count)×\(rowAbsmaxW.count) statistics")
        precondition((bias?.count ?? rowAbsmaxW.count) == rowAbsmaxW.count, "one bias per output feature")
        // BEGIN EXERCISE 3c — rescale the Int32 product
        let (m, n) = (rowAbsmaxX.count, rowAbsmaxW.count)
        let factor = constant.value
        var out = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                let stats = rowAbsmaxX[i] * rowAbsmaxW[j]
                var y = (Float(c[i * n + j]) * stats) * factor
                if let bias { y += bias[j] }
                out[i * n + j] = y
            }
        }
        return out
        // END EXERCISE 3c
    }

    /// floatPart[i][j] = Σ_{h ∈ outlierColumns} X[i][h] · weight[j][h], in float32.
    ///
    /// The order of the sum is prescribed, so that every result is bit-exact: start from 0
    /// and add the products in the order of `outlierColumns`,
    /// `sum = sum + x[i, h] * weight[j, h]` (BLAS' `addmm` in bitsandbytes may order it
    /// differently — a difference of float rounding only, which `LLMInt8ReferenceTests`
    /// allows for).
    ///
    /// ```
    /// x:       [m][in] Float (tokens × in), the ORIGINAL activations
    /// weight:  [n][in] Float (out × in), already the weights the options ask for
    /// returns  [m][n] Float, row-major
    /// ```
    public static func outlierProduct(_ x: Tensor, weight: Tensor, outlierColumns: [Int]) -> [Float] {
        // BEGIN EXERCISE 3d — the outlier columns in float
        let (m, n) = (x.rows, weight.rows)
        var out = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for h in outlierColumns { sum += x[i, h] * weight[j, h] }
                out[i * n + j] = sum
            }
        }
        return out
        // END EXERCISE 3d
    }
}
