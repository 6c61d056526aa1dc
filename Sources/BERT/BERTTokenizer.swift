/// BERT's tokenizer, text → ids: special tokens found in the raw text, basic tokenization,
/// WordPiece, then `[CLS] … [SEP]` with truncation (Devlin et al. 2018 §3, "Input/Output
/// Representations"; Hugging Face's `BertTokenizer` as sentence-transformers calls it:
/// `truncation=True, max_length=256`).
///
/// ```
/// "Hello World! 123 café" → [CLS] hello world ! 123 cafe [SEP] → 101 7592 2088 999 13138 7668 102
/// pieces beyond maxLength − 2 are cut off (a long word may lose its last pieces); [CLS] and
/// [SEP] are always there, so an empty sentence is [101, 102]
/// ```
///
/// Special tokens written in the text ("[MASK]", "[SEP]", exactly so spelled, even inside a
/// word: "x[MASK]y" → x [MASK] y) stay single tokens, as in Hugging Face, where they are
/// "added tokens" matched before normalization; "[mask]" is ordinary text.
///
/// Checked against Hugging Face's tokenizers on 64 tricky sentences (accents, CJK, Hangul,
/// emoji, control characters, long words, > 256 tokens: `Fixtures/tokenizer_cases.json`).
public struct BERTTokenizer: Sendable {
    /// Token strings by id (`vocab.txt`).
    public let vocabulary: [String]
    /// Longest output in tokens, [CLS] and [SEP] included.
    public let maxLength: Int
    public let wordPiece: WordPiece
    public let classifierID: Int, separatorID: Int, paddingID: Int
    /// The special tokens of the vocabulary by their spelling, matched in raw text.
    let specialTokens: [(scalars: [Unicode.Scalar], id: Int)]

    /// The special tokens BERT's vocabulary defines (Hugging Face's `all_special_tokens`).
    public static let specialTokenNames = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    public init(vocabulary: [String], maxLength: Int) throws {
        guard maxLength >= 2 else { throw BERTError.badConfig("maxLength \(maxLength) < 2") }
        self.vocabulary = vocabulary
        self.maxLength = maxLength
        wordPiece = try WordPiece(vocabulary: vocabulary)
        var ids: [String: Int] = [:]
        for (id, token) in vocabulary.enumerated() where Self.specialTokenNames.contains(token) {
            ids[token] = id
        }
        func required(_ token: String) throws -> Int {
            guard let id = ids[token] else { throw BERTError.badVocabulary("no \(token) token") }
            return id
        }
        classifierID = try required("[CLS]")
        separatorID = try required("[SEP]")
        paddingID = try required("[PAD]")
        specialTokens = ids.map { (Array($0.key.unicodeScalars), $0.value) }
            .sorted { $0.scalars.count > $1.scalars.count }  // longest first
    }

    /// The tokenizer of a loaded model folder (truncating at its `max_seq_length`).
    public init(checkpoint: BERTCheckpoint) throws {
        try self.init(
            vocabulary: checkpoint.vocabulary, maxLength: checkpoint.config.maxSequenceLength)
    }

    /// The ids the encoder reads: `[CLS]`, at most maxLength − 2 pieces, `[SEP]`.
    public func encode(_ text: String) -> [Int] {
        var pieces = pieceIDs(text)
        if pieces.count > maxLength - 2 { pieces.removeLast(pieces.count - (maxLength - 2)) }
        return [classifierID] + pieces + [separatorID]
    }

    /// The token strings of `encode(text)`, [CLS] and [SEP] included (as the reference's
    /// `tokens.json` lists them).
    public func tokenize(_ text: String) -> [String] {
        encode(text).map { vocabulary[$0] }
    }

    /// Every piece id of `text`, no special tokens added, nothing cut off.
    public func pieceIDs(_ text: String) -> [Int] {
        var ids: [Int] = []
        for segment in splitOnSpecialTokens(text) {
            switch segment {
            case .special(let id): ids.append(id)
            case .text(let text):
                for word in BasicTokenizer.words(text) {
                    ids.append(contentsOf: wordPiece.pieceIDs(word))
                }
            }
        }
        return ids
    }

    enum Segment: Equatable {
        case text(String)
        case special(Int)
    }

    /// The raw text cut at every exact occurrence of a special token, leftmost first.
    func splitOnSpecialTokens(_ text: String) -> [Segment] {
        let scalars = Array(text.unicodeScalars)
        var segments: [Segment] = []
        var plain = String.UnicodeScalarView()
        var i = 0
        scan: while i < scalars.count {
            if scalars[i] == "[" {
                for special in specialTokens
                where scalars[i...].starts(with: special.scalars) {
                    if !plain.isEmpty { segments.append(.text(String(plain))) }
                    plain = String.UnicodeScalarView()
                    segments.append(.special(special.id))
                    i += special.scalars.count
                    continue scan
                }
            }
            plain.append(scalars[i])
            i += 1
        }
        if !plain.isEmpty { segments.append(.text(String(plain))) }
        return segments
    }
}
