import Core
import NN
import NNTestSupport
import Testing
import TinyGPT

/// The whole model: backward against finite differences, causality, shapes and names.
@Suite struct ModelTests {

    /// Every parameter's gradient (embeddings, LayerNorms, attention, MLP, head) through two
    /// blocks, against central differences of the loss recomputed in Double. Up to 12 indices
    /// per parameter, spread evenly, keep it fast in a debug build; the embedding rows checked
    /// include rows the batch never reads (gradient exactly 0 on both sides).
    @Test func wholeModelGradientsMatchFiniteDifferences() {
        let model = tinyModel(seed: 11, layers: 2)
        let batch = fablesBatch(batchSize: 2, time: 8, seed: 12)
        _ = model.lossAndGradients(batch)
        let loss = { crossEntropy(model.forward(batch.inputs, batchSize: 2, time: 8), targets: batch.targets) }
        var results: [GradientCheck.Result] = []
        for p in model.parameters {
            let stride = max(1, p.count / 12)
            let indices = Array(Swift.stride(from: 0, to: p.count, by: stride))
            results.append(
                GradientCheck.check(p, indices: indices, step: 1e-2, relative: 5e-3, absolute: 2e-4, loss: loss))
        }
        #expect(results.count == model.parameters.count)
        expectAllPass(results)
    }

    /// Changing the characters after position t leaves the logits at 0…t bit for bit the same:
    /// every layer works row by row except attention, which never looks ahead.
    @Test func logitsDoNotDependOnFutureCharacters() {
        let model = tinyModel(seed: 13)
        let vocabulary = CharacterVocabulary.standard
        let a = vocabulary.encode("the cat ")
        let b = vocabulary.encode("the dog.")
        let la = model.forward(a, batchSize: 1, time: 8)
        let lb = model.forward(b, batchSize: 1, time: 8)
        let v = vocabulary.count
        #expect(Array(la.data[0..<(4 * v)]) == Array(lb.data[0..<(4 * v)]))  // "the " is shared
        #expect(Array(la.data[(4 * v)...]) != Array(lb.data[(4 * v)...]))
    }

    /// Two windows in one batch give what each gives alone.
    @Test func batchRowsAreIndependent() {
        let model = tinyModel(seed: 14)
        let batch = fablesBatch(batchSize: 2, time: 6, seed: 15)
        let both = model.forward(batch.inputs, batchSize: 2, time: 6)
        let first = model.forward(Array(batch.inputs[0..<6]), batchSize: 1, time: 6)
        let second = model.forward(Array(batch.inputs[6...]), batchSize: 1, time: 6)
        #expect(both.shape == [2, 6, 29])
        #expect(both.data == first.data + second.data)
    }

    /// The loss the model reports is the mean cross-entropy of its logits (checked against
    /// a log-sum-exp in Double), and evaluation leaves the gradients alone.
    @Test func lossIsMeanCrossEntropy() {
        let model = tinyModel(seed: 16)
        let batch = fablesBatch(batchSize: 3, time: 8, seed: 17)
        let loss = Double(model.loss(batch))
        let reference = crossEntropy(model.forward(batch.inputs, batchSize: 3, time: 8), targets: batch.targets)
        #expect(abs(loss - reference) < 1e-5 * reference, "loss \(loss), reference \(reference)")
        #expect(abs(model.meanLoss([batch, batch]) - loss) < 1e-12)
        #expect(model.parameters.allSatisfy { $0.grad.allSatisfy { $0 == 0 } })
    }

    /// Parameter names follow the module tree, the count follows the config's formula, and
    /// `linearLayers` lists every replaceable slot.
    @Test func parametersAreNamedAndCounted() {
        var rng = SeededRNG(seed: 18)
        let config = GPTConfig.chapter(vocabularySize: 29)
        let model = TinyGPTModel(config: config, rng: &rng)
        let names = model.parameters.map(\.name)
        #expect(names.first == "wte.weight" && names.last == "head.weight")
        #expect(names.contains("blocks.1.attn.query.weight") && names.contains("blocks.0.mlp.proj.bias"))
        #expect(Set(names).count == names.count)
        #expect(model.parameters.totalCount == config.parameterCount)
        #expect(config.parameterCount == 107_904)
        #expect(model.linearLayers.map(\.name).prefix(6) == [
            "blocks.0.attn.query", "blocks.0.attn.key", "blocks.0.attn.value", "blocks.0.attn.output",
            "blocks.0.mlp.fc", "blocks.0.mlp.proj",
        ])
        #expect(model.linearLayers.count == 6 * config.layers + 1)
    }

    /// `replaceLinearLayers` reaches every slot, and putting the same layers back changes nothing.
    @Test func replaceLinearLayersVisitsEverySlot() {
        let model = tinyModel(seed: 19, layers: 2)
        let batch = fablesBatch(batchSize: 1, time: 8, seed: 20)
        let before = model.forward(batch.inputs, batchSize: 1, time: 8)
        var visited: [String] = []
        model.replaceLinearLayers { name, layer in
            visited.append(name)
            return layer
        }
        #expect(visited == model.linearLayers.map(\.name))
        #expect(model.forward(batch.inputs, batchSize: 1, time: 8).data == before.data)
    }
}
