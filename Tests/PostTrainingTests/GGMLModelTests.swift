import GGML
import PostTraining
import Testing
import TinyGPT

/// The whole model in llama.cpp's block formats (`PostTraining.ggml`).
@Suite struct GGMLModelTests {

    /// llama.cpp's `tensor_type_fallback`: a 64-wide row cannot hold a 256-value super-block,
    /// Q6_K falls back to Q8_0; a 256-wide row keeps it; a 16-wide row has no block type.
    @Test func rowsThatDoNotDivideFallBackAsLlamaCppDoes() {
        #expect(PostTraining.ggmlStoredType(Q6_K.self, rowLength: 256)?.name == "Q6_K")
        #expect(PostTraining.ggmlStoredType(Q6_K.self, rowLength: 64)?.name == "Q8_0")
        #expect(PostTraining.ggmlStoredType(Q4_0.self, rowLength: 64)?.name == "Q4_0")
        #expect(PostTraining.ggmlStoredType(Q4_0.self, rowLength: 16) == nil)
    }

    /// use_more_bits(i, n) for n = 2 (TinyGPT): 7·2/8 = 1, so only layer 1; for n = 32 (a
    /// LLaMA-7B) layers 0–3, 28–31 and every third between (6, 9, …, 27).
    @Test func moreBitsGoToTheFirstAndLastEighthAndEveryThirdLayer() {
        #expect([0, 1].map { PostTraining.llamaUsesMoreBits(layer: $0, of: 2) } == [false, true])
        let chosen = (0..<32).filter { PostTraining.llamaUsesMoreBits(layer: $0, of: 32) }
        #expect(chosen == [0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31])
    }

    @Test func slotsGetLlamaCppTensorNames() {
        #expect(PostTraining.llamaTensorName("blocks.1.attn.value") == "blk.1.attn_v.weight")
        #expect(PostTraining.llamaTensorName("blocks.0.mlp.proj") == "blk.0.ffn_down.weight")
        #expect(PostTraining.llamaTensorName("head") == "output.weight")
    }

    /// Each slot's weight is the type's own round trip of the base weight, in the type the
    /// fallback chose, and the base model is left alone; bits are the stored bytes
    /// (C = 32 and MLP 128: every row a multiple of 32, none of 256, so Q6_K is Q8_0's 8.5).
    @Test func everySlotIsItsStoredTypesRoundTrip() throws {
        let base = SmallModel.make()
        let before = base.parameters.map(\.value)
        let (q, types) = try PostTraining.ggml(base, label: "Q6_K") { _ in Q6_K.self }
        #expect(Set(types.values) == ["Q8_0"])
        #expect(q.bitsPerWeight == 8.5)
        var wrong = 0
        for ((_, original), (_, copy)) in zip(base.blockLinears, q.model.blockLinears) {
            let expected = try Q8_0.dequantize(try Q8_0.quantize(original.weight.value))
            if expected != copy.weight.value { wrong += 1 }
        }
        #expect(wrong == 0)
        #expect(zip(base.parameters, before).allSatisfy { $0.value == $1 })
    }

    /// The medium mixture promotes attn_v and ffn_down of the layers use_more_bits picks.
    @Test func mediumMixturePromotesTheSensitiveTensorsOfLayerOne() {
        let pick = PostTraining.mediumMixture(base: Q4_0.self, promoted: Q8_0.self, layers: 2)
        #expect(pick("blocks.1.attn.value").name == "Q8_0")
        #expect(pick("blocks.1.mlp.proj").name == "Q8_0")
        #expect(pick("blocks.0.mlp.proj").name == "Q4_0")
        #expect(pick("blocks.1.attn.key").name == "Q4_0")
    }
}
