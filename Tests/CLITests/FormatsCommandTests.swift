import Foundation
import TensorIO
import TestSupport
import Testing

/// `lowbit formats …` end to end: the real executable, real .npy files, exit codes.
@Suite struct FormatsCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @Test func tablePrintsEveryFormatWithItsLargestValue() throws {
        let result = try BuiltProducts.run("lowbit", ["formats", "table"])
        #expect(result.status == 0)
        for name in ["fp32", "fp16", "bf16", "tf32", "fp8-e4m3", "fp8-e5m2", "fp4-e2m1"] {
            #expect(result.stdout.contains("\n\(name) "), "table lacks a row for \(name)")
        }
        // Largest finite values from the OCP FP8 spec and IEEE 754 (binary16).
        for value in ["65504", "448", "57344"] { #expect(result.stdout.contains(value)) }
    }

    @Test func convertToFp16WritesFloat32ValuesAndUInt16BitsInTheInputShape() throws {
        try NPY.write(RawTensor(float32: [0.1, -3.14159, 1e-5, 500, 70000, 0], shape: [2, 3]), to: path("x.npy"))
        let result = try BuiltProducts.run(
            "lowbit", ["formats", "convert", "--format", "fp16", path("x.npy"), "--values", path("v.npy"), "--bits", path("b.npy")])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let values = try NPY.read(contentsOf: path("v.npy"))
        let bits = try NPY.read(contentsOf: path("b.npy"))
        #expect(values.elementType == .float32 && values.shape == [2, 3])
        #expect(bits.elementType == .uint16 && bits.shape == [2, 3])
        // Expected: numpy.array([0.1, -3.14159, 1e-5, 500, 70000, 0], float32).astype(numpy.float16),
        // bits via .view(numpy.uint16) (NumPy 2.4.6).
        #expect(try bits.uint16s() == [0x2E66, 0xC248, 0x00A8, 0x5FD0, 0x7C00, 0x0000])
        #expect(try values.floats() == [0.0999755859375, -3.140625, 1.0013580322265625e-05, 500, .infinity, 0])
    }

    @Test func bitPatternTypesFollowTheFormatsStorageWidth() throws {
        try NPY.write(RawTensor(float32: [1.5, -6, 0.25], shape: [3]), to: path("x.npy"))
        let expected: [(String, ElementType)] = [
            ("fp32", .uint32), ("tf32", .uint32), ("bf16", .uint16), ("fp8-e4m3", .uint8),
            ("fp8-e5m2", .uint8), ("fp4-e2m1", .uint8),
        ]
        for (format, type) in expected {
            let result = try BuiltProducts.run(
                "lowbit", ["formats", "convert", "--format", format, path("x.npy"), "--values", path("v.npy"), "--bits", path("b.npy")])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(try NPY.read(contentsOf: path("b.npy")).elementType == type, "\(format)")
        }
        // FP4 codes sit in the low nibble: 1.5 = 0 01 1, −6 = 1 11 1, 0.25 is a tie between 0 and
        // 0.5 and goes to the even code 0 (ml_dtypes float4_e2m1fn gives the same codes).
        #expect(try NPY.read(contentsOf: path("b.npy")).uint8s() == [0x3, 0xF, 0x0])
    }

    @Test func float16AndFloat64InputsAreAccepted() throws {
        try NPY.write(RawTensor(float64: [0.1, 2], shape: [2]), to: path("d.npy"))
        try NPY.write(RawTensor(float16Bits: [0x3C00, 0xC000], shape: [1, 2]), to: path("h.npy"))
        let d = try BuiltProducts.run("lowbit", ["formats", "convert", "--format", "bf16", path("d.npy"), "--values", path("dv.npy")])
        let h = try BuiltProducts.run("lowbit", ["formats", "convert", "--format", "fp32", path("h.npy"), "--values", path("hv.npy")])
        #expect(d.status == 0 && h.status == 0, "\(d.stderr) \(h.stderr)")
        // bf16(0.1) = 0.10009765625 (ml_dtypes.bfloat16(0.1)); 0x3C00, 0xC000 are fp16 1 and −2.
        #expect(try NPY.read(contentsOf: path("dv.npy")).floats() == [0.10009765625, 2])
        #expect(try NPY.read(contentsOf: path("hv.npy")).floats() == [1, -2])
        #expect(try NPY.read(contentsOf: path("hv.npy")).shape == [1, 2])
    }

    @Test func nonFiniteInputIsRejectedUnlessAllowed() throws {
        try NPY.write(RawTensor(float32: [1, .nan, .infinity], shape: [3]), to: path("n.npy"))
        let refused = try BuiltProducts.run("lowbit", ["formats", "convert", "--format", "fp8-e4m3", path("n.npy"), "--values", path("v.npy")])
        expectContractError(refused, mentioning: "not finite")
        #expect(!FileManager.default.fileExists(atPath: path("v.npy")))
        let allowed = try BuiltProducts.run(
            "lowbit", ["formats", "convert", "--format", "fp8-e4m3", path("n.npy"), "--values", path("v.npy"), "--bits", path("b.npy"), "--allow-nonfinite"])
        #expect(allowed.status == 0)
        // E4M3 has no infinity: both NaN and +inf become the NaN code 0x7f (ml_dtypes float8_e4m3fn).
        #expect(try NPY.read(contentsOf: path("b.npy")).uint8s() == [0x38, 0x7F, 0x7F])
    }

    @Test func saturateClampsOverflowToTheLargestFiniteValue() throws {
        try NPY.write(RawTensor(float32: [1000, -70000], shape: [2]), to: path("x.npy"))
        let result = try BuiltProducts.run(
            "lowbit", ["formats", "convert", "--format", "fp8-e4m3", path("x.npy"), "--values", path("v.npy"), "--saturate"])
        #expect(result.status == 0)
        #expect(try NPY.read(contentsOf: path("v.npy")).floats() == [448, -448])
    }

    /// Each bad invocation: nonzero exit, exactly one `error: …` line, no output file.
    @Test(arguments: [
        ("unknown format", ["--format", "fp99", "IN", "--values", "OUT"], "unknown format"),
        ("missing file", ["--format", "fp16", "MISSING", "--values", "OUT"], "no such file"),
        ("integer dtype", ["--format", "fp16", "INT", "--values", "OUT"], "int32"),
        ("empty tensor", ["--format", "fp16", "EMPTY", "--values", "OUT"], "empty"),
        ("truncated file", ["--format", "fp16", "TRUNC", "--values", "OUT"], "truncated"),
        ("lying header", ["--format", "fp16", "LIAR", "--values", "OUT"], "truncated"),
        ("missing --values", ["--format", "fp16", "IN"], "--values"),
        ("same output twice", ["--format", "fp16", "IN", "--values", "OUT", "--bits", "OUT"], "same file"),
        ("output directory missing", ["--format", "fp16", "IN", "--values", "NODIR"], "cannot write"),
    ])
    func badInputFailsWithOneErrorLineAndNoOutput(name: String, arguments: [String], mentioning: String) throws {
        try NPY.write(RawTensor(float32: [1, 2, 3], shape: [3]), to: path("in.npy"))
        try NPY.write(RawTensor(int32: [1, 2], shape: [2]), to: path("int.npy"))
        try NPY.write(RawTensor(float32: [], shape: [0, 4]), to: path("empty.npy"))
        let good = NPY.encode(RawTensor(float32: [1, 2, 3, 4, 5, 6, 7, 8], shape: [8]))
        try Data(good.dropLast(5)).write(to: dir.appendingPathComponent("trunc.npy"))
        // A header that claims a million values in a 3-value file: the 10-byte preamble kept,
        // the ASCII header dict edited with its length unchanged (6 padding spaces fewer).
        let honest = NPY.encode(RawTensor(float32: [1, 2, 3], shape: [3]))
        let headerEnd = honest.firstIndex(of: UInt8(ascii: "\n"))!
        var header = String(decoding: honest[10..<headerEnd], as: UTF8.self)
        header = header.replacingOccurrences(of: "(3,)", with: "(1000000,)")
        header.removeLast(6)
        let liar = Array(honest[0..<10]) + Array(header.utf8) + Array(honest[headerEnd...])
        #expect(liar.count == honest.count)
        try Data(liar).write(to: dir.appendingPathComponent("liar.npy"))
        let substitutions = [
            "IN": path("in.npy"), "INT": path("int.npy"), "EMPTY": path("empty.npy"), "TRUNC": path("trunc.npy"),
            "LIAR": path("liar.npy"), "MISSING": path("missing.npy"), "OUT": path("out.npy"),
            "NODIR": path("no/such/dir/out.npy"),
        ]
        let args = ["formats", "convert"] + arguments.map { substitutions[$0] ?? $0 }
        let result = try BuiltProducts.run("lowbit", args)
        expectContractError(result, mentioning: mentioning)
        #expect(!FileManager.default.fileExists(atPath: path("out.npy")), "\(name) left an output file")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("tmp") }
        #expect(leftovers.isEmpty, "\(name) left temporary files: \(leftovers)")
    }

    @Test(arguments: [["--help"], ["formats", "--help"], ["formats", "table", "--help"], ["formats", "convert", "--help"], ["bench", "--help"], ["bench", "formats", "--help"]])
    func everySubcommandHasHelp(arguments: [String]) throws {
        let result = try BuiltProducts.run("lowbit", arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE"), "no usage text for \(arguments)")
    }
}

/// The error contract: nonzero exit, stderr is exactly one line `error: …` (mentioning
/// `text`), stdout empty.
func expectContractError(_ result: BuiltProducts.Result, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status != 0, "exit status 0", sourceLocation: sourceLocation)
    let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 2 && lines[1].isEmpty, "stderr is not one line: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("error: "), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(text), "stderr does not mention '\(text)': \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "stdout: \(result.stdout)", sourceLocation: sourceLocation)
}

extension FormatsCommandTests {
    /// Issue #14: a failing second output must not delete the user's existing first one, and
    /// one file named twice under two spellings is refused before anything is written.
    @Test func failedOutputsKeepExistingFilesAndSpellingsOfOneFileAreRefused() throws {
        try NPY.write(RawTensor(float32: [1, 2, 3], shape: [3]), to: path("x.npy"))
        try NPY.write(RawTensor(float32: [42], shape: [1]), to: path("v.npy"))
        let before = try Data(contentsOf: URL(fileURLWithPath: path("v.npy")))
        let failed = try BuiltProducts.run(
            "lowbit", ["formats", "convert", "--format", "fp16", path("x.npy"),
                       "--values", path("v.npy"), "--bits", path("missing-dir/b.npy")])
        #expect(failed.status != 0 && failed.stderr.hasPrefix("error: "))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("v.npy"))) == before)
        let twice = try BuiltProducts.run(
            "lowbit", ["formats", "convert", "--format", "fp16", path("x.npy"),
                       "--values", path("two.npy"), "--bits", dir.path + "/./two.npy"])
        #expect(twice.status != 0 && twice.stderr.contains("same file"), "\(twice.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("two.npy")))
    }
}
