import Core
import LoRA
import NN
import NNTestSupport
import QLoRA
import Testing

/// A Linear with N(0.05, 0.4²) weights and bias — weight-like values, not the tiny uniform init,
/// so that NF4's blocks see a realistic spread.
func randomLinear(in inFeatures: Int, out outFeatures: Int, name: String = "proj", bias: Bool = true, seed: UInt64) -> Linear {
    var rng = SeededRNG(seed: seed)
    let w = Parameter(name: name + ".weight", shape: [outFeatures, inFeatures],
                      value: rng.normalFloats(outFeatures * inFeatures, mean: 0.05, std: 0.4))
    let b = bias ? Parameter(name: name + ".bias", shape: [outFeatures], value: rng.normalFloats(outFeatures, std: 0.3)) : nil
    return Linear(weight: w, bias: b)
}

/// A QLoRA layer on a random base with a random (non-zero) B, so every path carries signal.
func randomQLoRA(in inFeatures: Int, out outFeatures: Int, rank: Int, alpha: Double = 8, dropout: Double = 0,
                 seed: UInt64) throws -> QLoRALinear {
    let base = try NF4Linear(quantizing: randomLinear(in: inFeatures, out: outFeatures, seed: seed))
    var rng = SeededRNG(seed: seed &+ 1)
    let config = LoRAConfig(rank: rank, alpha: alpha, dropout: dropout)
    let adapter = LoRAAdapter(
        inFeatures: inFeatures, outFeatures: outFeatures, name: base.name, config: config,
        a: rng.normalFloats(rank * inFeatures, std: 0.5), b: rng.normalFloats(outFeatures * rank, std: 0.5),
        dropoutSeed: seed &+ 2)
    return QLoRALinear(base: base, adapter: adapter)
}

/// Layers run one after another, with replaceable slots — the smallest "model" a test can
/// adapt slot by slot, the way `TinyGPTModel.replaceLinearLayers` does for the chapters.
final class Stack: Layer {
    var layers: [any Layer]
    init(_ layers: [any Layer]) { self.layers = layers }
    var parameters: [Parameter] { layers.flatMap(\.parameters) }
    func forward(_ x: Tensor) -> Tensor { layers.reduce(x) { $1.forward($0) } }
    func backward(_ dy: Tensor) -> Tensor { layers.reversed().reduce(dy) { $1.backward($0) } }

    /// Puts `transform(name, layer)` in every slot named `slot0`, `slot1`, … (attention
    /// layers get their projections replaced in place, named `slotN.query` and so on).
    func replaceLayers(_ transform: (String, any Layer) throws -> any Layer) rethrows {
        for i in layers.indices {
            if let attention = layers[i] as? CausalSelfAttention {
                attention.query = try transform("slot\(i).query", attention.query)
                attention.key = try transform("slot\(i).key", attention.key)
                attention.value = try transform("slot\(i).value", attention.value)
                attention.output = try transform("slot\(i).output", attention.output)
            } else {
                layers[i] = try transform("slot\(i)", layers[i])
            }
        }
    }

    /// Every (possibly adapted) linear slot, for memory counts.
    var linearSlots: [any Layer] {
        layers.flatMap { layer -> [any Layer] in
            if let a = layer as? CausalSelfAttention { return [a.query, a.key, a.value, a.output] }
            return layer is GELU ? [] : [layer]
        }
    }
}

/// Cross-entropy of `model` on labelled inputs, without touching gradients.
func loss(_ model: Stack, _ x: Tensor, _ labels: [Int]) -> Double {
    Double(SoftmaxCrossEntropy().forward(model.forward(x), targets: labels))
}
