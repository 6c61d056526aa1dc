import Core
import NF4
import NN

/// After QLoRA training: keep the adapter apart, merge it into the dequantized weight, or merge
/// and quantize again — three ways to ship the result (QLoRA §3 keeps them apart; peft's
/// `merge_and_unload` on a 4-bit model dequantizes, adds ΔW and re-quantizes).
///
/// ```
/// apart:        y = x · Ŵᵀ + b + s · (x Aᵀ) Bᵀ          4-bit W + small float A, B; two extra products
/// merged:       W' = Ŵ + ΔW,  ΔW = s · B · A            float W' [out][in]: no extra products, but
///                                                      32 (or 16) bits per weight again
/// re-quantized: W'' = dequantize(NF4(W'))               4-bit again, with a new rounding error
///               e = W'' − W'                            |e| ≤ half the widest NF4 gap · absmax'
///                                                      (plus the constants' double-quantization error)
/// ```
///
/// Why re-quantizing hurts: ΔW is small next to W (a low-rank correction learnt in a few hundred
/// steps), while one NF4 step is a sizeable fraction of a block's absmax. A weight moves to a new
/// code only if ΔW carries it across a midpoint, so most of ΔW is rounded away and some of it is
/// replaced by rounding noise of the same order. `RequantizationError` measures how much.
extension QLoRALinear {
    /// W' = Ŵ + s·B·A as a float32 `Linear` with the base's bias (frozen), in float arithmetic
    /// that rounds each sum once — peft's merge, applied to the dequantized weight.
    public func mergedLinear() -> Linear {
        var w = base.dequantizedWeight()
        let delta = adapter.deltaWeight
        for i in w.indices { w[i] += delta[i] }
        let weight = Parameter(name: base.name + ".weight", shape: [outFeatures, inFeatures], value: w, isTrainable: false)
        let bias = base.bias.map { Parameter(name: $0.name, shape: $0.shape, value: $0.value, isTrainable: false) }
        return Linear(weight: weight, bias: bias)
    }

    /// NF4(W') with the base's block size and double quantization: the merged model in 4 bits.
    public func mergedAndRequantized() throws -> NF4Linear {
        let merged = mergedLinear()
        let doubleQuantized: Bool
        if case .doubleQuantized = base.weight.constants { doubleQuantized = true } else { doubleQuantized = false }
        return try NF4Linear(quantizing: merged, blockSize: base.weight.blockSize, doubleQuantization: doubleQuantized)
    }
}

/// How much of the adapters' update survives re-quantization, summed over layers.
///
/// ```
/// ‖ΔW‖               = √Σ (s·B·A)²                        the update the adapters learnt
/// ‖e‖                = √Σ (W'' − W')²                     the new rounding error
/// relative error     = ‖e‖ / ‖ΔW‖                         ≥ 1: more noise than signal
/// codes changed      = fraction of the 4-bit codes that differ from the base's
/// ```
public struct RequantizationError: Equatable, Sendable {
    public private(set) var deltaSquared = 0.0
    public private(set) var errorSquared = 0.0
    public private(set) var maxAbsoluteError = 0.0
    public private(set) var codesChanged = 0
    public private(set) var weights = 0

    public init() {}

    /// Adds one layer: its merged float weight W', the re-quantized layer and the original base.
    public mutating func add(merged: Linear, requantized: NF4Linear, original: NF4Linear, delta: [Float]) {
        let w = merged.weight.value
        let back = requantized.dequantizedWeight()
        precondition(w.count == back.count && delta.count == w.count, "RequantizationError: sizes differ")
        for i in w.indices {
            let e = Double(back[i]) - Double(w[i])
            errorSquared += e * e
            maxAbsoluteError = max(maxAbsoluteError, abs(e))
            deltaSquared += Double(delta[i]) * Double(delta[i])
        }
        let before = original.weight.codes, after = requantized.weight.codes
        codesChanged += zip(before, after).filter { $0 != $1 }.count
        weights += w.count
    }

    public var deltaNorm: Double { deltaSquared.squareRoot() }
    public var errorNorm: Double { errorSquared.squareRoot() }
    /// ‖e‖ / ‖ΔW‖.
    public var relativeError: Double { deltaSquared > 0 ? errorNorm / deltaNorm : .infinity }
    public var fractionOfCodesChanged: Double { weights > 0 ? Double(codesChanged) / Double(weights) : 0 }
}
