import Foundation
import ArgumentParser
import Core
import NF4

/// `lowbit bench nf4`: blockwise NF4 quantize and dequantize (block size 64, the fast path)
/// of a large float32 buffer, GB/s of float32 per core, beside a memory copy of the same
/// buffer and the readable quantizer the fast one is tested against.
struct BenchNF4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nf4",
        abstract: "Benchmark blockwise NF4 quantize/dequantize against a memory copy (GB/s of float32).")

    @Option(help: "Number of float32 values (default 64 Mi = 256 MiB).") var count = 64 * 1024 * 1024
    @Option(help: "Values per block.") var blockSize = 64
    @Option(help: "Repetitions per kernel; the best is reported.") var repeats = 3
    @Flag(help: "Print one JSON object of rates instead of the table.") var json = false

    func validate() throws {
        guard (1024...(1 << 30)).contains(count) else { throw ValidationError("--count must be in 1024...2^30") }
        guard BlockwiseQuantizer4.allowedBlockSizes.contains(blockSize) else {
            throw ValidationError("--block-size must be a power of two in 32...4096")
        }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be in 1...100") }
    }

    func run() throws {
        var rng = SeededRNG(seed: 1)
        let source = rng.normalFloats(count, std: 0.02)
        let gigabytes = Double(count * 4) / 1e9
        var copy = [Float](repeating: 0, count: count)
        // The ceiling: timed more often than the kernels, since it varies most from run to run.
        let copySeconds = BenchTimer.best(max(repeats, 5)) {
            copy.withUnsafeMutableBytes { dst in source.withUnsafeBytes { dst.copyMemory(from: $0) } }
        }
        var packed = [UInt8](repeating: 0, count: (count + 1) / 2)
        var absmax = [Float](repeating: 0, count: (count + blockSize - 1) / blockSize)
        var failure: Error?
        let quantize = BenchTimer.best(repeats) {
            do {
                try source.withUnsafeBufferPointer { s in
                    try packed.withUnsafeMutableBufferPointer { p in
                        try absmax.withUnsafeMutableBufferPointer { a in
                            try BlockwiseQuantizer4.Fast.quantize(s, type: .nf4, blockSize: blockSize, packed: p, absmax: a)
                        }
                    }
                }
            } catch { failure = error }
        }
        if let failure { throw failure }
        let dequantize = BenchTimer.best(repeats) {
            packed.withUnsafeBufferPointer { p in
                absmax.withUnsafeBufferPointer { a in
                    copy.withUnsafeMutableBufferPointer { o in
                        BlockwiseQuantizer4.Fast.dequantize(packed: p, absmax: a, type: .nf4, blockSize: blockSize, into: o)
                    }
                }
            }
        }
        // The readable quantizer on a 1/16 slice: the reference the fast path is tested against.
        let slice = Array(source[0..<(count / 16)])
        let readable = BenchTimer.best(1) { _ = try? BlockwiseQuantizer4.quantize(slice, type: .nf4, blockSize: blockSize) }
        let rates = [
            ("memcpy_gbs", gigabytes / copySeconds), ("nf4_quantize_gbs", gigabytes / quantize),
            ("nf4_dequantize_gbs", gigabytes / dequantize), ("nf4_quantize_readable_gbs", gigabytes / 16 / readable),
        ]
        if json {
            var report = JSONReport()
            report.add("count", count)
            report.add("block_size", blockSize)
            for (key, rate) in rates { report.add(key, rate) }
            print(report.text)
        } else {
            print(BenchEnvironment.describe())
            print("\(count) float32 ~ N(0, 0.02²), NF4 blocks of \(blockSize); best of \(repeats)")
            for (key, rate) in rates {
                let name = key.replacingOccurrences(of: "_gbs", with: "").padding(toLength: 28, withPad: " ", startingAt: 0)
                print(name + String(format: "%8.2f GB/s  %6.1f %% of memcpy", rate, 100 * rate / rates[0].1))
            }
        }
    }
}
