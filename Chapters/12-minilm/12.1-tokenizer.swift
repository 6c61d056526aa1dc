import BERT
import Book

/// 12.1: WordPiece, the tokenizer BERT was trained with (Devlin et al. 2018, §3; Wu et al.
/// 2016 for the greedy longest-match pieces), on the reference sentences and a few hard ones.
func tokenizerSection(_ book: Notebook, setup: MiniLMSetup) {
    book.section("12.1", "WordPiece: text to token ids")
    let tokenizer = setup.embedder.tokenizer
    book.say(
        """
        Before any weight is touched, text becomes ids. BERT's tokenizer cleans the text, \
        lowercases it, strips accents, splits punctuation and surrounds CJK characters with \
        spaces; then each word is cut into the longest pieces the \
        \(tokenizer.vocabulary.count)-entry vocabulary holds, left to right, a continuation \
        piece marked ## (exercise 12a). [CLS] opens every sentence and [SEP] closes it; \
        sentences are cut at \(tokenizer.maxLength) tokens, both included.
        """)
    let samples = setup.reference.sentences + [
        "Quantization makes transformers smaller.", "Café naïve résumé", "北京欢迎你",
        "x" + String(repeating: "y", count: 120),
    ]
    book.table(
        ["sentence", "tokens"],
        samples.map { sentence in
            let shown = sentence.count > 40 ? String(sentence.prefix(37)) + "..." : sentence
            return [shown, tokenizer.tokenize(sentence).joined(separator: " ")]
        }, leftAligned: [0, 1])
    print()
    let equal = zip(setup.reference.sentences, setup.reference.tokens).allSatisfy {
        tokenizer.tokenize($0) == $1
    }
    book.check(equal, "the reference sentences tokenize as Hugging Face's tokenizer does")
    book.say(
        """
        The reference sentences give exactly the tokens Hugging Face's tokenizer gave \
        (tokens.json); the BERT tests check 64 harder sentences id for id. A word of more than \
        100 characters is one [UNK], as in the last row.
        """)
}
