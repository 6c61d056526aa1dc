import Core
import LoRA
import NN
import TestSupport
import NNTestSupport
import Testing

/// Putting adapters into attention layers, freezing the rest, and counting what trains.
@Suite struct InjectionTests {

    /// peft-style suffix matching of `target_modules`.
    @Test func targetsMatchNameSuffixes() {
        let config = LoRAConfig(rank: 2, alpha: 4)
        #expect(config.targets("blocks.0.attn.query") && config.targets("blocks.3.attn.value"))
        #expect(config.targets("query"))
        #expect(!config.targets("blocks.0.attn.key") && !config.targets("blocks.0.attn.queryish"))
        let all = LoRAConfig(rank: 2, alpha: 4, targetModules: LoRAConfig.allLinear)
        #expect(all.targets("blocks.1.mlp.fc") && all.targets("blocks.1.mlp.proj") && !all.targets("head"))
    }

    /// Adapting W_q and W_v of an attention layer: two adapters, 2·r·(C + C) trainable values,
    /// and — with B = 0 — exactly the same output as before.
    @Test func adaptingQueryAndValueLeavesAttentionUnchanged() {
        var rng = SeededRNG(seed: 91)
        let attention = CausalSelfAttention(channels: 16, heads: 4, name: "blocks.0.attn", rng: &rng)
        let x = randomTensor([2, 5, 16], seed: 92)
        let before = attention.forward(x)
        let adapters = LoRAInjection.adapt(attention, config: LoRAConfig(rank: 4, alpha: 8), rng: &rng)
        #expect(adapters.map(\.loraA.name)
                == ["blocks.0.attn.query.lora_A.weight", "blocks.0.attn.value.lora_A.weight"])
        #expect(attention.key is Linear && attention.output is Linear)
        #expect(firstBitMismatch(before.data, attention.forward(x).data) == nil)
        LoRAInjection.freezeAllButAdapters(attention.parameters)
        let budget = AdapterBudget(attention.parameters)
        #expect(budget.trainableParameters == 2 * 4 * (16 + 16))
        #expect(budget.totalParameters == 4 * (16 * 16 + 16) + budget.trainableParameters)
        #expect(budget.optimizerStateBytes() == 8 * budget.trainableParameters)
        #expect(budget.gradientBytes == 4 * budget.trainableParameters)
    }

    /// Gradients flow through adapted attention: dA, dB and dx agree with finite differences
    /// when the adapters sit inside `CausalSelfAttention` (B made non-zero first).
    @Test func gradientsFlowThroughAdaptedAttention() {
        var rng = SeededRNG(seed: 93)
        let attention = CausalSelfAttention(channels: 8, heads: 2, name: "attn", rng: &rng)
        let adapters = LoRAInjection.adapt(attention, config: LoRAConfig(rank: 2, alpha: 4), rng: &rng)
        for adapter in adapters { adapter.loraB.value = rng.normalFloats(adapter.loraB.count, std: 0.3) }
        LoRAInjection.freezeAllButAdapters(attention.parameters)
        let results = checkTrainable(attention, input: randomTensor([1, 4, 8], seed: 94), seed: 95)
        #expect(results.count == 1 + 4)  // the input, and A and B of two adapters
        expectAllPass(results)
    }

    /// Adapting again is a no-op; non-Linear layers and untargeted names pass through.
    @Test func adaptIsIdempotentAndSelective() {
        var rng = SeededRNG(seed: 96)
        let config = LoRAConfig(rank: 2, alpha: 4)
        let linear = randomLinear(in: 4, out: 4, name: "attn.query", seed: 97)
        let once = LoRAInjection.adapt(linear, named: "attn.query", config: config, rng: &rng)
        let twice = LoRAInjection.adapt(once, named: "attn.query", config: config, rng: &rng)
        #expect(once is LoRALinear && twice === once)
        #expect(LoRAInjection.adapt(linear, named: "attn.key", config: config, rng: &rng) === linear)
        let gelu = GELU()
        #expect(LoRAInjection.adapt(gelu, named: "query", config: config, rng: &rng) === gelu)
    }

    /// merge-and-unload turns an adapter into a plain Linear with the merged weight.
    @Test func mergeAndUnloadGivesAPlainLinear() throws {
        let adapter = randomLoRA(in: 6, out: 3, rank: 2, seed: 98)
        let unloaded = try #require(LoRAInjection.mergeAndUnload(adapter) as? Linear)
        #expect(firstBitMismatch(adapter.mergedLinear().weight.value, unloaded.weight.value) == nil)
        let plain = randomLinear(in: 2, out: 2, seed: 99)
        #expect(LoRAInjection.mergeAndUnload(plain) === plain)
    }
}
