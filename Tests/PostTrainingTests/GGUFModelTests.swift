import GGML
import GGUF
import PostTraining
import Testing
import TinyGPT

/// TinyGPT as a GGUF file (`PostTraining.ggufFile`, `PostTraining.model(_:from:)`).
@Suite struct GGUFModelTests {

    /// Encoded, decoded and loaded, the file gives back exactly the model `PostTraining.ggml`
    /// built in memory: every parameter bit for bit, so the same loss.
    @Test func fileRoundTripGivesTheInMemoryModel() throws {
        let base = SmallModel.make()
        let (q, stored) = try PostTraining.ggml(base, label: "Q4_0") { _ in Q4_0.self }
        let file = try PostTraining.ggufFile(
            base, storedTypes: stored, metadata: [("general.architecture", .string("tinygpt"))])
        let read = try GGUFFile(bytes: try file.encoded())
        #expect(read == file)
        let loaded = try PostTraining.model(base, from: read)
        let same = zip(loaded.parameters, q.model.parameters).allSatisfy { $0.value == $1.value }
        #expect(same)
        #expect(read.tensors.count == base.parameters.count)
        #expect(read.tensors.filter { $0.type == .Q4_0 }.count == base.blockLinearNames.count)
    }

    /// A slot without a stored type is an error, not a float32 tensor.
    @Test func missingTypeThrows() {
        #expect(throws: (any Error).self) {
            _ = try PostTraining.ggufFile(SmallModel.make(), storedTypes: [:], metadata: [])
        }
    }
}
