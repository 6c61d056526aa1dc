import GGUF
import PostTraining
import Testing

/// The type rules of `PostTraining.bertStoredType`, checked against what llama.cpp's
/// `llama_model_quantize` (llama-cpp-python 0.3.36, llama.cpp 0c1e57098) wrote for MiniLM's
/// f32 file: with ftype Q4_K_M and `pure`, every 384-wide weight Q5_0 and ffn_down Q4_K;
/// without `pure`, token_embd Q8_0; Q6_K: 384-wide Q8_0, ffn_down Q6_K; Q4_0 without `pure`:
/// token_embd Q8_0 (Q6_K, then its fallback). No model needed.
@Suite struct BERTGGUFTypeTests {
    // MiniLM's shapes (config.json: vocabulary 30522, hidden 384, MLP 1536, 512 positions).
    let embeddings = [30522, 384]
    let attention = [384, 384]
    let up = [1536, 384]
    let down = [384, 1536]

    func stored(_ name: String, _ shape: [Int], _ type: GGMLType, pure: Bool = false) throws
        -> GGMLType
    {
        try PostTraining.bertStoredType(name, shape: shape, asked: type, pure: pure)
    }

    @Test func kQuantsFallBackOnRowsOf384AndKeepTheirTypeOnRowsOf1536() throws {
        #expect(try stored("blk.0.attn_q.weight", attention, .Q4_K) == .Q5_0)
        #expect(try stored("blk.0.ffn_up.weight", up, .Q4_K) == .Q5_0)
        #expect(try stored("blk.0.ffn_down.weight", down, .Q4_K) == .Q4_K)
        #expect(try stored("blk.3.attn_v.weight", attention, .Q6_K) == .Q8_0)
        #expect(try stored("blk.3.ffn_down.weight", down, .Q6_K) == .Q6_K)
        #expect(try stored("blk.5.attn_k.weight", attention, .Q2_K) == .Q4_0)
        #expect(try stored("blk.5.attn_k.weight", attention, .Q5_K) == .Q5_1)
    }

    @Test func tokenEmbeddingsTakeLlamaQuantizesRuleUnlessPure() throws {
        for type in [GGMLType.Q4_0, .Q4_1, .Q5_0, .Q4_K, .Q6_K, .IQ4_NL, .MXFP4, .Q8_0] {
            #expect(try stored("token_embd.weight", embeddings, type) == .Q8_0, "\(type.name)")
        }
        #expect(try stored("token_embd.weight", embeddings, .Q4_K, pure: true) == .Q5_0)
        #expect(try stored("token_embd.weight", embeddings, .IQ4_NL, pure: true) == .IQ4_NL)
        // A 768-wide table (BERT-base) takes Q6_K itself: the output rule, no fallback needed.
        #expect(try stored("token_embd.weight", [30522, 768], .Q4_0) == .Q6_K)
        #expect(try stored("token_embd.weight", embeddings, .F16) == .F16)
    }

    @Test func oneDimensionalTensorsAndPositionEmbeddingsStayF32() throws {
        for type in [GGMLType.F16, .Q8_0, .Q4_K] {
            #expect(try stored("position_embd.weight", [512, 384], type) == .F32)
            #expect(try stored("token_types.weight", [2, 384], type) == .F32)
            #expect(try stored("token_embd_norm.weight", [384], type) == .F32)
            #expect(try stored("blk.0.attn_output_norm.weight", [384], type) == .F32)
            #expect(try stored("blk.0.attn_q.bias", [384], type) == .F32)
        }
    }

    /// llama.cpp: a k-quant whose fallback does not divide the row either becomes F16; a
    /// type without a fallback cannot store the row at all ("no tensor type fallback").
    @Test func rowsNoFallbackCanHoldAreF16OrAnError() throws {
        #expect(try stored("blk.0.attn_q.weight", [48, 48], .Q4_K) == .F16)
        #expect(throws: (any Error).self) { try stored("blk.0.attn_q.weight", [48, 48], .Q4_0) }
        #expect(throws: GGUFError.noQuantizer(.Q8_1)) { try stored("x.weight", up, .Q8_1) }
    }

    /// llama.h's llama_ftype: the converter's 0, 1, 7 (gguf_bert/metadata.json) and
    /// llama-quantize's aliases (Q4_K is Q4_K_M = 15, MXFP4 is MXFP4_MOE = 38).
    @Test func fileTypesAreLlamaFtypes() {
        let expected: [(GGMLType, UInt32)] = [
            (.F32, 0), (.F16, 1), (.Q8_0, 7), (.Q4_0, 2), (.Q4_K, 15), (.Q6_K, 18),
            (.IQ4_NL, 25), (.MXFP4, 38), (.BF16, 32),
        ]
        for (type, fileType) in expected {
            #expect(PostTraining.llamaFileType(type) == fileType, "\(type.name)")
        }
    }

    /// convert_hf_to_gguf.py's `phantom`: CONTROL tokens as they are, "##x" → "x", others
    /// "▁x"; an id whose string occurs again later is "[PAD<id>]" of type UNUSED (5),
    /// phantom-spaced too (the HF dictionary keeps the later id).
    @Test func phantomSpaceTokensFollowTheConverter() {
        let vocabulary = ["[PAD]", "the", "##s", "[CLS]", "the", "!", "##!"]
        let (tokens, types) = PostTraining.phantomSpaceVocabulary(
            vocabulary, control: ["[PAD]", "[CLS]"])
        let space = "\u{2581}"
        #expect(tokens == [
            "[PAD]", space + "[PAD1]", "s", "[CLS]", space + "the", space + "!", "!",
        ])
        #expect(types == [3, 5, 1, 3, 1, 1, 1])
    }

    /// "##ा" (U+093E, a combining vowel sign) is a continuation, though Swift sees "#" + "#ा"
    /// as its two Characters; vocab.txt of MiniLM has 16 of these (the token list's sha256
    /// in gguf_bert/metadata.json caught them).
    @Test func continuationsAreFoundByteWiseNotByCharacter() {
        let (tokens, _) = PostTraining.phantomSpaceVocabulary(["##\u{093E}", "##e\u{301}"],
                                                              control: [])
        #expect(tokens == ["\u{093E}", "e\u{301}"])
    }
}
