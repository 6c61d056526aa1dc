/// The knobs of an LLM.int8() matrix multiplication. Defaults: the algorithm of the paper
/// with bitsandbytes' inference behaviour for the outlier weights and the exact 1/127².
public struct LLMInt8Options: Equatable, Sendable {
    /// Outlier threshold α: feature columns of X holding any |x| ≥ α are multiplied in
    /// float. 0 turns the decomposition off (pure vector-wise int8).
    public var threshold: Float
    /// Which weights multiply the outlier columns of X.
    public var outlierWeights: OutlierWeights
    /// Round X and W to float16 before quantizing, as `Linear8bitLt` does (see
    /// `Float16Rounding`). The float outlier path still uses X as given, as bitsandbytes does.
    public var emulateFloat16Inputs: Bool
    /// The constant that stands for 1/127² in the rescale.
    public var dequantizationConstant: DequantizationConstant

    public init(
        threshold: Float = LLMInt8.defaultThreshold,
        outlierWeights: OutlierWeights = .dequantizedInt8,
        emulateFloat16Inputs: Bool = false,
        dequantizationConstant: DequantizationConstant = .exact
    ) {
        self.threshold = threshold
        self.outlierWeights = outlierWeights
        self.emulateFloat16Inputs = emulateFloat16Inputs
        self.dequantizationConstant = dequantizationConstant
    }

    /// Everything bitsandbytes 0.50.2's `Linear8bitLt` does on the CPU (the reference
    /// vectors' producer): float16 inputs, dequantized outlier weights, 6.200124e−05.
    public static func bitsandbytesCPU(threshold: Float = LLMInt8.defaultThreshold) -> LLMInt8Options {
        LLMInt8Options(
            threshold: threshold, outlierWeights: .dequantizedInt8,
            emulateFloat16Inputs: true, dequantizationConstant: .bitsandbytesCPU)
    }
}

/// The weights the outlier columns of X are multiplied with.
public enum OutlierWeights: String, Equatable, Sendable {
    /// W's int8 codes dequantized, CB · SCB / 127 — bitsandbytes at inference
    /// (`has_fp16_weights=False`: the float weights are gone once the layer is quantized).
    case dequantizedInt8 = "bitsandbytes"
    /// The original weights (rounded to float16 when `emulateFloat16Inputs`) — the paper's
    /// §3.2, which keeps the 16-bit weights of the outlier columns.
    case original = "paper"
}

/// The factor that stands for 1/127² when the Int32 product is rescaled.
public enum DequantizationConstant: String, Equatable, Sendable {
    /// Float(1/16129) = 6.200012e−05 — what bitsandbytes' CUDA kernel uses.
    case exact
    /// 6.200124e−05, hard-coded in bitsandbytes' CPU / pure-PyTorch fallback
    /// (`backends/default/ops.py`), 1.8 · 10⁻⁵ larger than 1/127².
    case bitsandbytesCPU

    public var value: Float {
        switch self {
        case .exact: Float(1.0 / 16129.0)
        case .bitsandbytesCPU: 6.200124e-05
        }
    }
}
