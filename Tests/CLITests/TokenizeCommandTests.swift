import Foundation
import TensorIO
import TestSupport
import Testing

/// `lowbit tokenize` through the binary, against the reference ids (reference README group
/// J, copied to Tests/BERTTests/Fixtures/minilm/). all-MiniLM-L6-v2 is fetched by
/// `make test` (scripts/fetch-minilm.sh).
@Suite struct TokenizeCommandTests {
    /// The model folder as `ModelFolder.miniLM` finds it ($LOWBIT_MINILM, else the cache).
    static var modelFolder: String {
        if let path = ProcessInfo.processInfo.environment["LOWBIT_MINILM"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache/lowbit/all-MiniLM-L6-v2").path
    }

    static func fixture(_ name: String) -> String {
        BuiltProducts.repositoryRoot.appendingPathComponent("Tests/BERTTests/Fixtures/minilm/\(name)").path
    }

    /// The reference's ids per sentence, without the padding.
    static func referenceIDs() throws -> [[Int]] {
        let ids = try NPY.read(contentsOf: fixture("input_ids.npy"))
        let mask = try NPY.read(contentsOf: fixture("attention_mask.npy")).int64s()
        let flat = try ids.int64s()
        let cols = ids.shape[1]
        return (0..<ids.shape[0]).map { r in
            (0..<cols).filter { mask[r * cols + $0] == 1 }.map { Int(flat[r * cols + $0]) }
        }
    }

    static func sentences() throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(contentsOf: URL(fileURLWithPath: fixture("sentences.json"))))
    }

    @Test func plainOutputIsOneLineOfIDsPerSentence() throws {
        let result = try BuiltProducts.run(
            "lowbit", ["tokenize", "--model", Self.modelFolder] + Self.sentences())
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let ids = lines.map { $0.split(separator: " ").compactMap { Int($0) } }
        #expect(ids == (try Self.referenceIDs()))
    }

    @Test func jsonOutputIsAListOfLists() throws {
        let result = try BuiltProducts.run(
            "lowbit", ["tokenize", "--model", Self.modelFolder, "--json"] + Self.sentences() + [""])
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[Int]]
        // the empty sentence is [CLS] [SEP] = 101 102 (reference README: special token ids)
        #expect(parsed == (try Self.referenceIDs()) + [[101, 102]])
    }

    /// Without --model the default folder is used (the same one here).
    @Test func theDefaultModelIsMiniLM() throws {
        let result = try BuiltProducts.run("lowbit", ["tokenize", "This is an example sentence."])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "101 2023 2003 2019 2742 6251 1012 102\n")
    }

    @Test func aMissingModelIsOneErrorLineSayingHowToFetchIt() throws {
        let missing = try BuiltProducts.temporaryDirectory().appendingPathComponent("no-model").path
        let result = try BuiltProducts.run("lowbit", ["tokenize", "--model", missing, "hello"])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1,
                "\(result.stderr)")
        #expect(result.stderr.contains("fetch-minilm.sh"), "\(result.stderr)")
    }
}
