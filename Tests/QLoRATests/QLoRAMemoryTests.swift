import Core
import LoRA
import NF4
import NN
import Optimizers
import QLoRA
import Testing

/// The memory accounting around exercise 7c: full fine-tuning and LoRA on a 16-bit base for
/// LLaMA-65B, the checkpointed activations, and the breakdown measured on a model we hold.
@Suite struct QLoRAMemoryTests {
    static let gigabyte = 1e9

    /// 16-bit full finetuning costs 2 + 2 + 8 = 12 bytes per parameter: more than 780 GB for
    /// LLaMA-65B (65,285,660,672 parameters from its shape), the paper's opening number.
    @Test func fullFineTuningOf65BNeedsMoreThan780GB() {
        let shape = TransformerShape.llama65B
        #expect(shape.parameterCount == 65_285_660_672)
        let full = QLoRAMemory.fullFineTuning16Bit(shape, heads: 64)
        #expect(full.baseWeights + full.gradients + full.optimizerStates == 12 * Double(shape.parameterCount))
        #expect(full.total > 780 * Self.gigabyte)
    }

    /// LoRA on a 16-bit base (the same adapters, float32 states) does not fit even in 80 GB.
    @Test func loraOn16BitBaseOf65BNeedsMoreThan80GB() {
        #expect(QLoRAMemory.lora16Bit(.llama65B, heads: 64).total > 80 * Self.gigabyte)
    }

    /// Activations with checkpointing: L · T · d kept, plus one layer rebuilt, 2 bytes each —
    /// hand-computed for a small shape.
    @Test func checkpointedActivationsByHand() {
        let shape = TransformerShape(name: "toy", hidden: 8, layers: 3, intermediate: 16, vocabulary: 10, gatedMLP: true)
        // kept 3·5·8 = 120; one layer 5·(64 + 64) + 2·25 = 690; 810 values × 2 bytes.
        #expect(QLoRAMemory.checkpointedActivationBytes(shape, tokens: 5, heads: 2) == 1620)
    }

    /// The measured breakdown of a small QLoRA model, counted by hand: a 64 → 32 layer with an
    /// r = 4 adapter and a frozen 32 → 10 NF4 layer.
    @Test func measuredBreakdownOfASmallModel() throws {
        var rng = SeededRNG(seed: 101)
        let config = QLoRAConfig(lora: LoRAConfig(rank: 4, alpha: 8, targetModules: ["slot0"]))
        let stack = Stack([randomLinear(in: 64, out: 32, name: "slot0", seed: 102), GELU(),
                           randomLinear(in: 32, out: 10, name: "slot2", seed: 103)])
        try stack.replaceLayers { name, layer in try QLoRAInjection.adapt(layer, named: name, config: config, rng: &rng) }
        LoRAInjection.freezeAllButAdapters(stack.parameters)
        let quantized = QLoRAInjection.quantizedBases(in: stack.linearSlots)
        let optimizer = Adam8bit(stack.parameters, min8BitSize: 256)
        let m = QLoRAMemory.measure(parameters: stack.parameters, quantizedLayers: quantized,
                                    optimizerStateBytes: optimizer.stateBytes, activationBytes: 1000)
        // 4-bit: 2048 values → 1024 bytes + 32 codes + c₁ + offset; 320 values → 160 + 5 + 4 + 4.
        let fourBit = (1024 + 32 + 4 + 4) + (160 + 5 + 4 + 4)
        #expect(m.baseWeights == Double(fourBit + 4 * (32 + 10)))
        // Adapters: A 4 × 64 = 256, B 32 × 4 = 128 values.
        #expect(m.adapters == 4 * 384 && m.gradients == 4 * 384)
        // A (256 values) gets 8-bit states: 2·256 + 8; B (128 < 256) keeps float32: 8·128.
        #expect(m.optimizerStates == Double(2 * 256 + 8 + 8 * 128))
        #expect(m.total == m.baseWeights + m.adapters + m.gradients + m.optimizerStates + 1000)
    }
}
