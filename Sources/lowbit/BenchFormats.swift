import ArgumentParser
import Core
import FloatFormats
import Foundation

/// `lowbit bench formats`: float32 → format → float32 over a large buffer, reported as GB/s of
/// float32 input on one core, beside a plain memory copy of the same buffer in the same run.
///
/// The copy is the ceiling: a conversion reads 4 bytes and writes 2 (fp16/bf16) or 1 (fp8),
/// so a kernel that keeps up with memory would approach the copy's rate. The aim is
/// fp16 and bf16 encoding at ≥ 25 % of the copy.
struct BenchFormats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "Benchmark float32 → format → float32 conversion against a memory copy.")

    @Option(help: "Number of float32 values (default 64 Mi = 256 MiB).")
    var count = 64 * 1024 * 1024

    @Option(help: "Repetitions per kernel; the best is reported.")
    var repeats = 3

    @Option(help: "Seed for the input values.")
    var seed: UInt64 = 1

    @Flag(help: "Print one JSON object of rates (GB/s of float32 input) instead of the table.")
    var json = false

    func validate() throws {
        guard count >= 1024 && count <= 1 << 30 else { throw ValidationError("--count must be in 1024...2^30") }
        guard repeats >= 1 && repeats <= 100 else { throw ValidationError("--repeats must be in 1...100") }
    }

    func run() throws {
        var report = JSONReport()
        func emit(_ line: String) { if !json { print(line) } }
        emit(BenchEnvironment.describe())
        emit("input: \(count) float32 values (\(count * 4 / (1 << 20)) MiB), normal σ = 1 with a wide spread, seed \(seed); best of \(repeats)")
        var rng = SeededRNG(seed: seed)
        // A spread of magnitudes so every branch of the encoders is exercised.
        let source = (0..<count).map { i in Float(rng.normal()) * (i % 7 == 0 ? 3000 : 1) }
        let gigabytes = Double(count * 4) / 1e9

        var copy = [Float](repeating: 0, count: count)
        // The ceiling: timed more often than the kernels, since it varies most from run to run.
        let copySeconds = BenchTimer.best(max(repeats, 5)) {
            copy.withUnsafeMutableBytes { dst in
                source.withUnsafeBytes { src in dst.copyMemory(from: src) }
            }
        }
        let copyRate = gigabytes / copySeconds
        emit(row("memcpy (float32 → float32)", copySeconds, copyRate, copyRate))
        report.add("memcpy_gbs", copyRate)

        var halves = [UInt16](repeating: 0, count: count)
        var back = [Float](repeating: 0, count: count)
        for (format, encode, decode) in [
            (FloatFormat.fp16, FloatFormat.Fast.encodeFP16, FloatFormat.Fast.decodeFP16),
            (FloatFormat.bf16, FloatFormat.Fast.encodeBF16, FloatFormat.Fast.decodeBF16),
        ] {
            let enc = BenchTimer.best(repeats) {
                source.withUnsafeBufferPointer { s in halves.withUnsafeMutableBufferPointer { encode(s, $0) } }
            }
            let dec = BenchTimer.best(repeats) {
                halves.withUnsafeBufferPointer { h in back.withUnsafeMutableBufferPointer { decode(h, $0) } }
            }
            emit(row("\(format.name) encode", enc, gigabytes / enc, copyRate))
            emit(row("\(format.name) decode", dec, gigabytes / dec, copyRate))
            report.add("\(format.name)_encode_gbs", gigabytes / enc)
            report.add("\(format.name)_decode_gbs", gigabytes / dec)
        }
        // The general "from the bits up" encoder, for the other formats: slower, and honest about it.
        for format in [FloatFormat.tf32, .fp8E4M3, .fp8E5M2, .fp4E2M1] {
            var codes: [UInt32] = []
            let enc = BenchTimer.best(repeats) { codes = format.encode(source) }
            let dec = BenchTimer.best(repeats) { back = format.decode(codes) }
            emit(row("\(format.name) encode (general)", enc, gigabytes / enc, copyRate))
            emit(row("\(format.name) decode (general)", dec, gigabytes / dec, copyRate))
            report.add("\(format.name)_encode_gbs", gigabytes / enc)
            report.add("\(format.name)_decode_gbs", gigabytes / dec)
        }
        if json { print(report.text) }
        _ = back.first
    }

    private func row(_ name: String, _ seconds: Double, _ rate: Double, _ copyRate: Double) -> String {
        let n = name.padding(toLength: 34, withPad: " ", startingAt: 0)
        return n + String(format: "%9.1f ms  %7.2f GB/s  %6.1f %% of memcpy", seconds * 1000, rate, 100 * rate / copyRate)
    }
}

/// Wall-clock timing for benchmarks: the best of several runs.
enum BenchTimer {
    static func best(_ repeats: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, elapsed)
        }
        return best
    }
}

/// What the numbers were measured on, printed at the top of every benchmark.
enum BenchEnvironment {
    static func describe() -> String {
        #if DEBUG
            var build = "DEBUG build (numbers meaningless; use -c release)"
        #else
            var build = "release build"
        #endif
        #if LOWBIT_NATIVE
            build += ", -target-cpu native"
        #else
            build += ", default x86-64 target (no F16C/AVX2; `make bench` builds with -target-cpu native)"
        #endif
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        return "machine: \(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores; single thread; \(build)"
    }
}
