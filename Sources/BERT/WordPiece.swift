/// WordPiece: a word cut into the longest vocabulary pieces, left to right (Wu et al. 2016,
/// arXiv:1609.08144, §4.1 for the vocabulary; Devlin et al. 2018 §3 and the released
/// `tokenization.py` `WordpieceTokenizer` for the greedy longest-match-first cut BERT uses).
///
/// ```
/// vocabulary:  "un" "##aff" "##able" …   a piece that continues a word is written "##…"
/// "unaffable" → un | ##aff | ##able      at each start, the longest piece in the vocabulary
/// "xyz🦀abc"  → [UNK]                    one unmatched piece makes the whole word one [UNK]
/// a word of more than 100 scalars → [UNK]
/// ```
///
/// Greedy is not optimal: it never backtracks, so a word that could be cut with a shorter
/// first piece but not with the longest one becomes [UNK]. BERT was trained with exactly this
/// cut, so we reproduce it rather than improve it.
///
/// Pieces are looked up by their UTF-8 bytes, not as Swift `String`s: Swift compares strings
/// by canonical equivalence, so the jamo "ᄒ" "ᅡ" "ᆫ" (what accent stripping leaves of "한")
/// would equal the vocabulary's precomposed "한", which BERT's byte-exact lookup never finds.
public struct WordPiece: Sendable {
    /// Ids of the pieces that may start a word, by UTF-8 bytes.
    let wordStarts: [[UInt8]: Int]
    /// Ids of the continuation pieces, by the UTF-8 bytes after their "##".
    let continuations: [[UInt8]: Int]
    /// The id of [UNK].
    public let unknownID: Int
    /// Longer words are [UNK] without looking (Hugging Face's `max_input_chars_per_word`).
    public let maxScalarsPerWord: Int

    /// `vocabulary[id]` is the piece with that id; `unknownToken` must be one of them.
    public init(vocabulary: [String], unknownToken: String = "[UNK]", maxScalarsPerWord: Int = 100)
        throws
    {
        var starts: [[UInt8]: Int] = [:]
        var continuations: [[UInt8]: Int] = [:]
        var unknown: Int?
        for (id, piece) in vocabulary.enumerated() {
            let bytes = Array(piece.utf8)
            if bytes.count > 2, bytes[0] == UInt8(ascii: "#"), bytes[1] == UInt8(ascii: "#") {
                continuations[Array(bytes.dropFirst(2))] = id  // a later duplicate wins, as in HF
            } else {
                starts[bytes] = id
            }
            if piece.utf8.elementsEqual(unknownToken.utf8) { unknown = id }
        }
        guard let unknown else { throw BERTError.badVocabulary("no \(unknownToken) token") }
        self.wordStarts = starts
        self.continuations = continuations
        self.unknownID = unknown
        self.maxScalarsPerWord = maxScalarsPerWord
    }

    /// The id of `scalars` as a piece: a word-start piece at the start of a word, a "##" piece
    /// after it; nil when the vocabulary has no such piece.
    func pieceID(_ scalars: ArraySlice<Unicode.Scalar>, continuing: Bool) -> Int? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count * 4)
        for scalar in scalars {
            if let code = UTF8.encode(scalar) { bytes.append(contentsOf: code) }  // never nil
        }
        return continuing ? continuations[bytes] : wordStarts[bytes]
    }

    /// The ids of one word's pieces (a word as `BasicTokenizer` leaves it: no spaces).
    public func pieceIDs(_ word: String) -> [Int] {
        let scalars = Array(word.unicodeScalars)
        if scalars.isEmpty { return [] }
        if scalars.count > maxScalarsPerWord { return [unknownID] }
        // BEGIN EXERCISE 12a — WordPiece's greedy longest match
        var ids: [Int] = []
        var start = 0
        while start < scalars.count {
            // The longest piece starting at `start`: try the whole rest, then one scalar less…
            var end = scalars.count
            var found: Int?
            while start < end {
                if let id = pieceID(scalars[start..<end], continuing: start > 0) {
                    found = id
                    break
                }
                end -= 1
            }
            // Nothing matched, not even one scalar: the whole word is unknown.
            guard let id = found else { return [unknownID] }
            ids.append(id)
            start = end
        }
        return ids
        // END EXERCISE 12a
    }
}
