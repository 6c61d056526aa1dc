import Absmax
import ArgumentParser
import Core
import Foundation
import LLMInt8

/// `lowbit bench llm-int8`: one linear layer's forward pass, Y = X Wᵀ with X tokens × h and
/// W h × h, timed three ways on one core for a range of hidden sizes h:
///
/// - the float32 matmul (Core's `Matmul.product` on one thread, W already transposed: the
///   "fp16" path);
/// - the int8 matmul alone (`Int8Matmul.product` on codes quantized beforehand);
/// - the whole LLM.int8() forward (`Linear8bit.forward`, W quantized once beforehand):
///   checks, outlier columns, quantization of X, the int8 matmul, the rescale, and the float
///   outlier product — the passes `InferenceCost` counts.
///
/// X has `--outliers` feature columns of magnitude about 20 in 75 % of the tokens
/// (`EmergentOutlierGenerator`), as in Chapter 3. Reported as milliseconds and as ratios:
/// LLM.int8() / float, int8 matmul / float, and the share of LLM.int8()'s time spent
/// outside its int8 matmul.
struct BenchLLMInt8: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm-int8",
        abstract: "Time an LLM.int8() layer against the float and int8 matmuls (one thread).")

    @Option(help: "Tokens (rows of X).") var tokens = 64
    @Option(help: "Hidden sizes h to time (W is h × h), comma-separated.")
    var sizes = "512,1024,2048,4096,8192"
    @Option(help: "Outlier feature columns in X.") var outliers = 6
    @Option(help: "Repetitions per kernel; the best is reported.") var repeats = 3

    var hiddenSizes: [Int] {
        sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    func validate() throws {
        guard (1...4096).contains(tokens) else {
            throw ValidationError("--tokens must be in 1...4096")
        }
        guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ (16...16384).contains($0) }) else {
            throw ValidationError("--sizes must be comma-separated integers in 16...16384")
        }
        guard hiddenSizes.allSatisfy({ outliers >= 0 && outliers <= $0 }) else {
            throw ValidationError("--outliers must be in 0...h for every size")
        }
        guard (1...100).contains(repeats) else {
            throw ValidationError("--repeats must be in 1...100")
        }
    }

    func run() throws {
        print(BenchEnvironment.describe())
        print(
            "Y = X W^T, X \(tokens) × h, \(outliers) outlier columns (m = 20), W h × h; "
                + "best of \(repeats) (4× for h ≤ 2048)")
        print(
            "     h   float ms  int8 mm ms  LLM.int8 ms  LLM.int8/float  int8 mm/float"
                + "  outside int8 mm")
        var sink: Float = 0
        var isink: Int32 = 0
        for h in hiddenSizes {
            var rng = SeededRNG(seed: 3)
            let features = EmergentOutlierGenerator.pickFeatures(count: outliers, of: h, rng: &rng)
            let x = EmergentOutlierGenerator(
                tokens: tokens, features: h, outlierFeatures: features, outlierMagnitude: 20
            ).sample(rng: &rng)
            let w = Tensor(shape: [h, h], data: rng.normalFloats(h * h, std: 0.02))
            let wT = w.transposed().data
            let layer = try Linear8bit(weight: w)
            let threshold = LLMInt8.defaultThreshold
            let xCodes = try VectorwiseQuantizer.quantize(x, threshold: threshold).codes

            // Small sizes take milliseconds: time them more often (the best of many is steadier).
            let repeats = h <= 2048 ? 4 * self.repeats : self.repeats
            let float = BenchTimer.best(repeats) {
                sink += KernelThreads.onOneThread { Matmul.product(x.data, wT, m: tokens, k: h, n: h) }[0]
            }
            let int8 = BenchTimer.best(repeats) {
                isink &+= Int8Matmul.product(xCodes, layer.weight.codes, m: tokens, k: h, n: h)[0]
            }
            var failure: Error?
            let whole = BenchTimer.best(repeats) {
                do { sink += try layer.forward(x).output.data[0] } catch { failure = error }
            }
            if let failure { throw failure }
            let line =
                String(format: "%6d %10.2f %11.2f %12.2f", h, float * 1e3, int8 * 1e3, whole * 1e3)
                + String(
                    format: " %14.2fx %13.2fx %15.0f %%", whole / float, int8 / float,
                    100 * (1 - int8 / whole))
            print(line)
        }
        if sink.isNaN || isink == Int32.min { print("") }  // keep the results alive
    }
}
