import ArgumentParser
import Core
import Foundation
import GGML
import GGUF
import TensorIO

/// `lowbit bench gguf`: quantize and dequantize of llama.cpp's block types (default Q4_0, Q8_0,
/// Q4_K, Q6_K) on 64 Mi float32 values (rows of 4,096), one thread, GB/s of float32, beside a
/// memory copy of the same buffer. With `--python VENV/bin/python` the same values (written to
/// a temporary .npy) go through the peers in the same run, after ours
/// (`scripts/bench/gguf_peers.py`): gguf-py's numpy `quantize`/`dequantize` and llama.cpp's
/// own C quantizers (`ggml_quantize_chunk`, `to_float` from llama-cpp-python's libggml-base);
/// the table gives each peer's time over ours. gguf-py cannot quantize the k-quants ("—").
struct BenchGGUF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gguf",
        abstract: "Benchmark llama.cpp block types' quantize/dequantize (GB/s of float32), "
            + "optionally beside gguf-py and llama.cpp's C.")

    @Option(help: "Number of float32 values (default 64 Mi = 256 MiB).")
    var count = 64 * 1024 * 1024
    @Option(help: "Values per row (a multiple of 256).") var rowLength = 4096
    @Option(help: "Types, comma-separated (q4_0,q8_0,q4_k,q6_k …).")
    var types = "q4_0,q8_0,q4_k,q6_k"
    @Option(help: "Repetitions per kernel; the best is reported.") var repeats = 1
    @Option(help: "Also run the peers with this Python (numpy, gguf, llama-cpp-python).")
    var python: String?
    @Option(help: "The peer script (default: relative to the repository root).")
    var peerScript = "scripts/bench/gguf_peers.py"
    @Flag(help: "Print one JSON object of seconds instead of the table.") var json = false

    func validate() throws {
        guard rowLength > 0, rowLength % 256 == 0 else {
            throw ValidationError("--row-length must be a positive multiple of 256")
        }
        guard count >= rowLength, count % rowLength == 0, count <= 1 << 30 else {
            throw ValidationError("--count must be a multiple of --row-length, at most 2^30")
        }
        guard (1...100).contains(repeats) else {
            throw ValidationError("--repeats must be in 1...100")
        }
        for name in typeNames where GGMLType(name: name)?.format == nil {
            throw ValidationError("--types: no block type named \(name)")
        }
    }

    var typeNames: [String] { types.split(separator: ",").map { String($0) } }

    func run() throws {
        var rng = SeededRNG(seed: 1)
        let source = rng.normalFloats(count, std: 0.02)
        let gigabytes = Double(count * 4) / 1e9
        var copy = [Float](repeating: 0, count: count)
        let copySeconds = BenchTimer.best(max(repeats, 3)) {
            copy.withUnsafeMutableBytes { dst in source.withUnsafeBytes { dst.copyMemory(from: $0) } }
        }
        var ours: [(type: GGMLType, quantize: Double, dequantize: Double)] = []
        for name in typeNames {
            guard let type = GGMLType(name: name), let format = type.format else { continue }
            var bytes: [UInt8] = []
            var failure: Error?
            let quantize = BenchTimer.best(repeats) {
                do { bytes = try quantizeRows(source, format) } catch { failure = error }
            }
            var values: [Float] = []
            let dequantize = BenchTimer.best(repeats) {
                do { values = try format.dequantize(bytes) } catch { failure = error }
            }
            if let failure { throw failure }
            guard values.count == count else { throw CLIError("\(name): wrong value count") }
            ours.append((type, quantize, dequantize))
        }
        let peers = try python.map { try runPeers($0, source) } ?? [:]
        if json {
            var report = JSONReport()
            report.add("elements", count)
            report.add("memcpy_seconds", copySeconds)
            for entry in ours {
                report.add("lowbit_\(entry.type.name)_quantize_seconds", entry.quantize)
                report.add("lowbit_\(entry.type.name)_dequantize_seconds", entry.dequantize)
            }
            for (key, value) in peers.sorted(by: { $0.key < $1.key }) {
                report.add(key, raw: value.map { "\($0)" } ?? "null")
            }
            print(report.text)
            return
        }
        print(BenchEnvironment.describe())
        print(
            "\(count) float32 values (\(String(format: "%.2f", gigabytes)) GB) in rows of "
                + "\(rowLength), one thread; memcpy \(String(format: "%.2f", gigabytes / copySeconds)) GB/s")
        if python != nil {
            print("peers: time / ours (> 1: LowBit faster); — = the peer cannot do it")
        }
        let header = "type    direction     LowBit GB/s"
            + (python == nil ? "" : "   gguf-py ×   llama.cpp C ×")
        print(header)
        for entry in ours {
            for (direction, seconds) in [("quantize", entry.quantize), ("dequantize", entry.dequantize)] {
                var line = entry.type.name.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + direction.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "%13.3f", gigabytes / seconds)
                if python != nil {
                    for peer in ["gguf_py", "llama_cpp"] {
                        let theirs = peers["\(peer)_\(entry.type.name)_\(direction)_seconds"] ?? nil
                        line += theirs.map { String(format: "%13.2fx", $0 / seconds) }
                            ?? "            —"
                    }
                }
                print(line)
            }
        }
    }

    /// Every row through `format.quantize`, as `ggml_quantize_chunk` walks rows.
    func quantizeRows(_ values: [Float], _ format: any BlockFormat.Type) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count / format.blockSize * format.bytesPerBlock)
        for start in stride(from: 0, to: values.count, by: rowLength) {
            bytes += try format.quantize(Array(values[start..<start + rowLength]))
        }
        return bytes
    }

    /// Runs the peer script on the same values; its JSON's seconds by key (nil: cannot).
    func runPeers(_ python: String, _ values: [Float]) throws -> [String: Double?] {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("lowbit-bench-gguf-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("x.npy").path
        try NPY.write(RawTensor(float32: values, shape: [count / rowLength, rowLength]), to: input)
        let object = try PeerProcess.runJSON(
            python: python, arguments: [peerScript, input] + typeNames.map { $0.uppercased() },
            environment: ["REPEATS": String(repeats)])
        var seconds: [String: Double?] = [:]
        for (key, value) in object where key.hasSuffix("_seconds") {
            seconds[key] = value as? Double
        }
        return seconds
    }
}
