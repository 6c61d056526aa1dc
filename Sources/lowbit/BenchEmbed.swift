import ArgumentParser
import BERT
import Core
import Foundation
import PostTraining

/// `lowbit bench embed`: sentence embeddings per second with all-MiniLM-L6-v2, one thread, one
/// batch of 32 sentences of typical length (the first 32 of Chapter 12's evaluation set, 8–20
/// words), for float32 and for the int8 and 4-bit paths (LLM.int8()'s int8 × int8 with float
/// outlier columns, per-row absmax int8, NF4 dequantized per call as bitsandbytes' Linear4bit,
/// Q8_0). With `--python VENV/bin/python` sentence-transformers on PyTorch CPU (one thread)
/// embeds the same sentences in the same run (`scripts/bench/embed_peer.py`), and the table
/// gives its time over ours.
struct BenchEmbed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Benchmark sentence embeddings (sentences/s, one thread), optionally beside "
            + "sentence-transformers on PyTorch CPU.")

    @Option(help: "A BERT-family sentence-transformers folder (default: all-MiniLM-L6-v2 in ~/.cache/lowbit).")
    var model: String?
    @Option(help: "Sentences per batch (at most 40).") var batch = 32
    @Option(help: "Repetitions per path; the best is reported.") var repeats = 3
    @Option(help: "Schemes besides fp32, comma-separated.")
    var schemes = "llm-int8,absmax-int8-row,nf4,q8_0"
    @Option(help: "Also run sentence-transformers with this Python (torch, sentence-transformers).")
    var python: String?
    @Option(help: "The peer script (default: relative to the repository root).")
    var peerScript = "scripts/bench/embed_peer.py"

    func validate() throws {
        guard (1...BERTSweepSentences.evaluation.count).contains(batch) else {
            throw ValidationError(
                "--batch must be 1 … \(BERTSweepSentences.evaluation.count), got \(batch)")
        }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be in 1...100") }
        for name in schemeNames where BERTQuantizationScheme(name: name) == nil {
            throw ValidationError("--schemes: no scheme named \(name)")
        }
    }

    var schemeNames: [String] { schemes.split(separator: ",").map(String.init) }

    func run() throws {
        let folder = try bertModelFolder(model)
        let embedder = try SentenceEmbedder(folder: folder)
        let sentences = Array(BERTSweepSentences.evaluation.prefix(batch))
        let tokens = sentences.map { embedder.tokenizer.encode($0).count }
        var rows: [(label: String, seconds: Double)] = []
        var failure: Error?
        func time(_ label: String, _ e: SentenceEmbedder) {
            _ = try? e.embed(sentences)  // warm-up
            let seconds = BenchTimer.best(repeats) {
                do { _ = try KernelThreads.onOneThread { try e.embed(sentences, batchSize: batch) } }
                catch { failure = error }
            }
            rows.append((label, seconds))
        }
        time("fp32", embedder)
        for name in schemeNames {
            guard let scheme = BERTQuantizationScheme(name: name) else { continue }
            let (encoder, _) = try BERTSchemeSweep.quantizedEncoder(
                embedder.encoder, tokenizer: embedder.tokenizer, scheme: scheme)
            time(name, embedder.with(encoder: encoder))
        }
        if let failure { throw failure }
        let peer = try python.map { try runPeer($0, folder: folder, sentences: sentences) }
        print(BenchEnvironment.describe())
        print(
            "\(sentences.count) sentences in one batch, \(tokens.min()!)–\(tokens.max()!) tokens "
                + "(\(tokens.reduce(0, +)) in all), one thread, best of \(repeats)")
        if let peer {
            print("peer: \(peer.versions); sentence-transformers \(String(format: "%.1f", Double(batch) / peer.seconds)) sentences/s")
        }
        print("path               sentences/s   vs fp32" + (peer == nil ? "" : "   sentence-transformers ×"))
        let fp32 = rows[0].seconds
        for row in rows {
            var line = row.label.padding(toLength: 17, withPad: " ", startingAt: 0)
                + String(format: "%13.1f", Double(batch) / row.seconds)
                + String(format: "%9.2fx", fp32 / row.seconds)
            if let peer { line += String(format: "%26.2fx", peer.seconds / row.seconds) }
            print(line)
        }
    }

    /// sentence-transformers on the same sentences: its best seconds and library versions.
    func runPeer(_ python: String, folder: URL, sentences: [String]) throws
        -> (seconds: Double, versions: String)
    {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("lowbit-bench-embed-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try JSONSerialization.data(withJSONObject: sentences).write(to: scratch)
        let object = try PeerProcess.runJSON(
            python: python, arguments: [peerScript, folder.path, scratch.path],
            environment: ["REPEATS": String(repeats)])
        guard let seconds = object["sentence_transformers_seconds"] as? Double else {
            throw CLIError("the peer printed no sentence_transformers_seconds")
        }
        return (seconds, object["versions"] as? String ?? "?")
    }
}
