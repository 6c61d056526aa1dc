import Foundation
import TensorIO
import TestSupport
import Testing

/// `lowbit quantize` and `lowbit int8-matmul` end to end.
@Suite struct QuantizeCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// The bitsandbytes 0.50.2 reference vectors, committed with the LLMInt8 tests.
    static func fixture(_ name: String) -> String {
        BuiltProducts.repositoryRoot.appendingPathComponent("Tests/LLMInt8Tests/Fixtures/\(name)").path
    }

    func json(_ result: BuiltProducts.Result) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "stdout is not a JSON object: \(result.stdout)")
    }

    @Test func absmaxReproducesTheBlogsWorkedExample() throws {
        // Belkada & Dettmers (2022), "A Gentle Introduction to 8-bit Matrix Multiplication":
        // scale 127/5.4 ≈ 23.5 turns this vector into [28, −12, −101, 28, −73, 19, 56, 127].
        try NPY.write(RawTensor(float32: [1.2, -0.5, -4.3, 1.2, -3.1, 0.8, 2.4, 5.4], shape: [8]), to: path("x.npy"))
        let result = try BuiltProducts.run(
            "lowbit", ["quantize", "--scheme", "absmax-int8", path("x.npy"), "--codes", path("q.npy"), "--scales", path("s.npy"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try NPY.read(contentsOf: path("q.npy")).int8s() == [28, -12, -101, 28, -73, 19, 56, 127])
        #expect(try NPY.read(contentsOf: path("s.npy")).floats() == [5.4])
        let report = try json(result)
        for key in ["scheme", "elements", "bytes", "bits_per_param", "mse", "max_abs_error", "sqnr_db"] {
            #expect(report[key] != nil, "JSON lacks \(key)")
        }
        // 8 one-byte codes plus one float32 scale.
        #expect(report["bytes"] as? Int == 12)
        #expect(report["elements"] as? Int == 8)
    }

    @Test func rowSchemeMatchesBitsandbytesVectorwiseQuant() throws {
        let result = try BuiltProducts.run(
            "lowbit", ["quantize", "--scheme", "absmax-int8-row", Self.fixture("vectorwise_quant/activations.npy"),
                       "--codes", path("ca.npy"), "--scales", path("rs.npy")])
        #expect(result.status == 0, "\(result.stderr)")
        let codes = try NPY.read(contentsOf: path("ca.npy"))
        #expect(codes.elementType == .int8 && codes.shape == [16, 64])
        #expect(try codes.int8s() == NPY.read(contentsOf: Self.fixture("vectorwise_quant/CA_t0.npy")).int8s())
        #expect(try NPY.read(contentsOf: path("rs.npy")).floats()
            == NPY.read(contentsOf: Self.fixture("vectorwise_quant/row_stats_t0.npy")).floats())
    }

    @Test func blockSchemeGivesOneAbsmaxPerBlockIncludingTheShortLastOne() throws {
        try NPY.write(RawTensor(float32: [1, -2, 3, 0.5, -8, 4, 7], shape: [7]), to: path("x.npy"))
        let result = try BuiltProducts.run(
            "lowbit", ["quantize", "--scheme", "absmax-int8-block", "--block-size", "3", path("x.npy"),
                       "--scales", path("s.npy"), "--dequantized", path("d.npy"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        // Blocks [1, −2, 3], [0.5, −8, 4], [7]: absmax 3, 8, 7.
        #expect(try NPY.read(contentsOf: path("s.npy")).floats() == [3, 8, 7])
        #expect(try json(result)["block_size"] as? Int == 3)
        // Each block's absmax is stored exactly: code ±127 dequantizes to it.
        let d = try NPY.read(contentsOf: path("d.npy")).floats()
        #expect(d[2] == 3 && d[4] == -8 && d[6] == 7)
    }

    @Test func zeroPointWritesItsZeroPointAndReconstructsTheRange() throws {
        try NPY.write(RawTensor(float32: [-1, 0, 2, 3], shape: [2, 2]), to: path("x.npy"))
        let result = try BuiltProducts.run(
            "lowbit", ["quantize", "--scheme", "zeropoint-int8", path("x.npy"), "--codes", path("q.npy"),
                       "--zero-points", path("z.npy"), "--dequantized", path("d.npy")])
        #expect(result.status == 0, "\(result.stderr)")
        let q = try NPY.read(contentsOf: path("q.npy")).int8s()
        // The range [−1, 3] spans all 256 codes: the minimum maps to −128, the maximum to 127.
        #expect(q.first == -128 && q.last == 127)
        #expect(try NPY.read(contentsOf: path("z.npy")).int8s().count == 1)
        #expect(try NPY.read(contentsOf: path("d.npy")).shape == [2, 2])
    }

    @Test func int8MatmulFindsBitsandbytesOutlierColumnsAndStaysCloseToFloat() throws {
        let mixed = try BuiltProducts.run(
            "lowbit", ["int8-matmul", Self.fixture("matmul/X.npy"), Self.fixture("matmul/W.npy"), "--out", path("y.npy"), "--json"])
        #expect(mixed.status == 0, "\(mixed.stderr)")
        let report = try json(mixed)
        #expect(report["outlier_columns"] as? [Int] == [7, 29, 50])  // outlier_cols.npy from bitsandbytes
        let y = try NPY.read(contentsOf: path("y.npy"))
        #expect(y.shape == [16, 32])
        let plain = try BuiltProducts.run(
            "lowbit", ["int8-matmul", Self.fixture("matmul/X.npy"), Self.fixture("matmul/W.npy"), "--out", path("y0.npy"),
                       "--threshold", "0", "--json"])
        let mixedError = try #require(report["relative_error"] as? Double)
        let plainError = try #require(try json(plain)["relative_error"] as? Double)
        // The decomposition must help on this input with planted outliers (0.6 % vs 1.6 % when written).
        #expect(mixedError < plainError)
        #expect(mixedError < 0.01)
    }

    @Test(arguments: [
        ("row scheme on a vector", ["quantize", "--scheme", "absmax-int8-row", "VEC", "--codes", "OUT"], "2-D"),
        ("block scheme without size", ["quantize", "--scheme", "absmax-int8-block", "VEC", "--codes", "OUT"], "--block-size"),
        ("block size zero", ["quantize", "--scheme", "absmax-int8-block", "--block-size", "0", "VEC", "--codes", "OUT"], "--block-size"),
        ("size for a per-tensor scheme", ["quantize", "--scheme", "absmax-int8", "--block-size", "4", "VEC", "--codes", "OUT"], "--block-size"),
        ("unknown scheme", ["quantize", "--scheme", "int3", "VEC", "--codes", "OUT"], "int3"),
        ("NaN input", ["quantize", "--scheme", "absmax-int8", "NAN", "--codes", "OUT"], "not finite"),
        ("matmul of a vector", ["int8-matmul", "VEC", "MAT", "--out", "OUT"], "2-D"),
        ("inner dimensions differ", ["int8-matmul", "MAT", "MAT3", "--out", "OUT"], "inner dimensions"),
        ("NaN in X", ["int8-matmul", "NANMAT", "MAT", "--out", "OUT"], "not finite"),
        ("negative threshold", ["int8-matmul", "MAT", "MAT", "--out", "OUT", "--threshold=-1"], "threshold"),
    ])
    func badInputFailsWithOneErrorLineAndNoOutput(name: String, arguments: [String], mentioning: String) throws {
        try NPY.write(RawTensor(float32: [1, 2, 3, 4], shape: [4]), to: path("vec.npy"))
        try NPY.write(RawTensor(float32: [1, .nan, 3, 4], shape: [4]), to: path("nan.npy"))
        try NPY.write(RawTensor(float32: [1, 2, 3, 4], shape: [2, 2]), to: path("mat.npy"))
        try NPY.write(RawTensor(float32: [1, 2, 3, 4, 5, 6], shape: [2, 3]), to: path("mat3.npy"))
        try NPY.write(RawTensor(float32: [1, .nan, 3, 4], shape: [2, 2]), to: path("nanmat.npy"))
        let names = [
            "VEC": path("vec.npy"), "NAN": path("nan.npy"), "MAT": path("mat.npy"), "MAT3": path("mat3.npy"),
            "NANMAT": path("nanmat.npy"), "OUT": path("out.npy"),
        ]
        let result = try BuiltProducts.run("lowbit", arguments.map { names[$0] ?? $0 })
        expectContractError(result, mentioning: mentioning)
        #expect(!FileManager.default.fileExists(atPath: path("out.npy")), "\(name) left an output file")
    }

    @Test(arguments: [["quantize", "--help"], ["int8-matmul", "--help"]])
    func subcommandHasHelp(arguments: [String]) throws {
        let result = try BuiltProducts.run("lowbit", arguments)
        #expect(result.status == 0 && result.stdout.contains("USAGE"))
    }
}
