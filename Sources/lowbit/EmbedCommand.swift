import ArgumentParser
import BERT
import Foundation
import PostTraining
import TensorIO

/// `lowbit embed --model DIR [--quantize SCHEME] [--sentences FILE] --out E.npy [SENTENCE…]`
/// — sentence embeddings of a BERT sentence-transformers model (Chapter 12): float32
/// [n, hidden] (384 for all-MiniLM-L6-v2), each row L2-normalised.
///
/// Rows are the lines of FILE first, then the SENTENCE arguments. Every line of FILE is a
/// sentence — an empty line too, which embeds `[CLS] [SEP]` — so row i is line i; a final
/// newline ends the last line and does not start another one (so `printf 'a\nb\n'` is two
/// sentences, `printf 'a\n\n'` is "a" and an empty sentence). A "\r" before a newline is
/// dropped (Windows line ends).
///
/// `--quantize SCHEME` replaces every dense layer of the encoder first: any scheme
/// `lowbit quantize` knows, or `nf4-dq`, `fp4-dq`, `llm-int8`, `gptq`, `awq`
/// (`BERTQuantizationScheme`; GPTQ and AWQ are calibrated on the book's 32 calibration
/// sentences, `BERTSweepSentences.calibration`).
///
/// ```
/// $ lowbit embed --out e.npy "This is an example sentence." "Hello World! 123 café"
/// embed: 2 sentences → e.npy (float32 [2, 384], fp32)
/// ```
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed sentences with a BERT sentence-transformers model, optionally quantized.",
        discussion: """
            Writes float32 [n, hidden] .npy, rows L2-normalised: the lines of --sentences first \
            (every line is a sentence, an empty one included; a final newline adds none), then \
            the SENTENCE arguments. --quantize takes any scheme of `lowbit quantize` or \
            nf4-dq, fp4-dq, llm-int8, gptq, awq.
            """)

    @Option(help: "A BERT sentence-transformers folder (default: $LOWBIT_MINILM, else ~/.cache).")
    var model: String?

    @Option(help: "Quantize every dense layer with this scheme first.")
    var quantize: String?

    @Option(help: "A UTF-8 text file, one sentence per line.")
    var sentences: String?

    @Option(help: "Output: float32 [n, hidden] .npy.")
    var out: String

    @Argument(help: "Sentences to embed (after the lines of --sentences).")
    var sentence: [String] = []

    func validate() throws {
        if let quantize, BERTQuantizationScheme(name: quantize) == nil {
            let names = BERTQuantizationScheme.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown --quantize scheme '\(quantize)'; known: \(names)")
        }
        if sentences == nil && sentence.isEmpty {
            throw ValidationError("no sentences: give --sentences FILE or SENTENCE arguments")
        }
    }

    func run() throws {
        var texts = try sentences.map(Self.lines) ?? []
        texts += sentence
        guard !texts.isEmpty else { throw CLIError("\(sentences ?? ""): the file has no lines") }
        let folder = try bertModelFolder(model)
        var embedder = try SentenceEmbedder(folder: folder)
        let scheme = quantize.flatMap(BERTQuantizationScheme.init(name:))
        if let scheme {
            let (encoder, _) = try BERTSchemeSweep.quantizedEncoder(
                embedder.encoder, tokenizer: embedder.tokenizer, scheme: scheme)
            embedder = embedder.with(encoder: encoder)
        }
        let e = try embedder.embed(texts)
        try writeOutputs([(out, RawTensor(float32: e.data, shape: e.shape))])
        print("embed: \(texts.count) sentences → \(out) (float32 \(e.shape), "
            + "\(scheme?.rawValue ?? "fp32"))")
    }

    /// The lines of a UTF-8 file: split at "\n", a "\r" before it dropped, and no line after
    /// a final newline.
    static func lines(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError("\(path): not UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
        if text.isEmpty || text.hasSuffix("\n") { lines.removeLast() }
        return lines
    }
}
