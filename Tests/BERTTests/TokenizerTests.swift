import BERT
import Foundation
import Testing
import TestSupport

/// One sentence of `Fixtures/tokenizer/tokenizer_cases.json` (written by
/// `make_tokenizer_cases.py`): the ids of Hugging Face's BertTokenizer for this model.
struct TokenizerCase: Decodable {
    let sentence: String
    let ids: [Int]
    let legacyIds: [Int]?
}

struct TokenizerCases: Decodable {
    let maxLength: Int
    let cases: [TokenizerCase]

    static func load() throws -> TokenizerCases {
        let path = try Fixtures(.module).path("tokenizer/tokenizer_cases.json")
        return try JSONDecoder().decode(
            TokenizerCases.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

@Suite struct TokenizerTests {
    @Test func referenceSentencesGiveTheReferenceTokens() throws {
        let tokenizer = try MiniLM.tokenizer()
        let sentences = try MiniLMReference.sentences()
        let expected = try MiniLMReference.tokens()
        #expect(sentences.map(tokenizer.tokenize) == expected)
    }

    @Test func referenceSentencesGiveTheReferenceIDs() throws {
        let tokenizer = try MiniLM.tokenizer()
        let (ids, lengths) = try MiniLMReference.inputIDs()
        let sentences = try MiniLMReference.sentences()
        let batch = TokenBatch(sentences.map(tokenizer.encode))
        #expect(batch.lengths == lengths)
        #expect(batch.ids == ids.flatMap { $0 }, "padded ids differ")
    }

    /// 64 tricky sentences (accents, CJK, Hangul, emoji, control characters, 100- and
    /// 101-scalar words, > 256 tokens, special tokens in the text, the empty string) against
    /// Hugging Face's fast BertTokenizer (its Rust backend agreed on all 64; the legacy
    /// Python tokenizer differs on one, the final sigma — see BasicTokenizer).
    @Test func trickySentencesGiveHuggingFacesIDs() throws {
        let tokenizer = try MiniLM.tokenizer()
        let fixture = try TokenizerCases.load()
        #expect(fixture.maxLength == tokenizer.maxLength)
        #expect(fixture.cases.count == 64)
        var log = MismatchLog("tokenizer cases", shown: 2)
        for (i, c) in fixture.cases.enumerated() {
            let ids = tokenizer.encode(c.sentence)
            if ids != c.ids {
                log.add("case \(i) \(c.sentence.debugDescription.prefix(40)): "
                    + (firstMismatch(c.ids, ids) ?? ""))
            }
        }
        log.expectEmpty()
    }

    /// The fixture really exercises truncation and the length limits it claims to.
    @Test func truncationKeepsClsAndSepWithinMaxLength() throws {
        let tokenizer = try MiniLM.tokenizer()
        let long = String(repeating: "word ", count: 300)
        let ids = tokenizer.encode(long)
        #expect(ids.count == 256)
        #expect(ids.first == tokenizer.classifierID && ids.last == tokenizer.separatorID)
        #expect(tokenizer.pieceIDs(long).count == 300)
        #expect(tokenizer.encode("") == [101, 102])
    }

    /// A 100-scalar word is cut into pieces; at 101 scalars it is [UNK] without looking.
    @Test func wordsOverOneHundredScalarsAreUnknown() throws {
        let tokenizer = try MiniLM.tokenizer()
        let hundred = String(repeating: "ab", count: 50)
        #expect(tokenizer.wordPiece.pieceIDs(hundred).count > 1)
        #expect(tokenizer.wordPiece.pieceIDs(hundred + "c") == [tokenizer.wordPiece.unknownID])
    }

    /// Special tokens are matched in the raw text exactly as spelled.
    @Test func specialTokensInTheTextStaySingleTokens() throws {
        let tokenizer = try MiniLM.tokenizer()
        #expect(tokenizer.tokenize("x[MASK]y") == ["[CLS]", "x", "[MASK]", "y", "[SEP]"])
        #expect(tokenizer.tokenize("[mask]") == ["[CLS]", "[", "mask", "]", "[SEP]"])
    }
}

/// Basic tokenization alone, on hand-checkable strings (no vocabulary involved).
@Suite struct BasicTokenizerTests {
    @Test func accentsAreStrippedAndCaseFolded() {
        #expect(BasicTokenizer.words("Crème BRÛLÉE") == ["creme", "brulee"])
        // a decomposed accent (e + U+0301) gives the same word as the precomposed one
        #expect(BasicTokenizer.words("Cafe\u{301}") == ["cafe"])
    }

    @Test func punctuationAndCJKBecomeWordsOfTheirOwn() {
        #expect(BasicTokenizer.words("Wait...what?!") == ["wait", ".", ".", ".", "what", "?", "!"])
        #expect(BasicTokenizer.words("BERT模型") == ["bert", "模", "型"])
        // ASCII symbols that are not Unicode punctuation are split off too
        #expect(BasicTokenizer.words("a$b^c") == ["a", "$", "b", "^", "c"])
    }

    @Test func controlCharactersVanishAndWhitespaceSplits() {
        #expect(BasicTokenizer.words("null\u{0}char\u{200B}s") == ["nullchars"])
        #expect(BasicTokenizer.words("a\tb\u{A0}c\u{2028}d") == ["a", "b", "c", "d"])
        #expect(BasicTokenizer.words(" \n ").isEmpty)
    }

    /// Hangul syllables decompose into jamo under NFD (and no jamo is a nonspacing mark).
    @Test func hangulDecomposesIntoJamo() {
        let words = BasicTokenizer.words("한")
        #expect(words.count == 1 && words[0].unicodeScalars.count == 3)
    }
}
