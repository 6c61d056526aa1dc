import ArgumentParser
import Core
import LLMInt8
import TensorIO

/// `lowbit int8-matmul X.npy W.npy --out Y.npy [--threshold T] [--paper-outliers] [--json]`
///
/// Y = X · Wᵀ through LLM.int8(): X is tokens × in, W is out × in (the `nn.Linear` layout).
/// Feature columns of X holding any |x| ≥ T are multiplied in float32 and added back;
/// T = 0 turns the decomposition off (plain vector-wise int8).
struct Int8MatmulCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "int8-matmul",
        abstract: "Multiply X · Wᵀ with LLM.int8() (vector-wise int8 plus float outlier columns).",
        discussion: """
            X is tokens × in, W is out × in; Y is tokens × out, float32. By default the outlier \
            columns are multiplied with the int8-dequantized weights, as bitsandbytes does at \
            inference; --paper-outliers uses the original weights, as the paper describes. \
            Y may hold at most 67108864 values (256 MiB); a larger product is refused.
            """)

    @Argument(help: "Activations X (.npy, tokens × in).")
    var x: String

    @Argument(help: "Weights W (.npy, out × in).")
    var w: String

    @Option(help: "Output: Y = X · Wᵀ (float32, tokens × out).")
    var out: String

    @Option(help: "Outlier threshold: a column of X with any |x| ≥ T stays in float (0 disables).")
    var threshold: Float = LLMInt8.defaultThreshold

    @Flag(help: "Multiply outlier columns by the original weights (the paper) instead of the int8-dequantized ones (bitsandbytes).")
    var paperOutliers = false

    @Flag(help: "Print one JSON object with the outlier columns and the error against float32 on stdout.")
    var json = false

    /// The largest Y this command computes: 2^26 values (256 MiB of float32). The product, its
    /// float32 reference and their int32 and float intermediates each hold one Y, so this
    /// keeps a run under about 1.5 GiB; two 160 KB inputs of 40000 × 1 used to ask for 6.4 GB
    /// (issue #14). A bigger product is refused before anything is allocated.
    static let maximumOutputValues = 1 << 26

    func validate() throws {
        guard threshold.isFinite && threshold >= 0 else {
            throw ValidationError("--threshold must be a finite number ≥ 0, got \(threshold)")
        }
    }

    func run() throws {
        let xIn = try FloatInput.load(x)
        let wIn = try FloatInput.load(w)
        guard xIn.shape.count == 2 else { throw CLIError("\(x): X must be 2-D (tokens × in), got shape \(xIn.shape)") }
        guard wIn.shape.count == 2 else { throw CLIError("\(w): W must be 2-D (out × in), got shape \(wIn.shape)") }
        guard xIn.shape[1] == wIn.shape[1] else {
            throw CLIError(
                "inner dimensions differ: X is \(xIn.shape[0]) × \(xIn.shape[1]) but W is \(wIn.shape[0]) × \(wIn.shape[1]) (out × in)")
        }
        let (tokens, outFeatures) = (xIn.shape[0], wIn.shape[0])
        let (outputCount, overflow) = tokens.multipliedReportingOverflow(by: outFeatures)
        guard !overflow, outputCount <= Self.maximumOutputValues else {
            throw CLIError(
                "Y would be \(tokens) × \(outFeatures) values, more than int8-matmul's limit of "
                    + "\(Self.maximumOutputValues) (\(Self.maximumOutputValues / (1 << 18)) MiB of float32)")
        }
        let xt = Tensor(shape: xIn.shape, data: xIn.values)
        let wt = Tensor(shape: wIn.shape, data: wIn.values)
        let options = LLMInt8Options(threshold: threshold, outlierWeights: paperOutliers ? .original : .dequantizedInt8)
        let product = try LLMInt8.matmul(xt, wt, options: options)
        try writeOutputs([(out, RawTensor(float32: product.output.data, shape: product.output.shape))])

        let reference = try OutlierStudy.floatProduct(xt, wt)
        let relativeError = OutlierStudy.relativeError(product.output, reference: reference)
        if json {
            var report = JSONReport()
            report.add("shape", product.output.shape)
            report.add("threshold", Double(threshold))
            report.add("outlier_weights", options.outlierWeights.rawValue)
            report.add("outlier_columns", product.outlierColumns)
            report.add("outlier_count", product.outlierColumns.count)
            report.add("fraction_in_float", product.fractionInFloat)
            report.add("relative_error", relativeError)
            print(report.text)
        } else {
            print(
                "Y: \(product.output.shape[0]) × \(product.output.shape[1]); \(product.outlierColumns.count) outlier columns; "
                    + "relative error vs float32 \(relativeError)")
        }
    }
}
