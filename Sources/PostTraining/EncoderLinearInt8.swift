import BERT
import Core
import LLMInt8

/// LLM.int8() as a dense layer of the encoder: bitsandbytes' `Linear8bitLt` at inference
/// (Dettmers et al. 2022, arXiv:2208.07339, §3.1–3.2), through Chapter 3's `Linear8bit`:
///
/// ```
/// stored:  CB [out, in] int8 + SCB [out] float32     W row by row, once, when built
/// forward: O   = feature columns of x with any |x| ≥ 6          (this call's outliers)
///          X8  = x row by row in int8, columns O zeroed
///          y   = (X8 · CBᵀ) ⊙ (SCA ⊗ SCB) / 127²  +  x[:, O] · Ŵ[:, O]ᵀ  +  b
///                int8 × int8 → Int32                  float32, Ŵ = CB · SCB / 127
/// ```
///
/// Unlike every other scheme here the activations are quantized too, on every call, so the
/// error depends on the sentence: a feature dimension that reaches |x| ≥ 6 in any token of
/// the batch is kept in float for the whole batch (bitsandbytes decides per call, too).
/// We compute in float32 without bitsandbytes' float16 casts and with the exact 1/127²
/// (`LLMInt8Options()`'s defaults; Chapter 3 shows both differences are rounding-sized).
public struct LLMInt8Linear: QuantizedEncoderLinear {
    public let layer: Linear8bit

    /// Quantizes `weight` ([out, in]) row by row; throws for a non-finite weight.
    public init(
        weight: Tensor, bias: [Float], threshold: Float = BERTQuantizationScheme.outlierThreshold
    ) throws {
        layer = try Linear8bit(
            weight: weight, bias: bias, options: LLMInt8Options(threshold: threshold))
    }

    public var scheme: BERTQuantizationScheme { .llmInt8 }
    public var inFeatures: Int { layer.inFeatures }
    public var outFeatures: Int { layer.outFeatures }
    /// One byte per code and a float32 absmax per row (`VectorwiseQuantized.storageBytes`).
    public var storedBits: Int { 8 * layer.weight.storageBytes }
    /// CB · SCB / 127: the weights the float outlier path multiplies by.
    public var dequantizedWeight: Tensor { layer.outlierWeights }

    /// The whole product with its parts (which columns went through float, and how much of
    /// the output they made up). A non-finite x is the one input `Linear8bit` refuses.
    public func product(_ x: Tensor) throws(LLMInt8Error) -> LLMInt8Product {
        try layer.forward(Tensor(shape: [x.count / inFeatures, inFeatures], data: x.data))
    }

    /// y = LLM.int8()(x): [rows, out]. A non-finite input gives an all-NaN output, as it
    /// would poison a float layer's output (the protocol's forward cannot throw).
    public func forward(_ x: Tensor) -> Tensor {
        let rows = x.count / inFeatures
        guard let y = try? product(x) else {
            return Tensor(shape: [rows, outFeatures], repeating: .nan)
        }
        return y.output
    }
}
