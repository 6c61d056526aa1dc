import Absmax
import Core

/// A linear layer y = x · Wᵀ + b whose weight is stored in int8, the way bitsandbytes'
/// `Linear8bitLt` holds it at inference: W is quantized **once**, row by row (CB codes and
/// SCB row absmax), and every `forward` quantizes only the activations.
///
/// ```
/// weight:         CB [out][in] Int8 + SCB [out] Float (vector-wise, threshold 0)
/// outlierWeights: [out][in] Float — the float weights the outlier columns meet:
///                 CB·SCB/127 (bitsandbytes) or W itself (the paper, memory 4 bytes/param)
/// bias:           [out] Float, or nil
/// ```
public struct Linear8bit: Sendable {
    public let weight: VectorwiseQuantized
    public let bias: [Float]?
    public let options: LLMInt8Options
    /// The float weights for the outlier columns (see the layout above).
    public let outlierWeights: Tensor

    public var inFeatures: Int { weight.cols }
    public var outFeatures: Int { weight.rows }

    /// Quantizes `weight` (out × in). Throws for a non-matrix, non-finite values, a bias of
    /// the wrong length, an invalid threshold, or — under float16 emulation — weights
    /// beyond float16's range.
    public init(weight w: Tensor, bias: [Float]? = nil, options: LLMInt8Options = LLMInt8Options()) throws(LLMInt8Error) {
        try LLMInt8Error.checkMatrix(w, name: "W")
        try LLMInt8Error.checkThreshold(options.threshold)
        guard w.cols <= Int8Matmul.maxInnerDimension else { throw .innerDimensionTooLarge(w.cols) }
        if let bias, bias.count != w.rows { throw .biasLengthMismatch(expected: w.rows, got: bias.count) }
        let stored = options.emulateFloat16Inputs ? try Linear8bit.float16(w, name: "W") : w
        let quantized = try VectorwiseQuantizer.quantize(stored, threshold: 0, name: "W")
        self.weight = quantized
        self.bias = bias
        self.options = options
        switch options.outlierWeights {
        case .dequantizedInt8: outlierWeights = quantized.dequantized()
        case .original: outlierWeights = stored
        }
    }

    /// Y = X · Wᵀ + b through LLM.int8(). X is tokens × in.
    public func forward(_ x: Tensor) throws(LLMInt8Error) -> LLMInt8Product {
        try LLMInt8Error.checkMatrix(x, name: "X")
        guard x.cols == inFeatures else {
            throw .innerDimensionMismatch(xShape: x.shape, wShape: [outFeatures, inFeatures])
        }
        // 1. Quantize X row-wise, outlier columns split off (on float16 values if emulating).
        let quantizedInput = options.emulateFloat16Inputs ? try Linear8bit.float16(x, name: "X") : x
        let xq = try VectorwiseQuantizer.quantize(quantizedInput, threshold: options.threshold)
        // 2. Int8 × int8 → Int32, then rescale by c_x ⊗ c_w / 127² and add the bias.
        let (m, k, n) = (x.rows, inFeatures, outFeatures)
        let c = Int8Matmul.product(xq.codes, weight.codes, m: m, k: k, n: n)
        let int8Part = LLMInt8.dequantizeProduct(
            c, rowAbsmaxX: xq.rowAbsmax, rowAbsmaxW: weight.rowAbsmax, bias: bias,
            constant: options.dequantizationConstant)
        // 3. The outlier columns of the ORIGINAL X (not float16-rounded — bitsandbytes
        //    slices A before the cast) times the chosen float weights.
        let floatPart =
            xq.outlierColumns.isEmpty
            ? [Float](repeating: 0, count: m * n)
            : LLMInt8.outlierProduct(x, weight: outlierWeights, outlierColumns: xq.outlierColumns)
        var output = int8Part
        for i in output.indices { output[i] += floatPart[i] }
        return LLMInt8Product(
            output: Tensor(shape: [m, n], data: output),
            int8Part: Tensor(shape: [m, n], data: int8Part),
            floatPart: Tensor(shape: [m, n], data: floatPart),
            activations: xq)
    }

    /// `t` with every value rounded to float16, or an error naming the first value that
    /// would overflow to infinity.
    static func float16(_ t: Tensor, name: String) throws(LLMInt8Error) -> Tensor {
        if let i = t.data.firstIndex(where: { abs($0) >= Float16Rounding.overflowThreshold }) {
            throw .beyondFloat16Range(name: name, row: i / t.cols, column: i % t.cols, value: t.data[i])
        }
        return t.map(Float16Rounding.rounded)
    }
}
