import BERT
import Core
import Testing
import TestSupport

/// Exercise 12a: WordPiece's greedy longest match, on a vocabulary small enough to check by
/// hand (Wu et al. 2016 §4.1; Devlin et al. 2018's `WordpieceTokenizer`).
@Suite struct Ex12a_WordPieceTests {
    //                      0        1      2       3      4       5        6      7      8
    static let vocabulary = ["[UNK]", "un", "##aff", "##able", "u", "##n", "##a", "##ff", "##ffa",
    //                       9         10     11
                             "##ble", "a", "##b"]

    @Test func longestPieceWinsAtEveryStart() throws {
        let wordPiece = try WordPiece(vocabulary: Self.vocabulary)
        // "un" beats "u", "##aff" beats "##a", and "##able" finishes the word
        #expect(wordPiece.pieceIDs("unaffable") == [1, 2, 3])
        #expect(wordPiece.pieceIDs("u") == [4])
        // no "ab" in the vocabulary: "a", then "##b" (longest at 1), then "##ble"
        #expect(wordPiece.pieceIDs("abble") == [10, 11, 9])
    }

    /// A word with any unmatched piece becomes one [UNK], not pieces plus [UNK].
    @Test func anUnmatchedPieceMakesTheWordUnknown() throws {
        let wordPiece = try WordPiece(vocabulary: Self.vocabulary)
        #expect(wordPiece.pieceIDs("unx") == [0])
        #expect(wordPiece.pieceIDs("x") == [0])
    }

    /// On the real vocabulary: the examples of the reference and of the BERT paper's era.
    @Test func realVocabularyCutsAsHuggingFace() throws {
        let tokenizer = try MiniLM.tokenizer()
        #expect(tokenizer.tokenize("unaffable") == ["[CLS]", "una", "##ffa", "##ble", "[SEP]"])
        #expect(tokenizer.tokenize("tokenization")
            == ["[CLS]", "token", "##ization", "[SEP]"])
        let fixture = try TokenizerCases.load()
        let mismatches = fixture.cases.filter { tokenizer.encode($0.sentence) != $0.ids }.count
        #expect(mismatches == 0, "\(mismatches) of \(fixture.cases.count) fixture sentences differ")
    }
}

/// Exercise 12b: the padding mask — padded keys get the float32 minimum, in every row.
@Suite struct Ex12b_PaddingMaskTests {
    @Test func paddedKeysAreMaskedInEveryRow() {
        // 3 × 3 scores, 2 real tokens: column 2 is padding
        var scores: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        PaddedSelfAttention.maskPaddedKeys(&scores, length: 3, realLength: 2)
        let m = PaddedSelfAttention.maskedScore
        #expect(scores == [1, 2, m, 4, 5, m, 7, 8, m])
        var full: [Float] = [1, 2, 3, 4]
        PaddedSelfAttention.maskPaddedKeys(&full, length: 2, realLength: 2)
        #expect(full == [1, 2, 3, 4])
    }

    /// Huge values in the padding rows of k and v change nothing for the real tokens.
    @Test func paddingRowsCannotReachRealTokens() {
        let (length, hidden) = (4, 8)
        let batch = TokenBatch([[1, 2]], paddedLength: length)
        var q = Tensor(shape: [length, hidden], data: sampleValues(length * hidden, seed: 1))
        var k = Tensor(shape: [length, hidden], data: sampleValues(length * hidden, seed: 2))
        var v = Tensor(shape: [length, hidden], data: sampleValues(length * hidden, seed: 3))
        let clean = PaddedSelfAttention.forward(query: q, key: k, value: v, batch: batch, heads: 2)
        for i in (2 * hidden)..<(length * hidden) {
            q.data[i] = 1000
            k.data[i] = 1000
            v.data[i] = -1000
        }
        let noisy = PaddedSelfAttention.forward(query: q, key: k, value: v, batch: batch, heads: 2)
        let realValues = 2 * hidden
        #expect(Array(noisy.data.prefix(realValues)) == Array(clean.data.prefix(realValues)))
    }

    /// On the model: the reference batch pads two of its three sentences, and each sentence's
    /// embedding alone equals its embedding in the batch.
    @Test func paddedSentencesEmbedAsAlone() throws {
        let embedder = try MiniLM.embedder()
        let batch = try MiniLM.referenceBatch()
        let together = try embedder.embed(batch)
        for b in 0..<batch.count {
            let alone = try embedder.embed(TokenBatch([Array(batch.sequence(b))]))
            let c = cosine(row(alone, 0), row(together, b))
            #expect(c > 0.999_999, "sentence \(b): cosine \(c)")
        }
    }
}

/// Exercise 12c: mean pooling over the mask (and the embeddings it leads to).
@Suite struct Ex12c_MeanPoolingTests {
    /// Two sentences, 3 positions, 2 features: the second sentence has one padding row
    /// holding 100s, which must not count.
    @Test func meanCountsOnlyRealTokens() {
        let batch = TokenBatch([[1, 2, 3], [4, 5]])
        let h = Tensor(rows: [[1, 2], [3, 4], [5, 6], [10, 20], [30, 40], [100, 100]])
        let mean = MeanPooling.mean(h, batch: batch)
        #expect(mean.shape == [2, 2])
        #expect(mean.data == [3, 4, 20, 30])
    }

    @Test func l2NormalizedRowsHaveUnitLength() {
        let x = Tensor(rows: [[3, 4], [0, 0]])
        #expect(MeanPooling.l2Normalized(x).data == [0.6, 0.8, 0, 0])
    }

    @Test func embeddingsMatchTheReference() throws {
        let embedder = try MiniLM.embedder()
        let got = try embedder.embed(try MiniLM.referenceBatch())
        let expected = try MiniLMReference.embeddings()
        let worst = (0..<expected.rows).map { cosine(row(got, $0), row(expected, $0)) }.min() ?? .nan
        #expect(worst >= 0.9999, "worst cosine \(worst)")
    }
}
