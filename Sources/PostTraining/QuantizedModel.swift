import TinyGPT

/// One post-training quantization scheme applied to a whole model.
///
/// The model computes in float32 with each quantized layer's weight replaced by its
/// dequantized value ("fake" or simulated quantization, as the GPTQ and AWQ papers evaluate
/// perplexity): the loss it scores is the loss of the quantized model, whatever kernel would
/// later run it.
public struct QuantizedModel {
    /// A name for tables: "RTN int4 g32", "GPTQ int4 g32 act-order", "NF4 + DQ", …
    public let label: String
    /// The model with every quantized slot's weight replaced by its dequantized value.
    public let model: TinyGPTModel
    /// Stored bits per quantized weight, codes plus every scale, zero and index they need,
    /// counted over the quantized slots only.
    public let bitsPerWeight: Double
    /// Wall-clock seconds the quantization took (calibration forward passes included).
    public let seconds: Double

    public init(label: String, model: TinyGPTModel, bitsPerWeight: Double, seconds: Double) {
        self.label = label
        self.model = model
        self.bitsPerWeight = bitsPerWeight
        self.seconds = seconds
    }
}

extension TinyGPTModel {
    /// The linear slots post-training quantization replaces: every linear layer of every
    /// block, in parameter order. The head (the tied-vocabulary projection) stays float32.
    public var blockLinearNames: [String] { linearLayers.map(\.name).filter { $0 != "head" } }
}
