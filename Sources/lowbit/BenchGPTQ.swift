import ArgumentParser
import Core
import Foundation
import GPTQ
import TensorIO

/// `lowbit bench gptq`: GPTQ on one synthetic layer (default the benchmark: 4096 × 4096,
/// 2,048 calibration rows, 4-bit, groups of 128, act-order), one thread, timed in three parts:
/// the Hessian (`HessianAccumulator.hessianBlocked`: XᵀX's lower triangle on Core's tiled
/// Matmul, the bits of `accumulate`), the Cholesky chain U = chol(chol⁻¹(H + λI))ᵀ on
/// its own (the blocked kernels of `Cholesky+Fast.swift`; `--readable-cholesky` for the loops
/// of `Cholesky.swift`), and the whole of `GPTQ.quantize` (which includes the chain again).
/// One run each: the whole benchmark takes minutes.
///
/// With `--reference DIR` (a copy of IST-DASLab/gptq's gptq.py and quant.py) the same layer —
/// the same W and X, written to a temporary directory as float32 .npy — goes through the
/// authors' code on PyTorch CPU, one thread (`scripts/bench/gptq_reference.py`), in the same
/// run, after ours; both are printed side by side. From the repository root:
/// `lowbit bench gptq --reference DIR --python VENV/bin/python`. Every part is reported as
/// wall-clock and as CPU seconds: on a machine shared with other jobs the CPU time is the
/// fairer number.
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
    @Option(help: "Also run the authors' GPTQ (gptq.py, quant.py in this directory) on PyTorch.")
    var reference: String?
    @Option(help: "The Python for --reference: one with torch and numpy (e.g. a venv's).")
    var python = "python3"
    @Option(help: "The peer script for --reference (default: relative to the repository root).")
    var peerScript = "scripts/bench/gptq_reference.py"
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

        // One thread, as the peer: Core's Matmul would otherwise share large products out.
        var h: [Float] = []
        let hessian = PartTimer.time {
            h = KernelThreads.onOneThread {
                HessianAccumulator.hessianBlocked(x, samples: samples, columns: columns)
            }
        }
        var damped = h
        HessianPreparation.dampen(h: &damped, columns: columns, percent: config.dampingPercent)
        var failure: Error?
        let cholesky = PartTimer.time {
            do {
                _ = try KernelThreads.onOneThread {
                    try readableCholesky
                        ? Cholesky.upperFactorOfInverse(damped, n: columns)
                        : Cholesky.upperFactorOfInverseBlocked(damped, n: columns)
                }
            } catch { failure = error }
        }
        var result: GPTQResult?
        let quantize = PartTimer.time {
            do {
                result = try KernelThreads.onOneThread {
                    try GPTQ.quantize(
                        weight: w, rows: rows, columns: columns, hessian: h, configuration: config)
                }
            } catch { failure = error }
        }
        if let failure { throw failure }
        let ours: [(String, PartTimer.Seconds)] = [
            ("hessian", hessian), ("cholesky_chain", cholesky), ("gptq_quantize", quantize),
            ("total", hessian + quantize),
        ]
        let peer = try reference.map { try runPeer(directory: $0, w: w, x: x) }
        if json {
            var report = JSONReport()
            report.add("shape", [rows, columns])
            report.add("samples", samples)
            report.add("bits", bits)
            report.add("group_size", groupSize)
            report.add("act_order", raw: noActOrder ? "false" : "true")
            for (key, value) in ours {
                report.add(key + "_seconds", value.wall)
                report.add(key + "_cpu_seconds", value.cpu)
            }
            if let peer {
                for (key, value) in peer.parts.sorted(by: { $0.key < $1.key }) {
                    report.add("reference_" + key + "_seconds", value)
                }
                report.add("reference_cpu_seconds", peer.cpu)
            }
            print(report.text)
            return
        }
        print(BenchEnvironment.describe())
        print(
            "GPTQ \(rows) × \(columns), \(samples) calibration rows, \(bits)-bit, "
                + "group \(groupSize), act-order \(!noActOrder); one thread, one run each "
                + "(\(result?.groups ?? 0) groups per row)")
        if let peer { print("reference: IST-DASLab/gptq on \(peer.description), the same W and X") }
        let header = "part".padding(toLength: 16, withPad: " ", startingAt: 0)
        print(header + "   LowBit wall      cpu" + (peer == nil ? "" : "   reference wall   ratio"))
        for (key, value) in ours {
            var line = key.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "%12.2f s %7.2f s", value.wall, value.cpu)
            if let theirs = peer?.parts[key] {
                line += String(format: "%14.2f s %6.2fx", theirs, theirs / value.wall)
            }
            print(line)
        }
        if let peer {
            print(
                String(
                    format: "reference total CPU %.2f s (ratio %.2fx of ours)", peer.cpu,
                    peer.cpu / (hessian + quantize).cpu))
        }
    }

    /// The peer's seconds per part (named as ours) and its process CPU time.
    struct PeerTimes {
        var parts: [String: Double]
        var cpu: Double
        var description: String
    }

    /// Writes W and X as float32 .npy and runs the peer script on them, one thread.
    func runPeer(directory: String, w: [Float], x: [Float]) throws -> PeerTimes {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("lowbit-bench-gptq-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let wPath = scratch.appendingPathComponent("W.npy").path
        let xPath = scratch.appendingPathComponent("X.npy").path
        try NPY.write(RawTensor(float32: w, shape: [rows, columns]), to: wPath)
        try NPY.write(RawTensor(float32: x, shape: [samples, columns]), to: xPath)
        let object = try PeerProcess.runJSON(
            python: python,
            arguments: [
                peerScript, directory, wPath, xPath, String(bits), String(groupSize),
                noActOrder ? "0" : "1",
            ])
        guard let hessian = object["hessian_seconds"] as? Double,
            let quantize = object["quantize_seconds"] as? Double,
            let chain = object["cholesky_chain_seconds"] as? Double,
            let cpu = object["cpu_seconds"] as? Double
        else {
            throw ValidationError("the reference run's report lacks a time: \(object.keys.sorted())")
        }
        let torch = object["torch"] as? String ?? "?"
        let blas = object["blas"] as? String ?? "?"
        return PeerTimes(
            parts: [
                "hessian": hessian, "cholesky_chain": chain, "gptq_quantize": quantize,
                "total": hessian + quantize,
            ], cpu: cpu, description: "PyTorch \(torch) CPU (\(blas)), one thread")
    }
}

/// Wall-clock and CPU time of one call (CPU: this process's, all threads).
enum PartTimer {
    struct Seconds {
        var wall: Double
        var cpu: Double
        static func + (a: Seconds, b: Seconds) -> Seconds {
            Seconds(wall: a.wall + b.wall, cpu: a.cpu + b.cpu)
        }
    }

    static func time(_ body: () -> Void) -> Seconds {
        let (wall, cpu) = (DispatchTime.now().uptimeNanoseconds, cpuSeconds())
        body()
        return Seconds(
            wall: Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e9,
            cpu: cpuSeconds() - cpu)
    }

    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
