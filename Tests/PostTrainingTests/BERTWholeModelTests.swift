import BERT
import Core
import Foundation
import PostTraining
import TensorIO
import TestSupport
import Testing

/// The reference sentences of README group J (`minilm/embeddings/sentences.json`).
let miniLMReferenceSentences = [
    "This is an example sentence.", "Each sentence is converted to a vector.",
    "Hello World! 123 café",
]

/// Whole MiniLM encoders with every dense layer quantized (Chapter 12's sweep).
@Suite struct BERTWholeModelTests {
    static func embedder() throws -> SentenceEmbedder {
        let folder = ModelFolder.miniLM
        try #require(ModelFolder.isPresent(folder), "\(ModelFolder.howToFetch)")
        return try SentenceEmbedder(folder: folder)
    }

    /// bitsandbytes' NF4 model (every encoder Linear a `Linear4bit`, NF4, blocks of 64, no
    /// double quantization, float32 compute; reference README group J, `embeddings_nf4.npy`,
    /// copied into Tests/BERTTests/Fixtures/minilm). Our Ŵ is bitsandbytes' bit for bit, so
    /// only the order of float32 sums differs (PyTorch's BLAS against Core's Matmul), through
    /// 6 layers and 36 products: the same size of difference as the fp32 encoder's against
    /// sentence-transformers (measured: 2.3e−7 for both). Tolerance 2e−6 per element of a
    /// unit vector: ten times that, still 100 times below NF4's own effect (≈ 0.01).
    @Test func nf4EmbeddingsMatchBitsandbytes() throws {
        let embedder = try Self.embedder()
        let (nf4, _) = try BERTSchemeSweep.quantizedEncoder(
            embedder.encoder, tokenizer: embedder.tokenizer, scheme: .nf4)
        let e = try embedder.with(encoder: nf4).embed(miniLMReferenceSentences)
        let path = BuiltProducts.repositoryRoot
            .appendingPathComponent("Tests/BERTTests/Fixtures/minilm/embeddings_nf4.npy").path
        let reference = try NPY.read(contentsOf: path).floats()
        #expect(e.shape == [3, 384])
        let worst = zip(e.data, reference).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 2e-6, "max |Δ| \(worst)")
        // nf4-vs-fp32 cosines of the reference (README J: nf4_vs_fp32_cosine), reproduced
        // to 1e−6 (measured 1.8e−7: two unit vectors each within 2.3e−7 per element).
        let float = try embedder.embed(miniLMReferenceSentences)
        let expected = [0.9431495070457458, 0.97426837682724, 0.9771060943603516]
        for i in 0..<3 {
            let c = BERTSweepMetrics.cosine(float.row(i), e.row(i))
            #expect(abs(c - expected[i]) <= 1e-6, "sentence \(i): cosine \(c)")
        }
    }

    /// The sweep's fp32 row compares the model with itself: cosine 1, every query agrees;
    /// Q8_0 stores every MiniLM row (384 and 1536 are multiples of 32) at 34 bytes per 32
    /// weights, so its dense layers are 8.5 bits per weight and the model shrinks by
    /// 10 616 832 · (4 − 8.5/8) bytes.
    @Test func sweepRowsAddUp() throws {
        let rows = try BERTSchemeSweep.run(try Self.embedder(), schemes: [.q8_0])
        #expect(rows.map(\.label) == ["fp32", "q8_0"])
        let (fp32, q8) = (rows[0], rows[1])
        #expect(fp32.linearWeights == 10_616_832)  // 6 · (4 · 384² + 2 · 384 · 1536)
        #expect(fp32.minCosine > 0.999999 && fp32.agreement == 20 && fp32.queries == 20)
        #expect(q8.bitsPerWeight == 8.5)
        #expect(fp32.modelBytes - q8.modelBytes == 10_616_832 * 4 - 10_616_832 / 32 * 34)
        // 8-bit blocks of 32 barely move an embedding (the full sweep measured 0.99985).
        #expect(q8.minCosine > 0.999, "min cosine \(q8.minCosine)")
    }
}
