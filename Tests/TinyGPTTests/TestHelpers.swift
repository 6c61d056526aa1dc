import Core
import NN
import NNTestSupport
import Testing
import TinyGPT

/// A tiny model (V = 29, T = 8, C = 8, 2 heads, 1 block) with every parameter drawn from a
/// normal distribution of a useful size: GPT-2's N(0, 0.02) embeddings would make the finite
/// differences below step across half the values' scale, and LayerNorm's γ = 1, β = 0 would
/// hide a swapped γ/β gradient.
func tinyModel(seed: UInt64, layers: Int = 1, randomizeAll: Bool = true) -> TinyGPTModel {
    var rng = SeededRNG(seed: seed)
    let model = TinyGPTModel(config: GPTConfig(vocabularySize: CharacterVocabulary.standard.count, contextLength: 8,
                                               channels: 8, heads: 2, layers: layers), rng: &rng)
    if randomizeAll {
        for p in model.parameters {
            let isNormWeight = ["ln1.weight", "ln2.weight", "lnf.weight"].contains { p.name.hasSuffix($0) }
            p.value = rng.normalFloats(p.count, mean: isNormWeight ? 1 : 0.05, std: p.name.hasPrefix("w") ? 1 : 0.4)
        }
    }
    return model
}

/// A fixed batch of B windows of T characters from a fables corpus.
func fablesBatch(batchSize: Int, time: Int, seed: UInt64) -> Corpus.Batch {
    let corpus = Corpus(grammar: .fables, characters: 2_000, seed: seed)
    var rng = SeededRNG(seed: seed &+ 1)
    return corpus.randomBatch(batchSize: batchSize, contextLength: time, rng: &rng)
}

/// The mean cross-entropy of logits [N][V] against targets, computed here in Double from
/// scratch (log-sum-exp) — a second implementation beside `SoftmaxCrossEntropy`.
func crossEntropy(_ logits: Tensor, targets: [Int]) -> Double {
    let v = logits.cols
    var total = 0.0
    for (row, target) in targets.enumerated() {
        let z = (0..<v).map { Double(logits.data[row * v + $0]) }
        let m = z.max()!
        let logSum = m + Math.log(z.reduce(0) { $0 + Math.exp($1 - m) })
        total += logSum - z[target]
    }
    return total / Double(targets.count)
}

/// Plain stochastic gradient descent, θ ← θ − lr · g, for trainable parameters: enough to
/// show that the training loop lowers the loss. (This test target does not depend on
/// `Optimizers`; the chapters train with its AdamW.)
final class PlainSGD {
    let parameters: [Parameter]
    let learningRate: Float

    init(_ parameters: [Parameter], learningRate: Float) {
        self.parameters = parameters.filter(\.isTrainable)
        self.learningRate = learningRate
    }

    func step() {
        for p in parameters {
            for i in p.value.indices { p.value[i] -= learningRate * p.grad[i] }
        }
    }
}
