import Foundation
import TensorIO
import TestSupport
import Testing

/// `lowbit quantize --scheme q8_0 … mxfp4` through the real binary against every llama.cpp and
/// gguf-py reference case committed with the GGML tests (Tests/GGMLTests/Fixtures/README.md
/// says what produced each): `--codes` must hold llama.cpp's row bytes, `--dequantized` its
/// `to_float` values, bit for bit.
@Suite struct GGMLQuantizeCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static let fixtures = BuiltProducts.repositoryRoot
        .appendingPathComponent("Tests/GGMLTests/Fixtures")

    /// Every case folder: `ggml_quants/Q4_K_16x512`, `ggml_quants_extra/Q2_K_8x768_edges` …
    static var cases: [String] {
        ["ggml_quants", "ggml_quants_extra", "extra_ref", "gguf_quants"].flatMap { group in
            let url = fixtures.appendingPathComponent(group)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.sorted().map { "\(group)/\($0)" }
        }
    }

    /// "Q4_K_8x768_edges_imatrix" → "q4_k": the folder name without its shape and suffixes.
    static func scheme(of folder: String) -> String {
        let name = folder.split(separator: "/").last.map(String.init) ?? folder
        let parts = name.split(separator: "_")
        let shape = parts.firstIndex { $0.contains("x") && $0.first?.isNumber == true }
        return parts[..<(shape ?? parts.endIndex)].joined(separator: "_").lowercased()
    }

    @Test func everyReferenceFolderIsFound() {
        // 13 llama.cpp cases (ggml_quants), 5 gguf-py cases (gguf_quants) and 24 + 17 of our
        // own from llama.cpp's C (ggml_quants_extra, extra_ref; Fixtures/README.md lists them).
        #expect(Self.cases.count == 59, "found \(Self.cases.count) case folders")
    }

    @Test(arguments: cases)
    func codesAndValuesEqualLlamaCpp(folder: String) throws {
        let base = Self.fixtures.appendingPathComponent(folder)
        var arguments = [
            "quantize", "--scheme", Self.scheme(of: folder),
            base.appendingPathComponent("input.npy").path,
            "--codes", path("c.npy"), "--dequantized", path("d.npy"), "--json",
        ]
        let imatrix = base.appendingPathComponent("imatrix.npy").path
        if FileManager.default.fileExists(atPath: imatrix) { arguments += ["--imatrix", imatrix] }
        // NaN and infinity are refused unless asked for; then llama.cpp's rules apply.
        if folder.contains("nonfinite") {
            let refused = try BuiltProducts.run("lowbit", arguments)
            #expect(refused.status != 0 && refused.stderr.contains("not finite"), "\(folder)")
            arguments.append("--allow-nonfinite")
        }
        let result = try BuiltProducts.run("lowbit", arguments)
        #expect(result.status == 0, "\(folder): \(result.stderr)")
        let codes = try NPY.read(contentsOf: path("c.npy"))
        let expectedCodes = try NPY.read(
            contentsOf: base.appendingPathComponent("quantized.npy").path)
        #expect(codes.shape == expectedCodes.shape, "\(folder): codes shape \(codes.shape)")
        let codesEqual = try codes.uint8s() == expectedCodes.uint8s()
        #expect(codesEqual, "\(folder): codes differ from llama.cpp's bytes")
        let values = try NPY.read(contentsOf: path("d.npy")).floats().map(\.bitPattern)
        let expected = try NPY.read(
            contentsOf: base.appendingPathComponent("dequantized.npy").path
        ).floats().map(\.bitPattern)
        let valuesEqual = values == expected
        #expect(valuesEqual, "\(folder): dequantized values differ from llama.cpp's to_float")
    }

    @Test(arguments: [
        ("1-D input", ["V"], "2-D"),
        ("row not whole blocks", ["M48"], "whole number"),
        ("imatrix on a legacy type", ["M64", "--imatrix", "IM64"], "k-quants"),
        ("imatrix of the wrong length", ["K256", "--imatrix", "IM64"], "one weight per column"),
        ("negative imatrix weight", ["K256", "--imatrix", "NEG256"], "negative"),
        ("block size option", ["M64", "--block-size", "64"], "does not apply"),
        ("NaN in the input", ["NAN64"], "not finite"),
    ])
    func badInputFailsWithOneErrorLineAndNoOutput(
        name: String, arguments: [String], mentioning: String
    ) throws {
        let scheme = arguments.contains("K256") || arguments.contains("NEG256") ? "q4_k" : "q4_0"
        let files: [String: RawTensor] = [
            "V": RawTensor(float32: [Float](repeating: 1, count: 64), shape: [64]),
            "M48": RawTensor(float32: [Float](repeating: 1, count: 96), shape: [2, 48]),
            "M64": RawTensor(float32: (0..<128).map { Float($0) }, shape: [2, 64]),
            "K256": RawTensor(float32: (0..<512).map { Float($0) }, shape: [2, 256]),
            "IM64": RawTensor(float32: [Float](repeating: 1, count: 64), shape: [64]),
            "NEG256": RawTensor(
                float32: [Float](repeating: 1, count: 255) + [-1], shape: [256]),
            "NAN64": RawTensor(float32: [Float.nan] + [Float](repeating: 1, count: 63),
                               shape: [1, 64]),
        ]
        for (key, tensor) in files { try NPY.write(tensor, to: path(key)) }
        let resolved = arguments.map { files[$0] == nil ? $0 : path($0) }
        let result = try BuiltProducts.run(
            "lowbit",
            ["quantize", "--scheme", scheme] + resolved + ["--codes", path("out.npy")])
        #expect(result.status != 0, "\(name): exit status 0")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(name): \(result.stderr)")
        #expect(result.stderr.contains(mentioning), "\(name): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("out.npy")), "\(name): output written")
    }
}
