import BERT
import Foundation
import TensorIO
import TestSupport
import Testing

/// `lowbit embed` through the real binary, on all-MiniLM-L6-v2 (fetched by `make test`) and
/// the reference embeddings of README group J (Tests/BERTTests/Fixtures/minilm).
@Suite struct EmbedCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static let sentences = [
        "This is an example sentence.", "Each sentence is converted to a vector.",
        "Hello World! 123 café",
    ]
    static func reference(_ name: String) throws -> [Float] {
        try NPY.read(
            contentsOf: BuiltProducts.repositoryRoot
                .appendingPathComponent("Tests/BERTTests/Fixtures/minilm/\(name)").path
        ).floats()
    }

    func requireModel() throws {
        try #require(ModelFolder.isPresent(ModelFolder.miniLM), "\(ModelFolder.howToFetch)")
    }

    func embeddings(_ name: String) throws -> RawTensor { try NPY.read(contentsOf: path(name)) }

    static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        let dot = zip(a, b).map { Double($0) * Double($1) }.reduce(0, +)
        let na = a.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
        let nb = b.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
        return dot / (na * nb)
    }

    /// Rows of [n, 384] a and b with cosine below `minimum` (0 when all are close).
    static func farRows(_ a: [Float], _ b: [Float], rows: Int, minimum: Double) -> Int {
        (0..<rows).filter { r in
            cosine(a[(r * 384)..<((r + 1) * 384)], b[(r * 384)..<((r + 1) * 384)]) < minimum
        }.count
    }

    /// fp32: cosine ≥ 0.9999 to sentence-transformers' on every reference sentence (issue
    /// #13's bar), rows of unit length (float32 normalisation: |‖e‖ − 1| ≤ 1e−6).
    @Test func fp32EmbeddingsMatchTheReference() throws {
        try requireModel()
        let result = try BuiltProducts.run(
            "lowbit", ["embed", "--out", path("e.npy")] + Self.sentences)
        #expect(result.status == 0, "\(result.stderr)")
        let e = try embeddings("e.npy")
        #expect(e.elementType == .float32 && e.shape == [3, 384])
        let values = try e.floats()
        let reference = try Self.reference("embeddings.npy")
        #expect(Self.farRows(values, reference, rows: 3, minimum: 0.9999) == 0)
        let norms = (0..<3).map { r in
            values[(r * 384)..<((r + 1) * 384)].map { Double($0) * Double($0) }.reduce(0, +)
                .squareRoot()
        }
        #expect(norms.allSatisfy { abs($0 - 1) <= 1e-6 }, "norms \(norms)")
    }

    /// --sentences: every line is a sentence, the empty one too; row i = line i; the final
    /// newline adds no row. The empty line's row is the empty argument's ([CLS] [SEP]).
    @Test func sentencesFileKeepsEmptyLines() throws {
        try requireModel()
        let file = path("s.txt")
        let text = Self.sentences[0] + "\n\n" + Self.sentences[2] + "\r\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let result = try BuiltProducts.run(
            "lowbit", ["embed", "--sentences", file, "--out", path("f.npy")])
        #expect(result.status == 0, "\(result.stderr)")
        let f = try embeddings("f.npy")
        #expect(f.shape == [3, 384])
        let values = try f.floats()
        let reference = try Self.reference("embeddings.npy")
        #expect(Self.cosine(values[0..<384], reference[0..<384]) >= 0.9999)
        #expect(Self.cosine(values[768..<1152], reference[768..<1152]) >= 0.9999)
        let empty = try BuiltProducts.run("lowbit", ["embed", "--out", path("g.npy"), ""])
        #expect(empty.status == 0, "\(empty.stderr)")
        let g = try embeddings("g.npy").floats()
        #expect(g.count == 384 && Array(values[384..<768]) == g, "the empty line's row")
    }

    /// NF4 through the binary: bitsandbytes' NF4 model (`embeddings_nf4.npy`) to cosine
    /// ≥ 0.9999, as fp32 is held to sentence-transformers.
    @Test func nf4EmbeddingsMatchBitsandbytes() throws {
        try requireModel()
        let result = try BuiltProducts.run(
            "lowbit", ["embed", "--quantize", "nf4", "--out", path("n.npy")] + Self.sentences)
        #expect(result.status == 0, "\(result.stderr)")
        let values = try embeddings("n.npy").floats()
        let reference = try Self.reference("embeddings_nf4.npy")
        #expect(Self.farRows(values, reference, rows: 3, minimum: 0.9999) == 0)
    }

    /// Usage errors exit 64 before anything is read (the model folder does not even exist);
    /// a missing model or an unreadable file is one `error:` line and exit 1; no output file.
    @Test(arguments: [
        (["--quantize", "q7_z", "--model", "/nonexistent", "x"], Int32(64), "unknown --quantize"),
        (["--model", "/nonexistent"], 64, "no sentences"),
        (["--model", "/nonexistent", "x"], 1, "no BERT model"),
        (["--sentences", "/nonexistent/s.txt"], 1, "cannot read"),
    ])
    func errorsAreOneLine(arguments: [String], status: Int32, message: String) throws {
        let result = try BuiltProducts.run(
            "lowbit", ["embed", "--out", path("x.npy")] + arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(message))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: path("x.npy")))
    }
}
