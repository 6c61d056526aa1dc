import Core
import NN

/// The character-level GPT: embeddings, `layers` transformer blocks, a final LayerNorm and
/// an untied output head (see the module comment in `GPTConfig.swift`).
///
/// ```
/// ids:    [B][T] Int, T ≤ contextLength
/// wte:    [V][C]    token embedding          wpe: [contextLength][C] position embedding
/// x:      [B][T][C] = wte[ids] + wpe[t]
/// blocks: x → x                               (TransformerBlock)
/// lnf:    LayerNorm(C)
/// head:   Linear(C → V, no bias), W: [V][C]
/// logits: [B][T][V]
/// ```
public final class TinyGPTModel {
    public let config: GPTConfig
    public let tokenEmbedding: Embedding
    public let positionEmbedding: Embedding
    public let blocks: [TransformerBlock]
    public let finalNorm: LayerNorm
    /// The output head; `any Layer` so that LoRA can wrap it like every other Linear.
    public var head: any Layer
    private let criterion = SoftmaxCrossEntropy()

    /// A freshly initialised model; `rng` draws every weight, in parameter order.
    public init(config: GPTConfig, rng: inout SeededRNG) {
        self.config = config
        let c = config.channels
        tokenEmbedding = Embedding(vocabulary: config.vocabularySize, dimension: c, std: 0.02, name: "wte", rng: &rng)
        positionEmbedding = Embedding(vocabulary: config.contextLength, dimension: c, std: 0.02, name: "wpe", rng: &rng)
        blocks = (0..<config.layers).map { i in
            TransformerBlock(
                channels: c, heads: config.heads, mlpRatio: config.mlpRatio, name: "blocks.\(i)", rng: &rng)
        }
        finalNorm = LayerNorm(features: c, name: "lnf")
        head = Linear(inFeatures: c, outFeatures: config.vocabularySize, bias: false, name: "head", rng: &rng)
    }

    /// Every parameter in a fixed order: wte, wpe, the blocks in order, lnf, head. Frozen
    /// parameters are included (optimizers skip them).
    public var parameters: [Parameter] {
        tokenEmbedding.parameters + positionEmbedding.parameters + blocks.flatMap(\.parameters)
            + finalNorm.parameters + head.parameters
    }

    /// logits [B][T][V] for token ids [B][T].
    public func forward(_ ids: [Int], batchSize: Int, time: Int) -> Tensor {
        precondition(ids.count == batchSize * time, "TinyGPT: \(ids.count) ids are not \(batchSize) × \(time)")
        precondition(time >= 1 && time <= config.contextLength,
                     "TinyGPT: \(time) positions, the context holds \(config.contextLength)")
        var x = tokenEmbedding.forward(ids, leadingShape: [batchSize, time])
        let positions = (0..<batchSize).flatMap { _ in 0..<time }
        let p = positionEmbedding.forward(positions, leadingShape: [batchSize, time])
        for i in x.data.indices { x.data[i] += p.data[i] }
        for block in blocks { x = block.forward(x) }
        return head.forward(finalNorm.forward(x))
    }

    /// Backward from dL/dlogits, accumulating every parameter's gradient. Token ids have no
    /// gradient; the embedding gradient is a scatter into the rows that were read.
    public func backward(_ dLogits: Tensor) {
        var dx = finalNorm.backward(head.backward(dLogits))
        for block in blocks.reversed() { dx = block.backward(dx) }
        tokenEmbedding.backward(dx)
        positionEmbedding.backward(dx)
    }

    /// One training step's worth of work: zeroes the gradients, runs forward and backward,
    /// and returns the mean cross-entropy (nats per character) of the batch.
    public func lossAndGradients(_ batch: Corpus.Batch) -> Float {
        parameters.zeroGrad()
        let logits = forward(batch.inputs, batchSize: batch.batchSize, time: batch.time)
        let loss = criterion.forward(logits, targets: batch.targets)
        backward(criterion.backward())
        return loss
    }

    /// The mean cross-entropy of a batch without touching gradients.
    public func loss(_ batch: Corpus.Batch) -> Float {
        let logits = forward(batch.inputs, batchSize: batch.batchSize, time: batch.time)
        return SoftmaxCrossEntropy().forward(logits, targets: batch.targets)
    }

    /// The mean loss over a list of batches (every position of every window weighs the same).
    public func meanLoss(_ batches: [Corpus.Batch]) -> Double {
        precondition(!batches.isEmpty, "TinyGPT: no batches to evaluate")
        var total = 0.0, positions = 0
        for batch in batches {
            total += Double(loss(batch)) * Double(batch.targets.count)
            positions += batch.targets.count
        }
        return total / Double(positions)
    }

    /// A fresh float copy (a model without adapters): the same config, every weight copied
    /// bit for bit and trainable, so nothing done to the copy changes the original.
    public func copy() -> TinyGPTModel {
        var rng = SeededRNG(seed: 0)  // every value is overwritten below
        let model = TinyGPTModel(config: config, rng: &rng)
        for (copy, original) in zip(model.parameters, parameters) {
            precondition(copy.name == original.name && copy.shape == original.shape,
                         "TinyGPT: \(original.name) is not a plain TinyGPT parameter (adapters?)")
            copy.value = original.value
        }
        precondition(model.parameters.count == parameters.count, "TinyGPT: the model holds adapters")
        return model
    }

    // MARK: Replaceable linear layers

    /// The name and current layer of every linear slot, in parameter order:
    /// `blocks.i.attn.{query,key,value,output}`, `blocks.i.mlp.{fc,proj}`, `head`.
    public var linearLayers: [(name: String, layer: any Layer)] {
        var list: [(name: String, layer: any Layer)] = []
        for (i, block) in blocks.enumerated() {
            let a = block.attention, prefix = "blocks.\(i)"
            list += [("\(prefix).attn.query", a.query), ("\(prefix).attn.key", a.key),
                     ("\(prefix).attn.value", a.value), ("\(prefix).attn.output", a.output),
                     ("\(prefix).mlp.fc", block.mlp.fc), ("\(prefix).mlp.proj", block.mlp.proj)]
        }
        return list + [("head", head)]
    }

    /// Puts `transform(name, layer)` in every linear slot — how an adapter library injects
    /// itself (peft's `get_peft_model` walks `named_modules()` the same way). The transform
    /// returns the layer unchanged for slots it does not target.
    public func replaceLinearLayers(_ transform: (_ name: String, _ layer: any Layer) throws -> any Layer) rethrows {
        for (i, block) in blocks.enumerated() {
            let a = block.attention, prefix = "blocks.\(i)"
            a.query = try transform("\(prefix).attn.query", a.query)
            a.key = try transform("\(prefix).attn.key", a.key)
            a.value = try transform("\(prefix).attn.value", a.value)
            a.output = try transform("\(prefix).attn.output", a.output)
            block.mlp.fc = try transform("\(prefix).mlp.fc", block.mlp.fc)
            block.mlp.proj = try transform("\(prefix).mlp.proj", block.mlp.proj)
        }
        head = try transform("head", head)
    }
}
