import Absmax
import Core

/// How three int8 schemes fare against the float product Y = X · Wᵀ — the measurement
/// behind Chapter 3's "relative error against outlier magnitude" figure.
///
/// ```
/// relative error = ‖Ŷ − Y‖_F / ‖Y‖_F        (accumulated in Double)
/// ```
public struct OutlierStudyResult: Equatable, Sendable {
    /// One absmax for all of X and one for all of W (Chapter 2's per-tensor scheme).
    public let perTensorError: Double
    /// One absmax per row of X and per row of W, no decomposition (threshold 0).
    public let vectorwiseError: Double
    /// Vector-wise plus mixed-precision decomposition at `threshold`.
    public let llmInt8Error: Double
    public let threshold: Float
    /// Columns of X multiplied in float by LLM.int8().
    public let outlierColumns: [Int]
    /// Fraction of X's values with |x| ≥ threshold.
    public let outlierValueFraction: Double
    /// Fraction of feature dimensions (= of values) that LLM.int8() keeps in float.
    public let floatFeatureFraction: Double
}

public enum OutlierStudy {
    /// Runs the three schemes on X (tokens × in) and W (out × in) and measures each.
    public static func compare(
        x: Tensor, w: Tensor, threshold: Float = LLMInt8.defaultThreshold,
        outlierWeights: OutlierWeights = .dequantizedInt8
    ) throws(LLMInt8Error) -> OutlierStudyResult {
        let reference = try floatProduct(x, w)
        let perTensor = try perTensorProduct(x, w)
        let vectorwise = try LLMInt8.matmul(x, w, options: LLMInt8Options(threshold: 0))
        let mixed = try LLMInt8.matmul(
            x, w, options: LLMInt8Options(threshold: threshold, outlierWeights: outlierWeights))
        let outlierValues = x.data.filter { threshold > 0 && abs($0) >= threshold }.count
        return OutlierStudyResult(
            perTensorError: relativeError(perTensor, reference: reference),
            vectorwiseError: relativeError(vectorwise.output, reference: reference),
            llmInt8Error: relativeError(mixed.output, reference: reference),
            threshold: threshold,
            outlierColumns: mixed.outlierColumns,
            outlierValueFraction: x.count == 0 ? 0 : Double(outlierValues) / Double(x.count),
            floatFeatureFraction: mixed.fractionInFloat)
    }

    /// Y = X · Wᵀ in float32 (the reference), through Core's `Matmul`.
    public static func floatProduct(_ x: Tensor, _ w: Tensor) throws(LLMInt8Error) -> Tensor {
        try checkOperands(x, w)
        let y = Matmul.productTransposingB(x.data, w.data, m: x.rows, k: x.cols, n: w.rows)
        return Tensor(shape: [x.rows, w.rows], data: y)
    }

    /// Y ≈ X · Wᵀ with one absmax scale for X and one for W (Chapter 2's per-tensor int8).
    public static func perTensorProduct(_ x: Tensor, _ w: Tensor) throws(LLMInt8Error) -> Tensor {
        try checkOperands(x, w)
        // Both inputs are finite 2-D matrices (checked), so per-tensor quantization cannot fail.
        guard let qx = try? Absmax.quantize(x), let qw = try? Absmax.quantize(w) else {
            preconditionFailure("per-tensor quantization of a checked matrix failed")
        }
        let c = Int8Matmul.product(qx.codes, qw.codes, m: x.rows, k: x.cols, n: w.rows)
        let y = Int8Matmul.dequantize(
            c, rowScales: [Float](repeating: qx.scales[0], count: x.rows),
            colScales: [Float](repeating: qw.scales[0], count: w.rows))
        return Tensor(shape: [x.rows, w.rows], data: y)
    }

    /// ‖Ŷ − Y‖_F / ‖Y‖_F, 0 when both are zero.
    public static func relativeError(_ yHat: Tensor, reference y: Tensor) -> Double {
        precondition(yHat.shape == y.shape, "shapes \(yHat.shape) and \(y.shape) differ")
        var noise = 0.0
        var signal = 0.0
        for i in y.data.indices {
            let d = Double(yHat.data[i]) - Double(y.data[i])
            noise += d * d
            signal += Double(y.data[i]) * Double(y.data[i])
        }
        if signal == 0 { return noise == 0 ? 0 : .infinity }
        return (noise / signal).squareRoot()
    }

    static func checkOperands(_ x: Tensor, _ w: Tensor) throws(LLMInt8Error) {
        try LLMInt8Error.checkMatrix(x, name: "X")
        try LLMInt8Error.checkMatrix(w, name: "W")
        guard x.cols == w.cols else { throw .innerDimensionMismatch(xShape: x.shape, wShape: w.shape) }
        guard x.cols <= Int8Matmul.maxInnerDimension else { throw .innerDimensionTooLarge(x.cols) }
    }
}
