import Core

/// The BERT encoder: embeddings, then L Transformer layers, giving one vector per token
/// (Devlin et al. 2018, arXiv:1810.04805, §3; Hugging Face's `BertModel` without its pooler,
/// which sentence-transformers does not use).
///
/// ```
/// batch: TokenBatch [count][length]  →  h₀ = embeddings [count · length][hidden]
/// h_l = layer_l(h_{l−1}),  l = 1 … L                    hidden states h₀ … h_L
/// lastHiddenState = h_L                                 (MiniLM: L = 6, hidden = 384)
/// ```
///
/// The encoder is a value: `replacingLinears` returns a new encoder with some dense layers
/// swapped (a quantized model) and leaves this one as it was. Its 6 · L dense layers are
/// named as Hugging Face names the modules (`encoder.layer.3.intermediate.dense`), the names
/// bitsandbytes' and llama.cpp's tools use too.
///
/// ### See Also
/// `BERTTokenizer` (text → ids), `SentenceEmbedder` (sentences → pooled, normalised vectors),
/// `BERTEncoder.linearInputs` and `hiddenAbsmax` (what the quantizers and Chapter 12 observe).
public struct BERTEncoder: Sendable {
    public let config: BERTConfig
    public let embeddings: BERTEmbeddings
    public private(set) var layers: [EncoderLayer]

    /// The float32 encoder of a loaded checkpoint.
    public init(checkpoint: BERTCheckpoint) throws {
        config = checkpoint.config
        embeddings = try BERTEmbeddings(checkpoint: checkpoint)
        layers = try (0..<checkpoint.config.layerCount).map {
            try EncoderLayer(checkpoint: checkpoint, index: $0)
        }
    }

    /// Every dense layer's name, in the order they run (layer 0's query first).
    public var linearNames: [String] {
        layers.indices.flatMap { l in BERTLinearSlot.allCases.map { $0.name(layer: l) } }
    }

    /// The dense layer called `name` (e.g. `encoder.layer.0.attention.self.query`), or nil.
    public func linear(named name: String) -> (any EncoderLinear)? {
        for l in layers.indices {
            for slot in BERTLinearSlot.allCases where slot.name(layer: l) == name {
                return layers[l][slot]
            }
        }
        return nil
    }

    /// A copy whose every dense layer is `transform(name, layer)`: return the layer unchanged
    /// to keep it, or a quantized `EncoderLinear` of the same shape to replace it.
    ///
    /// ```swift
    /// let int8 = encoder.replacingLinears { name, linear in
    ///     name.hasSuffix("intermediate.dense") ? MyInt8Linear(linear) : linear
    /// }
    /// ```
    public func replacingLinears(
        _ transform: (String, any EncoderLinear) throws -> any EncoderLinear
    ) rethrows -> BERTEncoder {
        var copy = self
        for l in layers.indices {
            for slot in BERTLinearSlot.allCases {
                let replacement = try transform(slot.name(layer: l), layers[l][slot])
                guard replacement.inFeatures == layers[l][slot].inFeatures,
                    replacement.outFeatures == layers[l][slot].outFeatures
                else {
                    preconditionFailure("replacingLinears: \(slot.name(layer: l)) changed shape")
                }
                copy.layers[l][slot] = replacement
            }
        }
        return copy
    }

    /// h_L, [count · length][hidden] (padding rows included; `MeanPooling` drops them).
    public func lastHiddenState(_ batch: TokenBatch) throws -> Tensor {
        try run(batch, observer: nil)
    }

    /// What `run` reports as it goes (for `linearInputs`, `hiddenStates`).
    enum Event {
        /// h_l: 0 = the embeddings' output, l = the output of layer l (1-based).
        case hiddenState(Int, Tensor)
        /// The input of a dense layer, all rows, just before it runs.
        case linearInput(String, Tensor)
    }

    /// The forward pass, telling `observer` about every hidden state and dense input.
    func run(_ batch: TokenBatch, observer: ((Event) -> Void)?) throws -> Tensor {
        var h = try embeddings.forward(batch)
        observer?(.hiddenState(0, h))
        for (l, layer) in layers.enumerated() {
            if let observer {
                h = layer.forward(h, batch: batch) { slot, input in
                    observer(.linearInput(slot.name(layer: l), input))
                }
            } else {
                h = layer.forward(h, batch: batch, observe: nil)
            }
            observer?(.hiddenState(l + 1, h))
        }
        return h
    }
}
