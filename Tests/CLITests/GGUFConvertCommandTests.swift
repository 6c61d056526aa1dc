import Foundation
import TestSupport
import Testing

/// `lowbit gguf convert` end to end through the executable. The conversion itself is checked
/// against llama.cpp's converter in BERTTests (BERTGGUFTests); here: the contract — the model
/// folder by default, the file and its summary, one-line errors, usage errors before the model
/// is read. Needs all-MiniLM-L6-v2 (`make test` fetches it; scripts/fetch-minilm.sh).
@Suite struct GGUFConvertCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func lowbit(_ arguments: [String]) throws -> BuiltProducts.Result {
        try BuiltProducts.run("lowbit", ["gguf"] + arguments)
    }

    /// Q8_0 as the converter writes it (gguf_bert/metadata.json, file q8_0): 101 tensors,
    /// token_embd and the 36 Linears Q8_0, the other 64 F32; general.file_type 7.
    @Test func defaultModelConvertsToQ8_0WithTheConvertersTypes() throws {
        let result = try lowbit(["convert", "--out", path("m.gguf"), "--type", "q8_0"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("101 tensors"), "\(result.stdout)")
        #expect(result.stdout.contains("(F32 × 64, Q8_0 × 37)"), "\(result.stdout)")
        let json = try lowbit(["inspect", path("m.gguf"), "--json"]).stdout
        let expected = [
            #"{"key": "general.file_type", "type": "UINT32", "value": 7}"#,
            #"{"key": "tokenizer.ggml.model", "type": "STRING", "value": "bert"}"#,
            #"{"name": "token_embd.weight", "type": "Q8_0", "shape": [30522, 384]"#,
            #"{"name": "position_embd.weight", "type": "F32", "shape": [512, 384]"#,
            #"{"name": "blk.5.ffn_down.weight", "type": "Q8_0", "shape": [384, 1536]"#,
        ]
        for text in expected { #expect(json.contains(text), "\(text)") }
    }

    /// An unknown type is a usage error (exit 64, EX_USAGE) raised before any model is read:
    /// the folder given does not exist, and the message is about the type.
    @Test func unknownTypeIsAUsageErrorBeforeTheModelIsRead() throws {
        let result = try lowbit([
            "convert", "--model", path("nowhere"), "--out", path("x.gguf"), "--type", "q4_2",
        ])
        expectContractError(result, mentioning: "unknown type 'q4_2'")
        #expect(result.status == 64)
        #expect(!FileManager.default.fileExists(atPath: path("x.gguf")))
    }

    @Test func aFolderThatIsNotAModelIsOneLineErrorAndNoFile() throws {
        try FileManager.default.createDirectory(
            atPath: path("empty"), withIntermediateDirectories: true)
        let result = try lowbit(["convert", "--model", path("empty"), "--out", path("x.gguf")])
        expectContractError(result, mentioning: "no BERT model in")
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: path("x.gguf")))
    }
}
