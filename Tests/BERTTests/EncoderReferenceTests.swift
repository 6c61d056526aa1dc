import BERT
import Core
import Foundation
import Testing
import TestSupport

/// The float32 encoder shared by the suites (built once from `MiniLM.checkpoint`).
extension MiniLM {
    static let sharedEmbedder: SentenceEmbedder? = checkpoint.flatMap { checkpoint in
        guard let tokenizer = try? BERTTokenizer(checkpoint: checkpoint),
            let encoder = try? BERTEncoder(checkpoint: checkpoint)
        else { return nil }
        return SentenceEmbedder(tokenizer: tokenizer, encoder: encoder)
    }

    static func embedder() throws -> SentenceEmbedder {
        let checkpoint = try load()
        return try sharedEmbedder ?? SentenceEmbedder(
            tokenizer: BERTTokenizer(checkpoint: checkpoint), encoder: BERTEncoder(checkpoint: checkpoint))
    }

    /// The reference sentences as the reference ran them: one padded batch.
    static func referenceBatch() throws -> TokenBatch {
        let tokenizer = try embedder().tokenizer
        return TokenBatch(try MiniLMReference.sentences().map(tokenizer.encode))
    }
}

/// The cosine of two vectors (Double sums).
func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
    var (dot, aa, bb) = (0.0, 0.0, 0.0)
    for (x, y) in zip(a, b) {
        dot += Double(x) * Double(y)
        aa += Double(x) * Double(x)
        bb += Double(y) * Double(y)
    }
    return dot / (aa.squareRoot() * bb.squareRoot())
}

/// Row r of a matrix.
func row(_ t: Tensor, _ r: Int) -> ArraySlice<Float> { t.data[(r * t.cols)..<((r + 1) * t.cols)] }

/// Our encoder against sentence-transformers' own outputs on the reference sentences.
@Suite struct EncoderReferenceTests {
    /// The bar: cosine ≥ 0.9999 to sentence-transformers' embedding, every sentence.
    @Test func embeddingsMatchSentenceTransformers() throws {
        let embedder = try MiniLM.embedder()
        let expected = try MiniLMReference.embeddings()
        let sentences = try MiniLMReference.sentences()
        // one padded batch, as the reference ran them
        let got = try embedder.embed(try MiniLM.referenceBatch())
        let cosines = sentences.indices.map { cosine(row(got, $0), row(expected, $0)) }
        let worst = cosines.min() ?? .nan
        print("MiniLM embeddings: worst cosine to sentence-transformers \(worst)")
        #expect(worst >= 0.9999, "worst cosine \(worst)")
        // and through `embed(_ sentences:)`, which sorts and batches on its own
        let again = try embedder.embed(sentences)
        let worstAgain = sentences.indices.map { cosine(row(again, $0), row(expected, $0)) }.min()
        #expect((worstAgain ?? .nan) >= 0.9999)
    }

    /// Embeddings have unit length (Normalize), within float rounding (384 squares summed in
    /// Float: a few ulps of 1).
    @Test func embeddingsHaveUnitLength() throws {
        let got = try MiniLM.embedder().embed(["Unit length, please."])
        let norm = row(got, 0).reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(norm - 1) < 1e-5, "norm \(norm)")
    }

    /// hidden_absmax_all [7][384]: per hidden state and feature, max |value| over the three
    /// sentences' real tokens. Tolerance 2e-5 · max(1, |value|), about 20 Float ulps: PyTorch's
    /// float32 sums (matmuls, LayerNorm statistics, softmax) run in another order than ours,
    /// and the values reach 10.5. Measured when written: largest difference 2.9e-6 (printed).
    @Test func hiddenAbsmaxMatchesTheReference() throws {
        let encoder = try MiniLM.embedder().encoder
        let expected = try MiniLMReference.fixtures.floats("minilm/hidden_absmax_all.npy")
        let got = try encoder.hiddenAbsmax(try MiniLM.referenceBatch())
        #expect(got.count == 7)
        let flat = got.flatMap { $0 }
        let worst = zip(expected, flat).map { abs(Double($0) - Double($1)) }.max() ?? .nan
        print("MiniLM hidden absmax: largest difference \(worst)")
        #expect(firstMismatch(expected, flat) { 2e-5 * max(1, abs(Double(expected[$0]))) } == nil)
    }

    /// hidden_absmax_first3 [3][7][384]: the same per sentence (a one-sentence batch each).
    @Test func perSentenceHiddenAbsmaxMatchesTheReference() throws {
        let embedder = try MiniLM.embedder()
        let expected = try MiniLMReference.fixtures.floats("minilm/hidden_absmax_first3.npy")
        var flat: [Float] = []
        for sentence in try MiniLMReference.sentences() {
            let batch = TokenBatch([embedder.tokenizer.encode(sentence)])
            flat += try embedder.encoder.hiddenAbsmax(batch).flatMap { $0 }
        }
        #expect(firstMismatch(expected, flat) { 2e-5 * max(1, abs(Double(expected[$0]))) } == nil)
    }

    /// The ten dominant features (reference: 99, 63, 157, 223, 363, 267, 383, 288, 338, 303).
    @Test func outlierDimensionsAreTheReferences() throws {
        let encoder = try MiniLM.embedder().encoder
        let expected = try MiniLMReference.fixtures.raw("minilm/outlier_dims.npy").int64s().map(Int.init)
        let absmax = try encoder.hiddenAbsmax(try MiniLM.referenceBatch())
        #expect(BERTEncoder.outlierDimensions(hiddenAbsmax: absmax, count: 10) == expected)
    }
}
