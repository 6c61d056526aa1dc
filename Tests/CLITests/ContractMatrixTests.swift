import Foundation
import TensorIO
import TestSupport
import Testing

/// The README's table "what every subcommand does with bad input" (issue #14), one test case per
/// cell: each subcommand that reads a tensor, given each kind of bad input, exits with the
/// status the contract names — 1 for bad input, 64 for a usage error, 0 where the command's own
/// semantics accept the input (elementwise and flattened-blockwise commands take any shape) —
/// with exactly one `error: …` line on stderr and no output file when it fails.
@Suite struct ContractMatrixTests {
    /// Input files by kind, written with TensorIO into one scratch directory per test.
    static func inputs(in dir: URL) throws -> [String: String] {
        func write(_ name: String, _ tensor: RawTensor) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try NPY.write(tensor, to: path)
            return path
        }
        let good = (0..<256).map { Float($0 % 17) / 8 - 1 }
        var nan = good
        nan[67] = .nan
        var inf = good
        inf[133] = .infinity
        return [
            "x": try write("x.npy", RawTensor(float32: (0..<512).map { Float($0 % 13) / 6 - 1 }, shape: [8, 64])),
            "A": try write("A.npy", RawTensor(float32: [Float](repeating: 0.5, count: 128), shape: [2, 64])),
            "B": try write("B.npy", RawTensor(float32: [Float](repeating: 0.5, count: 8), shape: [4, 2])),
            "NaN": try write("nan.npy", RawTensor(float32: nan, shape: [4, 64])),
            "+inf": try write("inf.npy", RawTensor(float32: inf, shape: [4, 64])),
            "empty": try write("empty.npy", RawTensor(float32: [], shape: [0, 64])),
            "0-d": try write("scalar.npy", RawTensor(float32: [1.5], shape: [])),
            "int8 dtype": try write("int8.npy", RawTensor(int8: [Int8](repeating: 1, count: 256), shape: [4, 64])),
            "rank 3": try write("rank3.npy", RawTensor(float32: good + good, shape: [2, 4, 64])),
            "33 columns": try write("odd.npy", RawTensor(float32: Array(good.prefix(132)), shape: [4, 33])),
            "missing file": dir.appendingPathComponent("missing.npy").path,
        ]
    }

    /// The subcommands that read a tensor; IN is the bad input, OUT the output's path.
    static let commands: [String: [String]] = [
        "formats convert": ["formats", "convert", "--format", "fp8-e4m3", "IN", "--values", "OUT"],
        "quantize nf4": ["quantize", "--scheme", "nf4", "IN", "--codes", "OUT"],
        "quantize q4_k": ["quantize", "--scheme", "q4_k", "IN", "--codes", "OUT"],
        "int8-matmul": ["int8-matmul", "X", "IN", "--out", "OUT"],
        "lora merge": ["lora", "merge", "--base", "IN", "--lora-a", "A", "--lora-b", "B", "--alpha", "16", "--out", "OUT"],
        "moe-route": ["moe-route", "IN", "--experts-out", "OUT"],
        "gptq": ["gptq", "IN", "X", "--bits", "4", "--dequantized", "OUT"],
        "awq": ["awq", "IN", "X", "--group-size", "32", "--dequantized", "OUT"],
        "gguf write": ["gguf", "write", "IN", "OUT"],
    ]

    /// Inputs every command refuses with status 1.
    static let refusedEverywhere = ["NaN", "+inf", "empty", "int8 dtype", "missing file"]
    /// Shapes the elementwise or flattened commands accept (status 0); every other command
    /// refuses them with 1. A 0-d tensor is refused by gguf write (GGUF tensors have 1–4 dims).
    static let acceptedShapes: [String: Set<String>] = [
        "0-d": ["formats convert", "quantize nf4"],
        "rank 3": ["formats convert", "quantize nf4", "gguf write"],
        "33 columns": ["formats convert", "quantize nf4", "moe-route", "gguf write"],
    ]

    static var cases: [(String, String)] {
        commands.keys.sorted().flatMap { command in
            (refusedEverywhere + acceptedShapes.keys.sorted()).map { (command, $0) }
        }
    }

    @Test(arguments: cases)
    func eachCommandKeepsTheContractOnEachBadInput(command: String, input: String) throws {
        let dir = try BuiltProducts.temporaryDirectory()
        let files = try Self.inputs(in: dir)
        let out = dir.appendingPathComponent(command == "gguf write" ? "out.gguf" : "out.npy").path
        let arguments = Self.commands[command]!.map { word -> String in
            switch word {
            case "IN": files[input]!
            case "OUT": out
            case "X": files["x"]!
            case "A": files["A"]!
            case "B": files["B"]!
            default: word
            }
        }
        let expected: Int32 = Self.acceptedShapes[input]?.contains(command) == true ? 0 : 1
        let result = try BuiltProducts.run("lowbit", arguments)
        #expect(result.status == expected, "\(command) on \(input): \(result.stderr)")
        if expected != 0 {
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    /// Usage errors (64, before any input is read) and output problems (1).
    static let usageAndOutputCases: [([String], Int32)] = [
        (["quantize", "--scheme", "nf4", "--block-size", "0", "IN", "--codes", "OUT"], 64),
        (["quantize", "--scheme", "nf4", "--block-size", "1000000000", "IN", "--codes", "OUT"], 64),
        (["gptq", "IN", "IN", "--bits", "99", "--dequantized", "OUT"], 64),
        (["awq", "IN", "IN", "--group-size", "0", "--dequantized", "OUT"], 64),
        (["moe-route", "IN", "--top-k", "0", "--experts-out", "OUT"], 64),
        (["formats", "convert", "--format", "fp7", "IN", "--values", "OUT"], 64),
        (["quantize", "--scheme", "nf4", "IN", "--codes", "MISSINGDIR"], 1),
        (["quantize", "--scheme", "nf4", "IN", "--codes", "OUT", "--absmax", "OUT"], 1),
        (["quantize", "--scheme", "nf4", "IN", "--codes", "/dev/full"], 1),
    ]

    @Test(arguments: usageAndOutputCases)
    func usageAndOutputErrorsKeepTheContract(arguments: [String], status: Int32) throws {
        let dir = try BuiltProducts.temporaryDirectory()
        let input = dir.appendingPathComponent("w.npy").path
        try NPY.write(RawTensor(float32: (0..<256).map { Float($0) / 256 }, shape: [4, 64]), to: input)
        let out = dir.appendingPathComponent("out.npy").path
        let resolved = arguments.map { word -> String in
            switch word {
            case "IN": input
            case "OUT": out
            case "MISSINGDIR": dir.appendingPathComponent("no/such/dir/out.npy").path
            default: word
            }
        }
        let result = try BuiltProducts.run("lowbit", resolved)
        #expect(result.status == status, "\(arguments.joined(separator: " ")): \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
