import Foundation
import TensorIO
import TestSupport
import Testing

/// `lowbit codebook` and `lowbit quantize --scheme nf4|fp4|dynamic8` against bitsandbytes 0.50.2's
/// reference vectors (committed with the NF4 and Blockwise8 tests, see their Fixtures/README.md).
@Suite struct BlockwiseCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static func fixture(_ relative: String) -> String {
        BuiltProducts.repositoryRoot.appendingPathComponent("Tests/\(relative)").path
    }

    @Test(arguments: [
        ("nf4", "NF4Tests/Fixtures/bnb_codebooks/nf4/values.npy"),
        ("fp4", "NF4Tests/Fixtures/bnb_codebooks/fp4/values.npy"),
        ("dynamic8-signed", "Blockwise8Tests/Fixtures/bnb_codebooks/dynamic_signed/values.npy"),
        ("dynamic8-unsigned", "Blockwise8Tests/Fixtures/bnb_codebooks/dynamic_unsigned/values.npy"),
    ])
    func codebookPrintsBitsandbytesTableInCodeOrder(name: String, fixture: String) throws {
        let expected = try NPY.read(contentsOf: Self.fixture(fixture)).floats()
        let lines = try BuiltProducts.run("lowbit", ["codebook", name])
        #expect(lines.status == 0)
        let printed = lines.stdout.split(separator: "\n").map { Float(String($0)) }
        let printedMismatch = firstMismatch(expected.map { Optional($0) }, printed)
        #expect(printedMismatch == nil, "\(name): \(printedMismatch ?? "")")
        let json = try BuiltProducts.run("lowbit", ["codebook", name, "--json"])
        let array = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Double]
        let jsonMismatch = firstMismatch(expected, array?.map(Float.init) ?? [])
        #expect(jsonMismatch == nil, "\(name) --json: \(jsonMismatch ?? "")")
    }

    @Test func int4CodebookIsTheSymmetricAbsmaxGrid() throws {
        let lines = try BuiltProducts.run("lowbit", ["codebook", "int4"]).stdout.split(separator: "\n")
        // 15 levels (c − 7)/7: −1 … 1 with an exact 0 in the middle.
        #expect(lines.count == 15 && lines.first == "-1.0" && lines[7] == "0.0" && lines.last == "1.0")
    }

    @Test(arguments: ["nf4_bs64_1d_nonmult_odd_plain", "fp4_bs128_1d_mult_plain", "nf4_bs64_2d_weight_plain"])
    func fourBitCodesAbsmaxAndValuesMatchBitsandbytes(caseName: String) throws {
        let dirPath = "NF4Tests/Fixtures/bnb_4bit/\(caseName)"
        let scheme = String(caseName.prefix(3))
        let blockSize = caseName.contains("bs128") ? "128" : "64"
        let result = try BuiltProducts.run(
            "lowbit", ["quantize", "--scheme", scheme, "--block-size", blockSize, Self.fixture("\(dirPath)/input.npy"),
                       "--codes", path("c.npy"), "--absmax", path("a.npy"), "--dequantized", path("d.npy"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try NPY.read(contentsOf: path("c.npy")).uint8s() == NPY.read(contentsOf: Self.fixture("\(dirPath)/packed.npy")).uint8s())
        #expect(try NPY.read(contentsOf: path("a.npy")).floats() == NPY.read(contentsOf: Self.fixture("\(dirPath)/absmax.npy")).floats())
        // ±0 compare equal: bitsandbytes' FP4 decoders disagree on the sign of a zero (NF4Tests explain it).
        let expected = try NPY.read(contentsOf: Self.fixture("\(dirPath)/dequantized.npy")).floats()
        #expect(try NPY.read(contentsOf: path("d.npy")).floats() == expected)
    }

    @Test func doubleQuantWritesAbsmaxCodesAndReportsTheOffset() throws {
        let dirPath = "NF4Tests/Fixtures/bnb_4bit/nf4_bs64_1d_nonmult_odd_nested"
        let result = try BuiltProducts.run(
            "lowbit", ["quantize", "--scheme", "nf4", "--double-quant", Self.fixture("\(dirPath)/input.npy"),
                       "--codes", path("c.npy"), "--absmax", path("a.npy"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try NPY.read(contentsOf: path("a.npy")).uint8s() == NPY.read(contentsOf: Self.fixture("\(dirPath)/absmax.npy")).uint8s())
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // nested_offset = 9.092193603515625 in the reference README (quant_state.offset).
        #expect(report["offset"] as? Double == 9.092193603515625)
        let secondLevel = try NPY.read(contentsOf: Self.fixture("\(dirPath)/nested_absmax.npy")).floats()
        #expect((report["second_level_absmax"] as? [Double])?.map(Float.init) == secondLevel)
        #expect(report["block_size"] as? Int == 64)
    }

    @Test func dynamic8MatchesQuantizeBlockwise() throws {
        let dirPath = "Blockwise8Tests/Fixtures/bnb_blockwise8/bs256_1d"
        let result = try BuiltProducts.run(
            "lowbit", ["quantize", "--scheme", "dynamic8", "--block-size", "256", Self.fixture("\(dirPath)/input.npy"),
                       "--codes", path("c.npy"), "--absmax", path("a.npy")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try NPY.read(contentsOf: path("c.npy")).uint8s() == NPY.read(contentsOf: Self.fixture("\(dirPath)/codes.npy")).uint8s())
        #expect(try NPY.read(contentsOf: path("a.npy")).floats() == NPY.read(contentsOf: Self.fixture("\(dirPath)/absmax.npy")).floats())
    }

    @Test(arguments: [
        ("block size not a power of two", ["--scheme", "nf4", "--block-size", "100"], "block"),
        ("block size too small", ["--scheme", "fp4", "--block-size", "16"], "block"),
        ("double quant for int8", ["--scheme", "absmax-int8", "--double-quant"], "--double-quant"),
        ("absmax for an int8 scheme", ["--scheme", "absmax-int8", "--absmax", "OUT"], "--absmax"),
        ("scales for nf4", ["--scheme", "nf4", "--scales", "OUT"], "--scales"),
        ("unknown codebook", ["codebook", "nf5"], "nf5"),
    ])
    func badOptionsFailWithOneErrorLine(name: String, arguments: [String], mentioning: String) throws {
        try NPY.write(RawTensor(float32: (0..<100).map { Float($0) / 10 - 3 }, shape: [100]), to: path("x.npy"))
        let args = arguments.first == "codebook"
            ? arguments : ["quantize"] + arguments.map { $0 == "OUT" ? path("out.npy") : $0 } + [path("x.npy"), "--codes", path("c.npy")]
        let result = try BuiltProducts.run("lowbit", args)
        expectContractError(result, mentioning: mentioning)
        #expect(!FileManager.default.fileExists(atPath: path("c.npy")) && !FileManager.default.fileExists(atPath: path("out.npy")))
    }
}
