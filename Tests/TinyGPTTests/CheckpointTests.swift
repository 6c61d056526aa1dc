import Core
import Foundation
import NN
import TensorIO
import Testing
import TinyGPT

/// Saving and loading through `.safetensors`.
@Suite struct CheckpointTests {

    /// A temporary file path unique to this test.
    func temporaryPath(_ name: String) -> String {
        let file = "lowbit-tinygpt-\(name)-\(UUID().uuidString).safetensors"
        return FileManager.default.temporaryDirectory.appendingPathComponent(file).path
    }

    /// Save → load gives back the config, the vocabulary, the caller's metadata and every
    /// parameter bit for bit — so the loaded model's logits are identical too.
    @Test func saveThenLoadIsExact() throws {
        let model = tinyModel(seed: 31, layers: 2)
        let path = temporaryPath("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TinyGPTCheckpoint.save(model, vocabulary: .standard, to: path, metadata: ["seed": "31"])
        let (loaded, vocabulary, metadata) = try TinyGPTCheckpoint.load(from: path)
        #expect(loaded.config == model.config)
        #expect(vocabulary == .standard)
        #expect(metadata["seed"] == "31" && metadata["format"] == TinyGPTCheckpoint.format)
        #expect(loaded.parameters.map(\.name) == model.parameters.map(\.name))
        for (a, b) in zip(model.parameters, loaded.parameters) {
            #expect(a.value.map(\.bitPattern) == b.value.map(\.bitPattern), "\(a.name) differs")
        }
        let batch = fablesBatch(batchSize: 2, time: 8, seed: 32)
        let expected = model.forward(batch.inputs, batchSize: 2, time: 8)
        #expect(loaded.forward(batch.inputs, batchSize: 2, time: 8).data == expected.data)
    }

    /// The file stores PyTorch-style names and shapes, and the config as sorted-key JSON.
    @Test func fileLayoutIsReadable() throws {
        let model = tinyModel(seed: 33)
        let file = try TinyGPTCheckpoint.encode(model, vocabulary: .standard)
        #expect(file["blocks.0.attn.query.weight"]?.shape == [8, 8])
        #expect(file["blocks.0.mlp.fc.weight"]?.shape == [32, 8])
        #expect(file["head.weight"]?.shape == [29, 8])
        let config = #"{"channels":8,"contextLength":8,"heads":2,"layers":1,"mlpRatio":4,"vocabularySize":29}"#
        #expect(file.metadata["config"] == config)
        #expect(file.metadata["alphabet"] == " ,.abcdefghijklmnopqrstuvwxyz")
    }

    /// Loading is strict: a missing tensor, an extra one, or a wrong shape is an error naming it.
    @Test func loadingRejectsMismatchedFiles() throws {
        let model = tinyModel(seed: 34)
        var file = try TinyGPTCheckpoint.encode(model, vocabulary: .standard)
        file.tensors.removeAll { $0.name == "lnf.bias" }
        #expect(throws: TinyGPTCheckpoint.LoadError.missingTensor("lnf.bias")) {
            try TinyGPTCheckpoint.loadWeights(file, into: model)
        }

        var extra = try TinyGPTCheckpoint.encode(model, vocabulary: .standard)
        let adapter = RawTensor(float32: [0, 0], shape: [1, 2])
        extra.tensors.append((name: "blocks.0.attn.query.lora_A.weight", tensor: adapter))
        #expect(throws: TinyGPTCheckpoint.LoadError.unexpectedTensor("blocks.0.attn.query.lora_A.weight")) {
            try TinyGPTCheckpoint.loadWeights(extra, into: model)
        }

        var reshaped = try TinyGPTCheckpoint.encode(model, vocabulary: .standard)
        let index = reshaped.tensors.firstIndex { $0.name == "head.weight" }!
        reshaped.tensors[index].tensor = RawTensor(float32: [Float](repeating: 0, count: 29 * 8), shape: [8, 29])
        let mismatch = TinyGPTCheckpoint.LoadError.shapeMismatch(name: "head.weight", expected: [29, 8], found: [8, 29])
        #expect(throws: mismatch) {
            try TinyGPTCheckpoint.loadWeights(reshaped, into: model)
        }
    }
}
