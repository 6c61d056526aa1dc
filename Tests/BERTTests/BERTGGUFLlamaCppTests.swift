import BERT
import Foundation
import GGUF
import PostTraining
import TestSupport
import Testing

/// The llama.cpp proof of `lowbit gguf convert`, as `Fixtures/llamacpp/llamacpp_bert.py`
/// recorded it once (llama-cpp-python 0.3.36 = llama.cpp 0c1e57098): llama.cpp loaded the file
/// of every type our converter wrote and embedded 13 sentences (the 3 of the shared reference
/// and 10 more: accents, CJK, numbers, punctuation). `llamacpp_<type>.npy` are its
/// L2-normalised embeddings; `reference_embeddings.npy` are Hugging Face's for the same
/// sentences (BertModel, mean pooling, L2 — sentence-transformers' modules; rows 0–2 are
/// checked against sentence-transformers' own `reference_embeddings_3.npy`).
@Suite struct BERTGGUFLlamaCppTests {
    let fixtures = Fixtures(.module)

    /// [n, 384] rows of an embeddings fixture.
    func rows(_ name: String) throws -> [[Float]] {
        let raw = try fixtures.raw("llamacpp/\(name)")
        let values = try raw.floats()
        let width = try #require(raw.shape.last)
        return stride(from: 0, to: values.count, by: width).map {
            Array(values[$0..<$0 + width])
        }
    }

    func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0
        var aa = 0.0
        var bb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            aa += Double(x) * Double(x)
            bb += Double(y) * Double(y)
        }
        return dot / (aa * bb).squareRoot()
    }

    /// The reference the proof measured against is sentence-transformers' on the three shared
    /// sentences: same model, same pooling, float32 summed in another order (≥ 1 − 1e-6).
    @Test func referenceRowsAreSentenceTransformersEmbeddings() throws {
        let reference = try rows("reference_embeddings.npy")
        let st = try rows("reference_embeddings_3.npy")
        #expect(reference.count == 13 && st.count == 3)
        for i in 0..<3 {
            #expect(cosine(reference[i], st[i]) >= 1 - 1e-6, "sentence \(i)")
        }
    }

    /// llama.cpp running our f32 and f16 files gives sentence-transformers' embeddings: cosine
    /// ≥ 0.99999 on every sentence. Not 1: llama.cpp's CPU graph sums in another order (and
    /// the f16 file rounds the weights); llama.cpp's own converter's files measured 0.9999976
    /// at worst on 23 sentences (gguf_bert/metadata.json), so 1e-5 leaves a 4× margin.
    @Test(arguments: ["f32", "f16"])
    func llamaCppOnOurFileReproducesTheReference(type: String) throws {
        let reference = try rows("reference_embeddings.npy")
        let llama = try rows("llamacpp_\(type).npy")
        #expect(llama.count == reference.count)
        var log = MismatchLog("llama.cpp \(type)")
        for (i, (a, b)) in zip(llama, reference).enumerated() where cosine(a, b) < 0.99999 {
            log.add("sentence \(i): cosine \(cosine(a, b))")
        }
        log.expectEmpty()
    }

    /// What quantization costs once llama.cpp runs the file: the worst cosine to the reference
    /// over the 13 sentences, as proof.json recorded it, rounded down at the third decimal
    /// (q8_0 0.99914, q6_k 0.99810, q5_0 0.98380, q4_k 0.97910, iq4_nl 0.95917, q4_0 0.94799,
    /// mxfp4 0.93370). Every Linear in the type or its fallback, token_embd Q8_0.
    @Test(arguments: [
        ("q8_0", 0.999), ("q6_k", 0.998), ("q5_0", 0.983), ("q4_k", 0.979), ("iq4_nl", 0.959),
        ("q4_0", 0.947), ("mxfp4", 0.933),
    ])
    func llamaCppOnOurQuantizedFileStaysNearTheReference(type: String, worst: Double) throws {
        let reference = try rows("reference_embeddings.npy")
        let llama = try rows("llamacpp_\(type).npy")
        let cosines = zip(llama, reference).map { cosine($0, $1) }
        #expect(cosines.count == 13)
        #expect((cosines.min() ?? 0) >= worst, "worst \(cosines.min() ?? 0)")
    }

    /// The rest of the proof, as llamacpp_bert.py recorded it for every type: gguf-py read 27
    /// keys and 101 tensors, the token list's sha256 is the converter's, llama.cpp's WordPiece
    /// gave Hugging Face's ids for all 13 sentences, and llama.cpp's own quantizer
    /// (llama_model_quantize on our f32 file) wrote all 101 tensors byte for byte as we did.
    @Test func proofRecordsEveryFileLoadedTokenizedAndQuantizedAsLlamaCppDoes() throws {
        let path = try fixtures.path("llamacpp/proof.json")
        let data = try #require(FileManager.default.contents(atPath: path))
        let proof = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let types = try #require(proof["types"] as? [String: [String: Any]])
        #expect(types.count == 9)
        for (type, info) in types {
            #expect(info["keys"] as? Int == 27 && info["tensors"] as? Int == 101, "\(type)")
            #expect(info["tokens_sha256_is_converters"] as? Bool == true, "\(type)")
            #expect(info["llama_cpp_token_ids_equal_hf"] as? Int == 13, "\(type)")
            if type != "f32" && type != "f16" {
                #expect(info["tensors_identical_to_llama_quantize"] as? Int == 101, "\(type)")
            }
        }
    }
}

/// Our encoder (module BERT) against llama.cpp, both running the same weights: the f32 file's,
/// and the q8_0 file's read back by our GGUF reader (`PostTraining.bertCheckpoint(from:)`,
/// token_embd and every Linear dequantized from Q8_0).
@Suite struct BERTGGUFEncoderTests {
    let llama = BERTGGUFLlamaCppTests()

    func embeddings(_ type: GGMLType) throws -> [[Float]] {
        let base = try LoadedMiniLM.get()
        let file = try LoadedMiniLM.readBack(type)
        let checkpoint = try PostTraining.bertCheckpoint(from: file, base: base)
        let embedder = SentenceEmbedder(
            tokenizer: try BERTTokenizer(checkpoint: base),
            encoder: try BERTEncoder(checkpoint: checkpoint))
        let path = try Fixtures(.module).path("llamacpp/sentences.json")
        let data = try #require(FileManager.default.contents(atPath: path))
        let sentences = try #require(try JSONSerialization.jsonObject(with: data) as? [String])
        let e = try embedder.embed(sentences)
        let width = try #require(e.shape.last)
        return stride(from: 0, to: e.count, by: width).map { Array(e.data[$0..<$0 + width]) }
    }

    /// f32: the same float weights, two CPU graphs (summation order, llama.cpp's GELU and
    /// softmax kernels): cosine ≥ 0.99999 on every sentence, the bound llama.cpp meets against
    /// sentence-transformers (see BERTGGUFLlamaCppTests).
    /// q8_0: the same Q8_0 weights, but llama.cpp also rounds each activation row to Q8_0
    /// before the dot product (ggml's vec_dot_type of Q8_0 is Q8_0) and we keep activations
    /// float32 — that second rounding is what the looser bound allows for. Measured worst
    /// cosines: f32 0.9999988, q8_0 0.99942 (llama.cpp's q8_0 against the reference: 0.99914).
    @Test(arguments: [(GGMLType.F32, "f32", 0.99999), (.Q8_0, "q8_0", 0.999)])
    func ourEncoderAgreesWithLlamaCppOnTheSameFile(
        type: GGMLType, name: String, bound: Double
    ) throws {
        let ours = try embeddings(type)
        let theirs = try llama.rows("llamacpp_\(name).npy")
        #expect(ours.count == theirs.count)
        var log = MismatchLog(name)
        for (i, (a, b)) in zip(ours, theirs).enumerated() where llama.cosine(a, b) < bound {
            log.add("sentence \(i): cosine \(llama.cosine(a, b))")
        }
        log.expectEmpty()
    }
}
