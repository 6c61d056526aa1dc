import LoRA
import Testing

/// LoRA arithmetic for real models, checked against the numbers the papers print.
@Suite struct TransformerShapeTests {

    /// LLaMA-7B and 65B from their shapes: 6,738,415,616 and 65,285,660,672 parameters (the
    /// "6.7B" and "65.2B" of Touvron et al. 2023, Table 2).
    @Test func llamaParameterCountsMatchThePaper() {
        #expect(TransformerShape.llama7B.parameterCount == 6_738_415_616)
        #expect(TransformerShape.llama65B.parameterCount == 65_285_660_672)
        #expect(TransformerShape.llama13B.parameterCount == 13_015_864_320)
    }

    /// GPT-3 175B: 174.6 billion from the shapes; LoRA on W_q and W_v at r = 4 is the paper's
    /// "18M (roughly 35MB if stored in FP16)" budget (Hu et al. 2021, §7.1) — 18,874,368
    /// values, 37,748,736 bytes = 36 MiB — and the same budget as W_q alone at r = 8.
    @Test func gpt3LoRABudgetMatchesThePaper() {
        let gpt3 = TransformerShape.gpt3
        #expect(gpt3.parameterCount == 174_604_259_328)
        let qv4 = gpt3.loraParameters(rank: 4, targets: .queryValue)
        #expect(qv4 == 18_874_368)
        #expect(2 * qv4 == 36 * 1_048_576)
        #expect(gpt3.layers * 8 * (gpt3.hidden + gpt3.hidden) == qv4)
    }

    /// LoRA counts follow r · (d_in + d_out) per matrix: on LLaMA-7B at r = 8, W_q and W_v
    /// give 32·2·8·8192 = 4,194,304; all seven matrices give 32·8·(8·4096 + 3·(4096 + 11008)).
    @Test func loraCountsFollowFromShapes() {
        let llama = TransformerShape.llama7B
        #expect(llama.loraParameters(rank: 8, targets: .queryValue) == 4_194_304)
        #expect(llama.loraParameters(rank: 8, targets: .attention) == 8_388_608)
        #expect(llama.loraParameters(rank: 8, targets: .allLinear) == 19_988_480)
        // Linear in r: r = 64 on every linear layer (QLoRA's Guanaco setting) is 8× r = 8.
        #expect(llama.loraParameters(rank: 64, targets: .allLinear) == 8 * 19_988_480)
        #expect(TransformerShape.llama65B.loraParameters(rank: 64, targets: .allLinear) == 799_539_200)
    }

    /// Full fine-tuning of LLaMA-65B with 16-bit weights and gradients and 32-bit Adam states
    /// needs 2 + 2 + 8 = 12 bytes per parameter (783 GB, before activations and fp32 master
    /// weights); LoRA on a 4-bit base needs half a byte per base weight plus 12 bytes per
    /// adapter parameter — 42 GB, under one 48 GB GPU (QLoRA's headline).
    @Test func memoryCategoriesAddUp() {
        let llama = TransformerShape.llama65B
        let full = llama.fullFineTuningMemory()
        #expect(full.total == 12 * llama.parameterCount)
        #expect(full.total > 780_000_000_000)
        let adapters = llama.loraParameters(rank: 64, targets: .allLinear)
        let lora = llama.loraMemory(rank: 64, targets: .allLinear, baseBytes: 0.5)
        #expect(lora.optimizerStates == 8 * adapters && lora.gradients == 2 * adapters)
        #expect(lora.weights == Int((Double(llama.parameterCount) * 0.5).rounded()) + 2 * adapters)
        #expect(lora.total < 48_000_000_000)
    }
}
