import Core
import NN
import Testing
import TinyGPT

/// Recording every linear layer's inputs for calibration (GPTQ, AWQ).
@Suite struct LinearInputsTests {

    /// Recording is invisible: the logits are the same bits with and without the recorders,
    /// and afterwards every slot holds its own layer again.
    @Test func recordingLeavesTheModelUnchanged() {
        let model = tinyModel(seed: 41, layers: 2)
        let batch = fablesBatch(batchSize: 2, time: 8, seed: 42)
        let before = model.forward(batch.inputs, batchSize: 2, time: 8)
        let layers = model.linearLayers.map { ObjectIdentifier($0.layer) }
        _ = model.linearInputs([batch])
        #expect(model.linearLayers.map { ObjectIdentifier($0.layer) } == layers)
        #expect(model.forward(batch.inputs, batchSize: 2, time: 8).data == before.data)
    }

    /// The rows recorded for the head are what the head multiplies: running the head on them
    /// gives the model's logits bit for bit, one row per position of every batch.
    @Test func headInputsReproduceTheLogits() {
        let model = tinyModel(seed: 43, layers: 1)
        let batches = [fablesBatch(batchSize: 2, time: 8, seed: 44),
                       fablesBatch(batchSize: 2, time: 8, seed: 45)]
        let inputs = model.linearInputs(batches, slots: { $0 == "head" })
        #expect(Array(inputs.keys) == ["head"])
        let x = inputs["head"]!
        #expect(x.shape == [2 * 2 * 8, model.config.channels])
        let logits = batches.flatMap { model.forward($0.inputs, batchSize: 2, time: 8).data }
        #expect(model.head.forward(x).data == logits)
    }

    /// Every accepted slot gets a matrix as wide as its layer's input: C for attention and
    /// fc, the MLP's hidden width for proj.
    @Test func everySlotGetsItsOwnWidth() {
        let model = tinyModel(seed: 46, layers: 1)
        let inputs = model.linearInputs([fablesBatch(batchSize: 1, time: 8, seed: 47)])
        let c = model.config.channels
        #expect(inputs.count == model.linearLayers.count)
        #expect(inputs["blocks.0.attn.query"]?.shape == [8, c])
        #expect(inputs["blocks.0.mlp.proj"]?.shape == [8, model.config.mlpRatio * c])
    }
}
