import NN
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
    /// What a data-aware scheme measured on each layer it calibrated, in quantization order
    /// (empty for the data-free schemes: float, round-to-nearest, NF4).
    public let layers: [LayerCalibration]

    public init(
        label: String, model: TinyGPTModel, bitsPerWeight: Double, seconds: Double,
        layers: [LayerCalibration] = []
    ) {
        self.label = label
        self.model = model
        self.bitsPerWeight = bitsPerWeight
        self.seconds = seconds
        self.layers = layers
    }
}

extension TinyGPTModel {
    /// The linear slots post-training quantization replaces: every linear layer of every
    /// block, in parameter order. The head (the projection onto the vocabulary) stays float32.
    public var blockLinearNames: [String] { linearLayers.map(\.name).filter { $0 != "head" } }

    /// The layers behind `blockLinearNames`, each a plain `Linear` (a model with adapters or
    /// already-swapped layers is not a base a scheme can quantize).
    public var blockLinears: [(name: String, layer: Linear)] {
        linearLayers.filter { $0.name != "head" }.map { slot in
            guard let linear = slot.layer as? Linear else {
                preconditionFailure("PostTraining: \(slot.name) is not a plain Linear")
            }
            return (slot.name, linear)
        }
    }
}
