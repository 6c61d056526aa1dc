import Core
import PostTraining
import Testing
import TinyGPT

/// The slots a post-training scheme quantizes.
@Suite struct QuantizedModelTests {

    /// Six linear layers per block (query, key, value, output, fc, proj) and never the head.
    @Test func blockLinearsAreSixPerBlockWithoutTheHead() {
        var rng = SeededRNG(seed: 51)
        let config = GPTConfig.tiny(vocabularySize: CharacterVocabulary.standard.count)
        let model = TinyGPTModel(config: GPTConfig(
            vocabularySize: config.vocabularySize, contextLength: 8, channels: 8, heads: 2,
            layers: 2), rng: &rng)
        let names = model.blockLinearNames
        #expect(names.count == 12)
        #expect(!names.contains("head"))
        #expect(names.first == "blocks.0.attn.query" && names.last == "blocks.1.mlp.proj")
    }
}
