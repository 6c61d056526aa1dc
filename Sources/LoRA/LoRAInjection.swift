import Core
import NN

/// Putting adapters into a model and taking them out — peft's `get_peft_model`,
/// `mark_only_lora_as_trainable` and `merge_and_unload`, for models built from `NN` layers.
///
/// A model exposes its linear layers as named, replaceable slots (`TinyGPTModel`'s
/// `replaceLinearLayers`, or `CausalSelfAttention`'s `query`/`key`/`value`/`output`). The
/// functions here decide, slot by slot, what goes in:
///
/// ```swift
/// var rng = SeededRNG(seed: 7)
/// let config = LoRAConfig(rank: 8, alpha: 16)                       // W_q and W_v by default
/// model.replaceLinearLayers { name, layer in LoRAInjection.adapt(layer, named: name, config: config, rng: &rng) }
/// LoRAInjection.freezeAllButAdapters(model.parameters)             // embeddings, norms, … frozen too
/// let optimizer = AdamW(model.parameters, …)                       // states only for A and B
/// …train…
/// model.replaceLinearLayers { _, layer in LoRAInjection.mergeAndUnload(layer) }
/// ```
///
/// The layer name is matched against `config.targetModules` by suffix, as peft does.
public enum LoRAInjection {
    /// A `LoRALinear` around `layer` when `name` is a target and `layer` is a plain `Linear`;
    /// otherwise `layer` itself. A layer that is already adapted is returned unchanged.
    public static func adapt(
        _ layer: any Layer, named name: String, config: LoRAConfig, rng: inout SeededRNG
    ) -> any Layer {
        guard config.targets(name), let linear = layer as? Linear else { return layer }
        return LoRALinear(base: linear, config: config, rng: &rng)
    }

    /// Adapts the targeted projections of one attention layer in place and returns the new
    /// adapters, in the order query, key, value, output. A projection's name is its weight's
    /// name without `.weight` (`blocks.0.attn.query`).
    @discardableResult
    public static func adapt(
        _ attention: CausalSelfAttention, config: LoRAConfig, rng: inout SeededRNG
    ) -> [LoRALinear] {
        func wrap(_ layer: any Layer) -> any Layer {
            guard let linear = layer as? Linear else { return layer }
            return adapt(linear, named: String(linear.weight.name.dropLast(".weight".count)), config: config, rng: &rng)
        }
        attention.query = wrap(attention.query)
        attention.key = wrap(attention.key)
        attention.value = wrap(attention.value)
        attention.output = wrap(attention.output)
        return adapters(in: [attention.query, attention.key, attention.value, attention.output])
    }

    /// The adapters among `layers`.
    public static func adapters(in layers: [any Layer]) -> [LoRALinear] {
        layers.compactMap { $0 as? LoRALinear }
    }

    /// True for the names of an adapter's A and B.
    public static func isAdapterParameter(_ p: Parameter) -> Bool {
        p.name.hasSuffix(".lora_A.weight") || p.name.hasSuffix(".lora_B.weight")
    }

    /// Freezes every parameter except adapters' A and B (peft's `mark_only_lora_as_trainable`
    /// with `bias="none"`), so full-model gradients and optimizer states shrink to the adapters.
    public static func freezeAllButAdapters(_ parameters: [Parameter]) {
        for p in parameters { p.isTrainable = isAdapterParameter(p) }
    }

    /// An adapter merged into a plain `Linear`; any other layer unchanged.
    public static func mergeAndUnload(_ layer: any Layer) -> any Layer {
        (layer as? LoRALinear)?.mergedLinear() ?? layer
    }
}
