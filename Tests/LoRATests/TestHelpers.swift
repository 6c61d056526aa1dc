import Core
import Foundation
import LoRA
import NN
import NNTestSupport
import TensorIO
import TestSupport
import Testing

/// The path of a file in Tests/LoRATests/Fixtures (copied into the test bundle).
func fixturePath(_ name: String) throws -> String { try Fixtures(.module).path(name) }

/// A float32 fixture as a Tensor of its own shape.
func loadTensor(_ name: String) throws -> Tensor { try Fixtures(.module).tensor(name) }

/// One peft reference case: the arrays and the LoRA layer built from them.
struct PeftCase {
    let x: Tensor, weight: Tensor, bias: Tensor, a: Tensor, b: Tensor
    let output: Tensor, mergedWeight: Tensor, mergedOutput: Tensor
    let config: LoRAConfig

    init(_ folder: String, useRSLoRA: Bool) throws {
        func load(_ file: String) throws -> Tensor { try loadTensor("peft_lora/\(folder)/\(file).npy") }
        x = try load("X")
        weight = try load("base_weight")
        bias = try load("bias")
        a = try load("lora_A")
        b = try load("lora_B")
        output = try load("output")
        mergedWeight = try load("merged_weight")
        mergedOutput = try load("merged_output")
        config = LoRAConfig(rank: 4, alpha: 8, useRSLoRA: useRSLoRA, targetModules: ["lin"])
    }

    /// A fresh LoRA layer holding this case's W, b, A and B.
    func layer() -> LoRALinear {
        let base = Linear(
            weight: Parameter(name: "lin.weight", shape: weight.shape, value: weight.data),
            bias: Parameter(name: "lin.bias", shape: bias.shape, value: bias.data))
        return LoRALinear(base: base, config: config, a: a.data, b: b.data)
    }

    static let all: [(String, Bool)] = [("r4_alpha8", false), ("r4_alpha8_rslora", true)]
}

/// A Linear with random weights and bias, named `name`.
func randomLinear(in inFeatures: Int, out outFeatures: Int, name: String = "proj", seed: UInt64) -> Linear {
    var rng = SeededRNG(seed: seed)
    return Linear(inFeatures: inFeatures, outFeatures: outFeatures, name: name, rng: &rng)
}

/// A LoRA layer whose B is random too (B = 0 would hide every bug in the B-path).
func randomLoRA(in inFeatures: Int, out outFeatures: Int, rank: Int, alpha: Double = 8, useRSLoRA: Bool = false,
                dropout: Double = 0, seed: UInt64) -> LoRALinear {
    var rng = SeededRNG(seed: seed)
    let base = Linear(inFeatures: inFeatures, outFeatures: outFeatures, name: "proj", rng: &rng)
    let config = LoRAConfig(rank: rank, alpha: alpha, useRSLoRA: useRSLoRA, dropout: dropout)
    let a = rng.normalFloats(rank * inFeatures, std: 0.5)
    let b = rng.normalFloats(outFeatures * rank, std: 0.5)
    return LoRALinear(base: base, config: config, a: a, b: b, dropoutSeed: seed &+ 1)
}

/// One float32 ulp at the magnitude of `x`.
func ulp(_ x: Double) -> Double { Double(Float(abs(x)).ulp) }

/// The adapter's arithmetic as plain loops, in the order `LoRAAdapter`'s doc comments
/// prescribe (every sum from +0 in order; each gradient term added onto the value already
/// there) — a second implementation that holds the exercises to the chapters' bits.
///
/// ```
/// x: [rows][in]   A: [r][in]   B: [out][r]   u = x · Aᵀ: [rows][r]   Δy = s · (u · Bᵀ): [rows][out]
/// ```
struct AdapterLoops {
    let rows: Int, inFeatures: Int, outFeatures: Int, rank: Int
    let scaling: Float

    /// (u, Δy).
    func forward(x: [Float], a: [Float], b: [Float]) -> (u: [Float], update: [Float]) {
        var u = [Float](repeating: 0, count: rows * rank)
        for r in 0..<rows {
            for j in 0..<rank {
                var sum: Float = 0
                for i in 0..<inFeatures { sum += x[r * inFeatures + i] * a[j * inFeatures + i] }
                u[r * rank + j] = sum
            }
        }
        var update = [Float](repeating: 0, count: rows * outFeatures)
        for r in 0..<rows {
            for o in 0..<outFeatures {
                var sum: Float = 0
                for j in 0..<rank { sum += u[r * rank + j] * b[o * rank + j] }
                update[r * outFeatures + o] = sum * scaling
            }
        }
        return (u, update)
    }

    /// dA and dB (accumulated onto `dA`, `dB`) and dx, without dropout.
    func backward(dy: [Float], u: [Float], x: [Float], a: [Float], b: [Float], dA: [Float], dB: [Float])
        -> (dA: [Float], dB: [Float], dx: [Float])
    {
        let g = dy.map { $0 * scaling }
        var dB = dB, dA = dA
        for o in 0..<outFeatures {
            for j in 0..<rank {
                for r in 0..<rows { dB[o * rank + j] += g[r * outFeatures + o] * u[r * rank + j] }
            }
        }
        var du = [Float](repeating: 0, count: rows * rank)
        for r in 0..<rows {
            for j in 0..<rank {
                var sum: Float = 0
                for o in 0..<outFeatures { sum += g[r * outFeatures + o] * b[o * rank + j] }
                du[r * rank + j] = sum
            }
        }
        for j in 0..<rank {
            for i in 0..<inFeatures {
                for r in 0..<rows { dA[j * inFeatures + i] += du[r * rank + j] * x[r * inFeatures + i] }
            }
        }
        var dx = [Float](repeating: 0, count: rows * inFeatures)
        for r in 0..<rows {
            for i in 0..<inFeatures {
                var sum: Float = 0
                for j in 0..<rank { sum += du[r * rank + j] * a[j * inFeatures + i] }
                dx[r * inFeatures + i] = sum
            }
        }
        return (dA, dB, dx)
    }

    /// ΔW = (B · A) · s, [out][in].
    func delta(a: [Float], b: [Float]) -> [Float] {
        var delta = [Float](repeating: 0, count: outFeatures * inFeatures)
        for o in 0..<outFeatures {
            for i in 0..<inFeatures {
                var sum: Float = 0
                for j in 0..<rank { sum += b[o * rank + j] * a[j * inFeatures + i] }
                delta[o * inFeatures + i] = sum * scaling
            }
        }
        return delta
    }
}

/// A standalone adapter (no base layer) with random A and B, 23 → 11 features at rank 5,
/// a [3][13][23] input (39 rows) and its loops.
struct AdapterCase {
    let rows = 39, inFeatures = 23, outFeatures = 11, rank = 5
    let useRSLoRA: Bool
    var config: LoRAConfig { LoRAConfig(rank: rank, alpha: 12, useRSLoRA: useRSLoRA) }
    var a: [Float] { randomTensor([rank, inFeatures], seed: 131, std: 0.4).data }
    var b: [Float] { randomTensor([outFeatures, rank], seed: 132, std: 0.4).data }
    var x: Tensor { randomTensor([3, 13, inFeatures], seed: 133) }
    var dy: Tensor { randomTensor([3, 13, outFeatures], seed: 134) }
    var startA: [Float] { randomTensor([rank, inFeatures], seed: 135, std: 3).data }
    var startB: [Float] { randomTensor([outFeatures, rank], seed: 136, std: 3).data }

    func adapter() -> LoRAAdapter {
        LoRAAdapter(inFeatures: inFeatures, outFeatures: outFeatures, name: "proj", config: config, a: a, b: b)
    }

    var loops: AdapterLoops {
        AdapterLoops(rows: rows, inFeatures: inFeatures, outFeatures: outFeatures, rank: rank, scaling: Float(config.scaling))
    }
}
