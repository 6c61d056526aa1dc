import Core
import LoRA
import NN

/// Turning a float model into a QLoRA model, slot by slot — what `qlora.py` does with
/// `from_pretrained(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True)`
/// followed by `get_peft_model` with `target_modules = find_all_linear_names(model)`.
///
/// ```
/// for each linear slot (name, layer):
///     kept in float (the output head)        → layer, unchanged (still frozen by the caller)
///     a LoRA target                          → QLoRALinear: NF4 base + adapter (A random, B = 0)
///     any other Linear                       → NF4Linear: frozen, 4-bit, no adapter
/// then LoRAInjection.freezeAllButAdapters(model.parameters)
/// ```
///
/// ```swift
/// var rng = SeededRNG(seed: 7)
/// let config = QLoRAConfig(lora: LoRAConfig(rank: 8, alpha: 16, targetModules: LoRAConfig.allLinear))
/// try model.replaceLinearLayers { name, layer in try QLoRAInjection.adapt(layer, named: name, config: config, rng: &rng) }
/// LoRAInjection.freezeAllButAdapters(model.parameters)
/// ```
///
/// Adapters are drawn from `rng` in slot order exactly as `LoRAInjection.adapt` draws them, so a
/// LoRA model and a QLoRA model built from equal generators start from the same A matrices —
/// the comparison in Chapter 7 differs only in the base's storage and the optimizer.
public enum QLoRAInjection {
    /// The layer for slot `name`: see the table above. Throws if a weight cannot be quantized
    /// (a NaN or ∞ in it).
    public static func adapt(
        _ layer: any Layer, named name: String, config: QLoRAConfig, rng: inout SeededRNG
    ) throws -> any Layer {
        guard let linear = layer as? Linear, !config.keepsInFloat(name) else { return layer }
        let base = try NF4Linear(
            quantizing: linear, type: config.storageType, blockSize: config.blockSize,
            doubleQuantization: config.doubleQuantization)
        base.computeType = config.computeType
        guard config.lora.targets(name) else { return base }
        // A drawn exactly as QLoRALinear(quantizing:config:rng:) and LoRALinear draw it.
        let adapter = LoRAAdapter(inFeatures: base.inFeatures, outFeatures: base.outFeatures, name: base.name,
                                  config: config.lora, rng: &rng)
        return QLoRALinear(base: base, adapter: adapter)
    }

    /// Every 4-bit base among `layers` (plain `NF4Linear`s and the bases of `QLoRALinear`s).
    public static func quantizedBases(in layers: [any Layer]) -> [NF4Linear] {
        layers.compactMap { ($0 as? NF4Linear) ?? ($0 as? QLoRALinear)?.base }
    }

    /// Every adapter among `layers`.
    public static func adapters(in layers: [any Layer]) -> [LoRAAdapter] {
        layers.compactMap { ($0 as? QLoRALinear)?.adapter }
    }

    /// "The dequantized base model": a float `Linear` holding Ŵ for every 4-bit layer (its
    /// adapter dropped); any other layer unchanged. A QLoRA model with B = 0 computes exactly
    /// what this computes.
    public static func dequantizedBase(_ layer: any Layer) -> any Layer {
        if let q = layer as? QLoRALinear { return q.base.dequantizedLinear() }
        if let n = layer as? NF4Linear { return n.dequantizedLinear() }
        return layer
    }
}
