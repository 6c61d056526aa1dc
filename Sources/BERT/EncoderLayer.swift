import Core
import NN

/// One of BERT's Transformer layers, post-LayerNorm as in the original Transformer (Vaswani
/// et al. 2017 §3.1; Devlin et al. 2018 §3; Hugging Face's `BertLayer` = `BertAttention` +
/// `BertIntermediate` + `BertOutput`):
///
/// ```
/// x: [rows][hidden]                                     rows = count · length
/// q, k, v = x W_qᵀ + b_q, x W_kᵀ + b_k, x W_vᵀ + b_v     query, key, value      [rows][384]
/// a = LayerNorm₁( x + context(q, k, v) W_oᵀ + b_o )     attention.output.dense [rows][384]
/// m = GELU( a W_iᵀ + b_i )                              intermediate.dense     [rows][1536]
/// y = LayerNorm₂( a + m W_2ᵀ + b_2 )                    output.dense           [rows][384]
/// ```
///
/// GPT-2 (and TinyGPT) normalise *before* each sublayer; BERT normalises after the residual
/// addition, so every hidden state is a LayerNorm output. Each of the six dense layers is an
/// `any EncoderLinear`, so a quantized one can take its place (`BERTEncoder.replacingLinears`).
/// Dropout (0.1 in training) is absent at inference.
public struct EncoderLayer: Sendable {
    /// The six dense layers in `BERTLinearSlot.allCases` order.
    public private(set) var linears: [any EncoderLinear]
    public let attentionNorm: LayerNormWeights
    public let outputNorm: LayerNormWeights
    public let heads: Int

    public init(
        linears: [any EncoderLinear], attentionNorm: LayerNormWeights,
        outputNorm: LayerNormWeights, heads: Int
    ) {
        precondition(linears.count == BERTLinearSlot.allCases.count, "a layer has six dense layers")
        self.linears = linears
        self.attentionNorm = attentionNorm
        self.outputNorm = outputNorm
        self.heads = heads
    }

    /// Layer `index` of a checkpoint, its dense layers as `FloatLinear`s.
    init(checkpoint: BERTCheckpoint, index: Int) throws {
        var linears: [any EncoderLinear] = []
        for slot in BERTLinearSlot.allCases {
            let name = slot.name(layer: index)
            guard let w = checkpoint.tensors[name + ".weight"],
                let b = checkpoint.tensors[name + ".bias"]
            else { throw BERTError.badTensor("no tensor \(name).weight or .bias") }
            linears.append(FloatLinear(weight: w, bias: b.data))
        }
        let prefix = "encoder.layer.\(index)."
        self.init(
            linears: linears,
            attentionNorm: try LayerNormWeights(checkpoint, prefix + "attention.output.LayerNorm"),
            outputNorm: try LayerNormWeights(checkpoint, prefix + "output.LayerNorm"),
            heads: checkpoint.config.headCount)
    }

    public subscript(slot: BERTLinearSlot) -> any EncoderLinear {
        get { linears[Self.position(slot)] }
        set {
            precondition(
                newValue.inFeatures == linears[Self.position(slot)].inFeatures
                    && newValue.outFeatures == linears[Self.position(slot)].outFeatures,
                "a replacement dense layer must keep its shape")
            linears[Self.position(slot)] = newValue
        }
    }

    /// The slot's index in `linears` (its place in `BERTLinearSlot.allCases`).
    static func position(_ slot: BERTLinearSlot) -> Int {
        switch slot {
        case .query: return 0
        case .key: return 1
        case .value: return 2
        case .attentionOutput: return 3
        case .intermediate: return 4
        case .output: return 5
        }
    }

    /// y [rows][hidden] from x [rows][hidden]. `observe`, when given, sees each dense layer's
    /// input (all rows, padding included) just before the layer runs.
    func forward(
        _ x: Tensor, batch: TokenBatch, observe: ((BERTLinearSlot, Tensor) -> Void)?
    ) -> Tensor {
        let hasPadding = batch.realTokenCount < batch.ids.count
        func dense(_ slot: BERTLinearSlot, _ input: Tensor) -> Tensor {
            observe?(slot, input)
            guard hasPadding else { return self[slot].forward(input) }
            // Only the real rows go through the product; padding rows come back as zeros.
            let real = self[slot].forward(BERTEncoder.realRows(input, batch))
            return Self.scatterRealRows(real, batch)
        }
        let q = dense(.query, x), k = dense(.key, x), v = dense(.value, x)
        let context = PaddedSelfAttention.forward(
            query: q, key: k, value: v, batch: batch, heads: heads)
        var attended = dense(.attentionOutput, context)
        add(x, into: &attended)
        let a = attentionNorm.apply(attended)
        var m = dense(.intermediate, a)
        ExactGELU.apply(&m.data)
        var y = dense(.output, m)
        add(a, into: &y)
        return outputNorm.apply(y)
    }

    /// [count · length][c] from the real rows [real tokens][c] (`BERTEncoder.realRows`'s
    /// inverse), with zeros in the padding rows.
    ///
    /// Why: sentence-transformers runs every dense layer on the padded rows too; skipping them
    /// saves the padding's share of the products (10–20 % in length-sorted batches of 32).
    /// A padding row is only ever read as a masked key, so what it holds changes nothing.
    static func scatterRealRows(_ real: Tensor, _ batch: TokenBatch) -> Tensor {
        let c = real.cols
        var out = [Float](repeating: 0, count: batch.ids.count * c)
        var source = 0
        for b in 0..<batch.count {
            let target = b * batch.length * c, n = batch.lengths[b] * c
            out.replaceSubrange(target..<(target + n), with: real.data[source..<(source + n)])
            source += n
        }
        return Tensor(shape: [batch.ids.count, c], data: out)
    }

    /// The residual connection: y += x, element by element (HF: `dense(h) + input_tensor`).
    func add(_ x: Tensor, into y: inout Tensor) {
        precondition(x.shape == y.shape, "residual: \(x.shape) vs \(y.shape)")
        x.data.withUnsafeBufferPointer { x in
            y.data.withUnsafeMutableBufferPointer { y in
                for i in 0..<y.count { y[i] += x[i] }
            }
        }
    }
}
