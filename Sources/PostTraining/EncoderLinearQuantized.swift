import BERT
import Core

/// A dense layer of the encoder whose weight is stored quantized: what it stores, and the
/// weight it effectively multiplies by.
///
/// ```
/// storedBits        codes + scales + zero points + whatever else the format keeps for W
///                   (the float32 bias is not counted: every scheme keeps it, as bitsandbytes
///                   and llama.cpp do)
/// bitsPerWeight     storedBits / (out · in)
/// dequantizedWeight Ŵ: [out, in] float32, as a reader of the stored format rebuilds it
/// ```
///
/// ### See Also
/// `BERTQuantizationScheme` (the names), `BERTQuantization.quantize` (one layer),
/// `WeightOnlyLinear`, `FourBitLinear`, `LLMInt8Linear`.
public protocol QuantizedEncoderLinear: EncoderLinear {
    var scheme: BERTQuantizationScheme { get }
    var storedBits: Int { get }
    var dequantizedWeight: Tensor { get }
}

extension QuantizedEncoderLinear {
    public var bitsPerWeight: Double {
        Double(storedBits) / Double(inFeatures * outFeatures)
    }
}

/// A weight-only quantized layer: y = x · Ŵᵀ + b in float32, Ŵ the stored weight dequantized
/// once when the layer is built (the schemes whose reader is a plain `to_float`: the int8
/// variants, dynamic8, GPTQ, AWQ and llama.cpp's block types).
///
/// Honest aside: keeping Ŵ in float32 spends 32 bits per weight of memory to compute; the
/// point here is what the *format* does to the embeddings, and `storedBits` is what the
/// format costs. (`FourBitLinear` shows the other way: keep the codes, dequantize per call.)
public struct WeightOnlyLinear: QuantizedEncoderLinear {
    public let scheme: BERTQuantizationScheme
    /// Ŵ: [out, in].
    public let dequantizedWeight: Tensor
    /// b: [out], float32.
    public let bias: [Float]
    public let storedBits: Int
    /// What the scheme stored each row as, when it differs between layers (llama.cpp's
    /// fallback: "Q5_0" for a 384-wide row asked as Q4_K); nil otherwise.
    public let storedType: String?

    public init(
        scheme: BERTQuantizationScheme, dequantizedWeight: Tensor, bias: [Float], storedBits: Int,
        storedType: String? = nil
    ) {
        precondition(
            dequantizedWeight.rank == 2 && bias.count == dequantizedWeight.shape[0],
            "weight [out, in], bias [out]")
        self.scheme = scheme
        self.dequantizedWeight = dequantizedWeight
        self.bias = bias
        self.storedBits = storedBits
        self.storedType = storedType
    }

    public var inFeatures: Int { dequantizedWeight.shape[1] }
    public var outFeatures: Int { dequantizedWeight.shape[0] }

    public func forward(_ x: Tensor) -> Tensor {
        FloatLinear(weight: dequantizedWeight, bias: bias).forward(x)
    }
}
