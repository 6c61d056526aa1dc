import ArgumentParser
import BERT
import Foundation

/// `lowbit tokenize --model DIR [--json] SENTENCE…` — the token ids a BERT model reads for
/// each sentence: `[CLS]`, its WordPiece ids, `[SEP]`, truncated at the folder's
/// `max_seq_length` (Chapter 12). The same ids as Hugging Face's BertTokenizer.
///
/// ```
/// $ lowbit tokenize "Hello World! 123 café"
/// 101 7592 2088 999 13138 7668 102
/// $ lowbit tokenize --json "a" ""
/// [[101,1037,102],[101,102]]
/// ```
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the BERT token ids of each sentence: one line per sentence, or JSON.",
        discussion: """
            Reads only the model folder's vocab.txt and configs. Ids include [CLS] and [SEP]; \
            sentences are truncated at max_seq_length tokens (256 for all-MiniLM-L6-v2).
            """)

    @Option(help: """
        A BERT sentence-transformers folder \
        (default: $LOWBIT_MINILM or ~/.cache/lowbit/all-MiniLM-L6-v2).
        """)
    var model: String?

    @Flag(help: "Print a JSON list of lists instead of one line of ids per sentence.")
    var json = false

    @Argument(help: "The sentences (an empty string is a sentence: [CLS] [SEP]).")
    var sentences: [String] = []

    func run() throws {
        let folder = try bertModelFolder(model)
        let config = try BERTConfig.load(folder: folder)
        let vocabulary = try BERTCheckpoint.loadVocabulary(
            folder.appendingPathComponent("vocab.txt"))
        let tokenizer = try BERTTokenizer(
            vocabulary: vocabulary, maxLength: config.maxSequenceLength)
        let ids = sentences.map(tokenizer.encode)
        if json {
            print("[" + ids.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }
                .joined(separator: ",") + "]")
        } else {
            for sentence in ids { print(sentence.map(String.init).joined(separator: " ")) }
        }
    }
}
