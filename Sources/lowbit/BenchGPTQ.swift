import ArgumentParser
import Core
import Foundation
import GPTQ

/// `lowbit bench gptq`: GPTQ on one synthetic layer (default the benchmark: 4096 × 4096,
/// 2,048 calibration rows, 4-bit, groups of 128, act-order), one thread, timed in three parts:
/// the Hessian (Core's tiled Matmul for XᵀX), the Cholesky chain U = chol(chol⁻¹(H + λI))ᵀ on
/// its own (the blocked kernels of `Cholesky+Fast.swift`; `--readable-cholesky` for the loops
/// of `Cholesky.swift`), and the whole of `GPTQ.quantize`
/// (which includes the chain again). One run each: the whole benchmark takes minutes.
struct BenchGPTQ: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gptq",
        abstract:
            "Time GPTQ on a layer (default 4096 × 4096, 2,048 rows, 4-bit g128, act-order)."
    )

    @Option(help: "Output features (rows of W).") var rows = 4096
    @Option(help: "Input features (columns of W, size of H).") var columns = 4096
    @Option(help: "Calibration rows of X.") var samples = 2048
    @Option(help: "Bits per weight.") var bits = 4
    @Option(help: "Columns per group (-1: one per row).") var groupSize = 128
    @Flag(name: .customLong("no-act-order"), help: "Keep the original column order.")
    var noActOrder = false
    @Flag(help: "Use the readable Cholesky loops instead of the blocked ones.")
    var readableCholesky = false
    @Flag(help: "Print one JSON object instead of the table.") var json = false

    func validate() throws {
        guard rows > 0, columns > 0, samples > 0 else {
            throw ValidationError("sizes must be positive")
        }
        guard (2...8).contains(bits) else { throw ValidationError("--bits must be 2 … 8") }
        guard groupSize == -1 || (groupSize > 0 && columns % groupSize == 0) else {
            throw ValidationError("--group-size must be -1 or divide --columns")
        }
    }

    func run() throws {
        // W ~ 0.02 N(0, 1); X[:, j] ~ N(0, 1) · exp(0.75 z_j): inputs with per-channel scales,
        // so act-order has something to sort (seed 9).
        var rng = SeededRNG(seed: 9)
        let w = rng.normalFloats(rows * columns, std: 0.02)
        let channelScale = (0..<columns).map { _ in Float(exp(0.75 * rng.normal())) }
        var x = rng.normalFloats(samples * columns)
        for s in 0..<samples {
            for c in 0..<columns { x[s * columns + c] *= channelScale[c] }
        }
        var config = GPTQConfiguration(
            bits: bits, groupSize: groupSize == -1 ? nil : groupSize, actOrder: !noActOrder)
        config.blockedCholesky = !readableCholesky

        var h: [Float] = []
        let hessianSeconds = BenchTimer.best(1) {
            h = HessianAccumulator.accumulate(x, samples: samples, columns: columns).h
        }
        var damped = h
        HessianPreparation.dampen(h: &damped, columns: columns, percent: config.dampingPercent)
        var failure: Error?
        let choleskySeconds = BenchTimer.best(1) {
            do {
                _ =
                    try readableCholesky
                    ? Cholesky.upperFactorOfInverse(damped, n: columns)
                    : Cholesky.upperFactorOfInverseBlocked(damped, n: columns)
            } catch { failure = error }
        }
        var result: GPTQResult?
        let gptqSeconds = BenchTimer.best(1) {
            do {
                result = try GPTQ.quantize(
                    weight: w, rows: rows, columns: columns, hessian: h, configuration: config)
            } catch { failure = error }
        }
        if let failure { throw failure }
        let parts: [(String, Double)] = [
            ("hessian_seconds", hessianSeconds), ("cholesky_chain_seconds", choleskySeconds),
            ("gptq_quantize_seconds", gptqSeconds), ("total_seconds", hessianSeconds + gptqSeconds),
        ]
        if json {
            var report = JSONReport()
            report.add("shape", [rows, columns])
            report.add("samples", samples)
            report.add("bits", bits)
            report.add("group_size", groupSize)
            report.add("act_order", raw: noActOrder ? "false" : "true")
            for (key, value) in parts { report.add(key, value) }
            print(report.text)
        } else {
            print(BenchEnvironment.describe())
            print(
                "GPTQ \(rows) × \(columns), \(samples) calibration rows, \(bits)-bit, "
                    + "group \(groupSize), act-order \(!noActOrder); one thread, one run each "
                    + "(\(result?.groups ?? 0) groups per row)")
            for (key, value) in parts {
                print(
                    key.replacingOccurrences(of: "_seconds", with: "").padding(
                        toLength: 24, withPad: " ", startingAt: 0)
                        + String(format: "%9.2f s", value))
            }
        }
    }
}
