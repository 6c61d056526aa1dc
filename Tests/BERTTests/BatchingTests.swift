import BERT
import Core
import Foundation
import Testing
import TestSupport

/// Sentences of different lengths in one padded batch give the embeddings they get alone.
@Suite struct BatchingTests {
    static let sentences = [
        "A short one.",
        "This sentence is quite a bit longer than the first, with several more words in it.",
        "",
        "Mixed lengths: 3, 14, 159!",
        "Padding must not leak into any sentence's vector.",
    ]

    /// Every real token attends only to real tokens, and every other step works row by row
    /// (the tiled matmul computes each output row the same way for any number of rows), so
    /// batched and one-by-one results agree; masked keys add exactly 0. We allow 1e-6 per
    /// component (a few ulps of values below 0.3) and print the largest difference.
    @Test func batchedEqualsOneByOne() throws {
        let embedder = try MiniLM.embedder()
        let batched = try embedder.embed(Self.sentences, batchSize: 8)
        var worst: Float = 0
        for (i, sentence) in Self.sentences.enumerated() {
            let alone = try embedder.embed([sentence])
            for j in 0..<alone.cols {
                worst = max(worst, abs(alone.data[j] - batched[i, j]))
            }
        }
        print("batched vs one by one: largest difference \(worst)")
        #expect(worst <= 1e-6, "largest difference \(worst)")
    }

    /// Extra padding (to 40 tokens) leaves each sentence's embedding as it was.
    @Test func paddingDoesNotChangeAnEmbedding() throws {
        let embedder = try MiniLM.embedder()
        let ids = Self.sentences.map(embedder.tokenizer.encode)
        let tight = try embedder.embed(TokenBatch(ids))
        let padded = try embedder.embed(TokenBatch(ids, paddedLength: 40))
        let worst = zip(tight.data, padded.data).map { abs($0 - $1) }.max() ?? .nan
        #expect(worst <= 1e-6, "largest difference \(worst)")
    }

    /// Batches of 2 (several buckets, sorted by length) give the same rows, in input order.
    @Test func smallBatchesKeepTheInputOrder() throws {
        let embedder = try MiniLM.embedder()
        let big = try embedder.embed(Self.sentences, batchSize: 32)
        let small = try embedder.embed(Self.sentences, batchSize: 2)
        let worst = zip(big.data, small.data).map { abs($0 - $1) }.max() ?? .nan
        #expect(worst <= 1e-6, "largest difference \(worst)")
    }
}

/// The hooks the quantizers and the chapter use, and swapping dense layers.
@Suite struct EncoderHookTests {
    @Test func linearInputsAreTheRealTokensRows() throws {
        let embedder = try MiniLM.embedder()
        let encoder = embedder.encoder
        let batch = TokenBatch(["Two words.", "And three more words here."].map(embedder.tokenizer.encode))
        let inputs = try encoder.linearInputs(batch)
        #expect(inputs.count == 36)
        #expect(Set(inputs.keys) == Set(encoder.linearNames))
        // query reads h₀'s real rows; intermediate.dense is 384 wide, output.dense 1536
        let h0 = try encoder.hiddenStates(batch)[0]
        let query = try #require(inputs["encoder.layer.0.attention.self.query"])
        #expect(query.shape == [batch.realTokenCount, 384])
        var expectedRows: [Float] = []
        for b in 0..<batch.count {
            let first = b * batch.length * 384
            expectedRows += h0.data[first..<(first + batch.lengths[b] * 384)]
        }
        #expect(query.data == expectedRows)
        #expect(inputs["encoder.layer.5.output.dense"]?.shape == [batch.realTokenCount, 1536])
        // one name only
        let one = try encoder.linearInputs(batch, names: ["encoder.layer.2.attention.self.value"])
        #expect(Array(one.keys) == ["encoder.layer.2.attention.self.value"])
    }

    @Test func hiddenStatesAreEmbeddingsThenEachLayer() throws {
        let embedder = try MiniLM.embedder()
        let batch = TokenBatch([embedder.tokenizer.encode("Seven hidden states.")])
        let states = try embedder.encoder.hiddenStates(batch)
        #expect(states.count == 7)
        #expect(states.last == (try embedder.encoder.lastHiddenState(batch)))
    }

    /// Replacing every layer with itself changes nothing; zeroing one dense layer changes the
    /// embedding and leaves the original encoder as it was (the encoder is a value).
    @Test func replacingLinearsReturnsANewEncoder() throws {
        let embedder = try MiniLM.embedder()
        let sentence = ["Swap one dense layer."]
        let before = try embedder.embed(sentence)
        let same = embedder.with(encoder: embedder.encoder.replacingLinears { _, linear in linear })
        #expect(try same.embed(sentence) == before)
        let name = "encoder.layer.3.intermediate.dense"
        let zeroed = embedder.encoder.replacingLinears { n, linear in
            n == name
                ? FloatLinear(
                    weight: Tensor(shape: [linear.outFeatures, linear.inFeatures]),
                    bias: [Float](repeating: 0, count: linear.outFeatures))
                : linear
        }
        let changed = try embedder.with(encoder: zeroed).embed(sentence)
        #expect(cosine(row(changed, 0), row(before, 0)) < 0.999)
        #expect(try embedder.embed(sentence) == before)
        #expect(zeroed.linear(named: name) is FloatLinear)
        #expect(zeroed.linear(named: "no.such.layer") == nil)
    }

    @Test func badIDsAreThrownNotTrapped() throws {
        let encoder = try MiniLM.embedder().encoder
        #expect(throws: BERTError.self) { try encoder.lastHiddenState(TokenBatch([[101, 40_000, 102]])) }
        let tooLong = TokenBatch([[Int](repeating: 1000, count: 513)])
        #expect(throws: BERTError.self) { try encoder.lastHiddenState(tooLong) }
    }
}
