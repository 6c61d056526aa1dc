import Core
import LoRA
import NF4
import NN
import Optimizers
import QLoRA
import TestSupport
import Testing

/// Exercise 7c — `QLoRAMemory.qlora`: where the memory of QLoRA fine-tuning goes, computed from
/// a model's shape — every one of the five parts, for LLaMA-65B and for a small shape counted by
/// hand (the numbers below are written out, not computed with the library).
@Suite struct Ex7c_MemoryTests {
    static let gigabyte = 1e9

    /// QLoRA on LLaMA-65B (r = 64 on every linear layer, NF4 + double quantization, 8-bit paged
    /// AdamW, 512 tokens with gradient checkpointing) fits in 48 GB; so it does with 32-bit
    /// states.
    @Test func qloraOn65BFitsIn48GB() {
        let shape = TransformerShape.llama65B
        let q = QLoRAMemory.qlora(shape, heads: 64)
        // Base: 64,760,053,760 linear weights at 4.126953125 bits, 525,606,912 others at 2 bytes.
        let linear = 64_760_053_760.0, others = Double(shape.parameterCount) - linear
        #expect(Double(QLoRAMemory.linearWeights(shape)) == linear)
        #expect(abs(q.baseWeights - (linear * 4.126953125 / 8 + 2 * others)) < 1)
        // Adapters: r · (d_in + d_out) over 7 matrices × 80 layers = 799,539,200 values in bf16.
        #expect(q.adapters == 2 * 799_539_200 && q.gradients == q.adapters)
        // 8-bit states: 2 bytes per value plus two float32 absmax per block of 256.
        #expect(abs(q.optimizerStates / 799_539_200 - (2 + 8.0 / 256)) < 1e-6)
        #expect(q.total < 48 * Self.gigabyte, "QLoRA 65B total \(q.total / Self.gigabyte) GB")
        #expect(q.baseWeights > 33 * Self.gigabyte && q.baseWeights < 35 * Self.gigabyte)
        let thirtyTwoBit = QLoRAMemory.qlora(shape, heads: 64, eightBitStates: false)
        #expect(thirtyTwoBit.optimizerStates == 8 * 799_539_200)
        #expect(thirtyTwoBit.total < 48 * Self.gigabyte)
    }

    /// Every part for LLaMA-65B to the byte: base 34,458,927,104 (64,760,053,760 linear weights
    /// at 4.126953125 bits + 525,606,912 others at 2 bytes); 799,539,200 adapter values at 2
    /// bytes, their gradients the same; 8-bit states 1,624,064,000 (2 bytes per value + 8 per
    /// block of 256); activations 861,929,472 = 2 · (80·512·8192 + 512·(8·8192 + 4·22016) + 64·512²).
    /// Total 40,143,077,376 bytes (44,915,326,976 with 32-bit states) — the 40.14 and 44.92 GB of
    /// Chapter 7's table.
    @Test func everyPartOf65BToTheByte() {
        let q = QLoRAMemory.qlora(.llama65B, heads: 64)
        expectParts(q, [34_458_927_104, 1_599_078_400, 1_599_078_400, 1_624_064_000, 861_929_472], "LLaMA-65B")
        #expect(q.activations > 0, "activations are part of the memory: one sequence of 512 tokens")
        #expect(abs(q.total - 40_143_077_376) <= 1, "total \(q.total)")
        let thirtyTwoBit = QLoRAMemory.qlora(.llama65B, heads: 64, eightBitStates: false)
        #expect(abs(thirtyTwoBit.total - 44_915_326_976) <= 1, "total with 32-bit states \(thirtyTwoBit.total)")
    }

    /// A shape small enough to count by hand: d = 64, L = 2, I = 96, V = 50 (gated MLP), r = 48,
    /// 7 tokens, 4 heads. Linear weights 2 · (4·64² + 3·64·96) = 69,632 → 35,921 bytes at
    /// 4.126953125 bits; the other 6,720 parameters (2·50·64 embeddings and head, 2·2·64 norms,
    /// 64 final norm) at 2 bytes → base 49,361. Adapters on every linear layer:
    /// 2 · (4 · 48·128 + 3 · 48·160) = 95,232 values → 190,464 bytes (gradients the same).
    /// States per tensor: A of q/k/v/o and gate/up and B of q/k/v/o and down have 3,072 values,
    /// under Adam8bitRule's 4,096, so float32 (8 bytes each); B of gate/up and A of down have
    /// 4,608 → 2·4,608 + 8·18 = 9,360 bytes. Per layer 8 · 24,576 + 3 · (24,576 + 9,360) = 298,416;
    /// two layers 596,832. Activations 2 · (2·7·64 + 7·(8·64 + 4·96) + 4·7²) = 14,728.
    @Test func everyPartOfASmallShapeByHand() {
        let shape = TransformerShape(name: "toy", hidden: 64, layers: 2, intermediate: 96, vocabulary: 50, gatedMLP: true)
        let q = QLoRAMemory.qlora(shape, rank: 48, targets: .allLinear, tokens: 7, heads: 4)
        expectParts(q, [49_361, 190_464, 190_464, 596_832, 14_728], "toy, all linear, 8-bit states")
        // 32-bit states: 8 bytes for each of the 95,232 values.
        let fp32 = QLoRAMemory.qlora(shape, rank: 48, targets: .allLinear, tokens: 7, heads: 4, eightBitStates: false)
        expectParts(fp32, [49_361, 190_464, 190_464, 761_856, 14_728], "toy, all linear, 32-bit states")
        // W_q and W_v only: 2 layers · 2 · 48·128 = 24,576 values; every tensor 3,072 → float32.
        let qv = QLoRAMemory.qlora(shape, rank: 48, targets: .queryValue, tokens: 7, heads: 4)
        expectParts(qv, [49_361, 49_152, 49_152, 196_608, 14_728], "toy, W_q and W_v")
        // Attention only, r = 8, 20 tokens, 2 heads: 2 · 4 · 8·128 = 8,192 values, all float32;
        // activations 2 · (2·20·64 + 20·(512 + 384) + 2·400) = 42,560.
        let attention = QLoRAMemory.qlora(shape, rank: 8, targets: .attention, tokens: 20, heads: 2)
        expectParts(attention, [49_361, 16_384, 16_384, 65_536, 42_560], "toy, attention, r = 8")
    }

    /// The parts against their names, each to within a byte (Double sums of exact integers).
    func expectParts(_ b: QLoRAMemory.Breakdown, _ expected: [Double], _ context: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        var log = MismatchLog(context)
        for (part, want) in zip(b.parts, expected) where !(abs(part.bytes - want) <= 1) {
            log.add("\(part.name): expected \(Int(want)) bytes, got \(part.bytes)")
        }
        log.expectEmpty(sourceLocation: sourceLocation)
    }
}
