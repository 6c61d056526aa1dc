import Foundation
import TensorIO
import TestSupport
import Testing

/// `lowbit gguf write|read|inspect` end to end: the real executable, real files, exit codes.
/// (This target does not import GGUF: the command's own `read` and `inspect --json` check
/// what `write` produced.)
@Suite struct GGUFCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// The gguf-py fixture of GGUFTests (metadata of every type, six tensors).
    var ggufPyFile: String {
        BuiltProducts.repositoryRoot.appendingPathComponent(
            "Tests/GGUFTests/Fixtures/gguf_py_types.gguf"
        ).path
    }

    func lowbit(_ arguments: [String]) throws -> BuiltProducts.Result {
        try BuiltProducts.run("lowbit", ["gguf"] + arguments)
    }

    @Test func npyWrittenAsF32ReadsBackExactlyInItsShape() throws {
        let values = (0..<128).map { Float($0) * 0.37 - 20 }
        try NPY.write(RawTensor(float32: values, shape: [2, 64]), to: path("weight.npy"))
        let write = try lowbit(["write", path("weight.npy"), path("w.gguf")])
        #expect(write.status == 0, "stderr: \(write.stderr)")
        // The tensor is named after the .npy file's stem.
        let read = try lowbit([
            "read", path("w.gguf"), "--tensor", "weight", "--out", path("back.npy"),
        ])
        #expect(read.status == 0, "stderr: \(read.stderr)")
        let back = try NPY.read(contentsOf: path("back.npy"))
        #expect(back.elementType == .float32 && back.shape == [2, 64])
        #expect(try back.floats() == values)
    }

    @Test func everySafetensorsTensorIsQuantizedToTheType() throws {
        let a = (0..<64).map { Float($0 % 9) - 4 }
        let b = (0..<96).map { Float($0) / 10 }
        let file = SafetensorsFile(tensors: [
            ("layer.a", RawTensor(float32: a, shape: [2, 32])),
            ("layer.b", RawTensor(float32: b, shape: [3, 32])),
        ])
        try Safetensors.write(file, to: path("m.safetensors"))
        let write = try lowbit(["write", path("m.safetensors"), path("m.gguf"), "--type", "q8_0"])
        #expect(write.status == 0, "stderr: \(write.stderr)")
        let inspect = try lowbit(["inspect", path("m.gguf"), "--json"])
        #expect(inspect.status == 0)
        // Q8_0: 34 bytes per 32 values (ggml-common.h block_q8_0); offsets padded to 32.
        #expect(
            inspect.stdout.contains(
                #"{"name": "layer.a", "type": "Q8_0", "shape": [2, 32], "offset": 0, "bytes": 68}"#)
        )
        #expect(
            inspect.stdout.contains(
                #"{"name": "layer.b", "type": "Q8_0", "shape": [3, 32], "offset": 96, "#
                    + #""bytes": 102}"#
            ))
        for (name, original) in [("layer.a", a), ("layer.b", b)] {
            let read = try lowbit([
                "read", path("m.gguf"), "--tensor", name, "--out", path("x.npy"),
            ])
            #expect(read.status == 0, "stderr: \(read.stderr)")
            let values = try NPY.read(contentsOf: path("x.npy")).floats()
            // Q8_0 rounds to the nearest of 255 steps of d = absmax/127 (fp16): within one step.
            var withinAStep = values.count == original.count
            for block in stride(from: 0, to: original.count, by: 32) where withinAStep {
                let absmax = original[block..<block + 32].map(abs).max() ?? 0
                withinAStep = (block..<block + 32).allSatisfy {
                    abs(values[$0] - original[$0]) <= absmax / 127
                }
            }
            #expect(withinAStep, "\(name)")
        }
    }

    @Test func metadataValuesAreTypedAsGgufPyTypesThem() throws {
        try NPY.write(RawTensor(float32: [1, 2], shape: [2]), to: path("t.npy"))
        let pairs = [
            "n=42", "big=3000000000", "x=0.5", "flag=true", "name=tiny gpt", "empty=",
            "general.alignment=64",
        ]
        let write = try lowbit(["write", path("t.npy"), path("t.gguf"), "--metadata"] + pairs)
        #expect(write.status == 0, "stderr: \(write.stderr)")
        let json = try lowbit(["inspect", path("t.gguf"), "--json"]).stdout
        let expected = [
            #"{"key": "n", "type": "INT32", "value": 42}"#,
            #"{"key": "big", "type": "INT64", "value": 3000000000}"#,
            #"{"key": "x", "type": "FLOAT32", "value": 0.5}"#,
            #"{"key": "flag", "type": "BOOL", "value": true}"#,
            #"{"key": "name", "type": "STRING", "value": "tiny gpt"}"#,
            #"{"key": "empty", "type": "STRING", "value": ""}"#,
            #"{"key": "general.alignment", "type": "UINT32", "value": 64}"#, #""alignment": 64"#,
        ]
        for text in expected { #expect(json.contains(text), "\(text)") }
    }

    @Test func inspectListsEveryKeyAndAbbreviatesLongArraysInText() throws {
        let text = try lowbit(["inspect", ggufPyFile])
        #expect(text.status == 0, "stderr: \(text.stderr)")
        for key in [
            "general.architecture", "t.uint8", "t.float64", "a.string", "a.array", "a.long",
        ] {
            #expect(text.stdout.contains("  \(key): "), "\(key)")
        }
        #expect(
            text.stdout.contains("a.long: ARRAY[INT32] = [0, 1, 2, 3, 4, 5, 6, 7, … 100 values]"))
        #expect(text.stdout.contains("t.uint64: UINT64 = 18000000000000000000"))  // above Int.max
        #expect(text.stdout.contains("w.q6_k"))
        let json = try lowbit(["inspect", ggufPyFile, "--json"])
        #expect(
            json.stdout.contains("[" + (0..<100).map(String.init).joined(separator: ", ") + "]"))
        #expect(json.stdout.contains(#"{"name": "w.q6_k", "type": "Q6_K", "shape": [2, 256]"#))
        let parsed =
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((parsed?["metadata"] as? [Any])?.count == 28)  // general.architecture + 27 keys
        #expect((parsed?["tensors"] as? [Any])?.count == 6)
    }

    @Test func aRowThatIsNotWholeBlocksIsAnErrorNamingTheTensor() throws {
        try NPY.write(
            RawTensor(float32: Array(repeating: 1, count: 96), shape: [2, 48]), to: path("odd.npy"))
        let result = try lowbit(["write", path("odd.npy"), path("odd.gguf"), "--type", "q4_0"])
        expectContractError(result, mentioning: "tensor 'odd': rows of 48 values")
        #expect(!FileManager.default.fileExists(atPath: path("odd.gguf")))
    }

    @Test func badArgumentsAndFilesAreOneLineErrors() throws {
        try NPY.write(RawTensor(float32: [1, 2], shape: [2]), to: path("t.npy"))
        expectContractError(
            try lowbit(["write", path("t.npy"), path("t.gguf"), "--type", "q4_2"]),
            mentioning: "q4_2")
        expectContractError(
            try lowbit(["write", path("t.npy"), path("t.gguf"), "--metadata", "novalue"]),
            mentioning: "KEY=VALUE")
        #expect(try lowbit(["write", path("t.npy"), path("t.gguf")]).status == 0)
        expectContractError(
            try lowbit(["read", path("t.gguf"), "--tensor", "nope", "--out", path("o.npy")]),
            mentioning: "no tensor named 'nope'")
        try Data("GGUX and more".utf8).write(to: URL(fileURLWithPath: path("bad.gguf")))
        expectContractError(
            try lowbit(["inspect", path("bad.gguf")]), mentioning: "not a GGUF file")
        #expect(!FileManager.default.fileExists(atPath: path("o.npy")))
    }
}
