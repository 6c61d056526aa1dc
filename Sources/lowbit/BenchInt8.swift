import Absmax
import ArgumentParser
import Core
import Foundation

/// `lowbit bench int8`: float32 matmul (naive and tiled) and int8 matmul with Int32
/// accumulation, single thread, on a transformer-sized product, reported in GOP/s
/// (one multiply plus one add = 2 operations).
///
/// The naive i-j-k loop runs on the first `--naive-rows` rows only (it would take tens of
/// seconds on all of them); its rate is per operation, so it compares directly.
struct BenchInt8: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "int8",
        abstract: "Benchmark float32 and int8 matrix multiplication (single thread, GOP/s).")

    @Option(help: "Rows of A (tokens).") var m = 512
    @Option(help: "Inner dimension (in features).") var k = 4096
    @Option(help: "Columns of the product (out features).") var n = 4096
    @Option(help: "Rows the naive kernel runs on.") var naiveRows = 32
    @Option(help: "Repetitions of the fast kernels; the best is reported.") var repeats = 3
    @Flag(help: "Print one JSON object of rates (GOP/s) instead of the table.") var json = false

    func validate() throws {
        for (name, value) in [("m", m), ("k", k), ("n", n)] where !(1...16384).contains(value) {
            throw ValidationError("--\(name) must be in 1...16384, got \(value)")
        }
        guard (1...m).contains(naiveRows) else { throw ValidationError("--naive-rows must be in 1...\(m)") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be in 1...100") }
    }

    func run() throws {
        var rng = SeededRNG(seed: 1)
        let a = rng.normalFloats(m * k)
        let b = rng.normalFloats(k * n, std: 0.02)  // k × n for the float kernels
        let aCodes = (0..<m * k).map { _ in Int8(rng.index(below: 255) - 127) }
        let bCodes = (0..<n * k).map { _ in Int8(rng.index(below: 255) - 127) }  // n × k (out × in)
        let ops = 2 * Double(m) * Double(k) * Double(n)
        let naiveOps = ops * Double(naiveRows) / Double(m)

        var sink: Float = 0
        let naive = BenchTimer.best(1) {
            sink += Matmul.referenceProduct(Array(a[0..<naiveRows * k]), b, m: naiveRows, k: k, n: n)[0]
        }
        // One thread, like the int8 kernel (Matmul would otherwise share large products out).
        let fast = BenchTimer.best(repeats) {
            sink += KernelThreads.onOneThread { Matmul.product(a, b, m: m, k: k, n: n) }[0]
        }
        var isink: Int32 = 0
        let int8 = BenchTimer.best(repeats) { isink &+= Int8Matmul.product(aCodes, bCodes, m: m, k: k, n: n)[0] }
        let rates = [
            ("float32 naive (i-j-k)", naiveOps / naive / 1e9),
            ("float32 tiled", ops / fast / 1e9),
            ("int8 -> int32", ops / int8 / 1e9),
        ]
        if json {
            var report = JSONReport()
            report.add("shape", [m, k, n])
            report.add("float32_naive_gops", rates[0].1)
            report.add("float32_tiled_gops", rates[1].1)
            report.add("int8_gops", rates[2].1)
            print(report.text)
        } else {
            print(BenchEnvironment.describe())
            print("C = A·B with A \(m) × \(k), B \(k) × \(n) (int8: B stored \(n) × \(k)); best of \(repeats)")
            for (name, rate) in rates {
                print(name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%8.2f GOP/s", rate))
            }
        }
        if sink.isNaN || isink == Int32.min { print("") }  // keep the results alive
    }
}
