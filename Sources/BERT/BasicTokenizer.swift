import Foundation

/// BERT's basic tokenization: from raw text to lowercase, accent-free words and punctuation
/// marks, before any vocabulary is consulted (Devlin et al. 2018, the released
/// `tokenization.py` `BasicTokenizer`; Hugging Face's `BertNormalizer` + `BertPreTokenizer`).
///
/// ```
/// 1 clean        drop NUL, U+FFFD and control/format characters; whitespace → " "
/// 2 CJK          " 我 " around every CJK ideograph, so each becomes a word of its own
/// 3 lowercase    scalar by scalar ("İ" → "i" + U+0307, "ẞ" → "ß", Kelvin sign → "k")
/// 4 strip accents NFD (canonical decomposition), then drop every nonspacing mark (Mn):
///                "café" → "cafe", "한" → "ᄒ" "ᅡ" "ᆫ" (Hangul syllables decompose into jamo)
/// 5 split        on whitespace; every punctuation scalar becomes a word of its own
/// ```
///
/// "Hello, Wörld!" → ["hello", ",", "world", "!"].
///
/// Lowercasing is per scalar, as the Rust tokenizer that sentence-transformers runs does it.
/// The original Python code lowercases whole words with `str.lower()`, which turns a final
/// capital sigma into "ς" rather than "σ" ("ΟΔΟΣ"): the one sentence of our 64-case fixture
/// where the two Hugging Face tokenizers disagree. We follow the fast one, which the
/// reference embeddings were computed with.
public enum BasicTokenizer {
    /// The words and punctuation marks of `text`, normalized (steps 1–5).
    public static func words(_ text: String) -> [String] {
        split(normalize(text))
    }

    /// Steps 1–4: the cleaned, lowercased, accent-free text (one String, spaces kept).
    public static func normalize(_ text: String) -> String {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if CharacterClass.isDropped(scalar) { continue }
            if CharacterClass.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if CharacterClass.isCJKIdeograph(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        // NFD, then drop the nonspacing marks the decomposition exposed (and any already there).
        let decomposed = String(cleaned).decomposedStringWithCanonicalMapping
        var stripped = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            stripped.append(scalar)
        }
        return String(stripped)
    }

    /// Step 5: split on whitespace; each punctuation scalar is a word of its own.
    static func split(_ normalized: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func finishWord() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in normalized.unicodeScalars {
            if CharacterClass.isWhitespace(scalar) {
                finishWord()
            } else if CharacterClass.isPunctuation(scalar) {
                finishWord()
                words.append(String(scalar))
            } else {
                current.append(scalar)
            }
        }
        finishWord()
        return words
    }
}
