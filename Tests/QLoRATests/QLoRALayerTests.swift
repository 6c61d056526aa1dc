import Core
import LoRA
import NF4
import NN
import QLoRA
import TestSupport
import NNTestSupport
import Testing

/// The QLoRA layer as a whole: the adapter is LoRA's, B = 0 leaves the dequantized base's
/// function unchanged, and injection builds the layers QLoRA builds.
@Suite struct QLoRALayerTests {

    /// `LoRAAdapter` beside a float `Linear` is `LoRALinear`, bit for bit: the same A drawn from
    /// the same generator, the same forward, input gradient, dA and dB (so QLoRA reuses LoRA's
    /// arithmetic, not a look-alike).
    @Test func adapterOnAFloatBaseIsLoRALinear() {
        let config = LoRAConfig(rank: 3, alpha: 6)
        var rng1 = SeededRNG(seed: 111), rng2 = SeededRNG(seed: 111)
        let base1 = randomLinear(in: 9, out: 7, seed: 112), base2 = randomLinear(in: 9, out: 7, seed: 112)
        let lora = LoRALinear(base: base1, config: config, rng: &rng1)
        let adapter = LoRAAdapter(inFeatures: 9, outFeatures: 7, name: "proj", config: config, rng: &rng2)
        #expect(firstMismatch(lora.loraA.value, adapter.loraA.value) == nil && rng1.next() == rng2.next())
        // Give B a value (B = 0 would hide every bug in the B path).
        var rng = SeededRNG(seed: 113)
        let b = rng.normalFloats(7 * 3, std: 0.5)
        lora.loraB.value = b
        adapter.loraB.value = b
        let x = randomTensor([4, 9], seed: 114), dy = randomTensor([4, 7], seed: 115)
        var y = base2.forward(x)
        let update = adapter.forward(x)
        for i in y.data.indices { y.data[i] += update.data[i] }
        #expect(firstMismatch(lora.forward(x).data.map(\.bitPattern), y.data.map(\.bitPattern)) == nil)
        var dx = base2.backward(dy)
        let dxAdapter = adapter.backward(dy)
        for i in dx.data.indices { dx.data[i] += dxAdapter.data[i] }
        #expect(firstMismatch(lora.backward(dy).data.map(\.bitPattern), dx.data.map(\.bitPattern)) == nil)
        #expect(firstMismatch(lora.loraA.grad, adapter.loraA.grad) == nil, "dA")
        #expect(firstMismatch(lora.loraB.grad, adapter.loraB.grad) == nil, "dB")
        #expect(firstMismatch(lora.deltaWeight, adapter.deltaWeight) == nil, "ΔW")
    }

    /// The weight is stored as QLoRA stores it: NF4 codes (4 bits) plus double-quantized
    /// constants, 8/64 + 32/(64·256) bits more per weight — not as a `Parameter` an optimizer
    /// could see. (64 × 64: 2048 bytes of codes, 64 constant codes, one float c₁, one offset.)
    @Test func storageIsFourBitsPlusDoubleQuantizedConstants() throws {
        let layer = try NF4Linear(quantizing: randomLinear(in: 64, out: 64, seed: 74))
        #expect(layer.weight.type == .nf4 && layer.weight.blockSize == 64)
        #expect(layer.weight.storageBytes == 2048 + 64 + 4 + 4)
        #expect(layer.storageBytes == layer.weight.storageBytes + 4 * 64)
        #expect(layer.parameters.map(\.name) == ["proj.bias"] && layer.parameters.allSatisfy { !$0.isTrainable })
        let plain = try NF4Linear(quantizing: randomLinear(in: 64, out: 64, seed: 74), doubleQuantization: false)
        #expect(plain.weight.bitsPerParameter == 4.5)
    }

    /// Right after initialisation (B = 0) only B has a gradient, exactly as for LoRALinear.
    @Test func atInitialisationOnlyBLearns() throws {
        var rng = SeededRNG(seed: 95)
        let layer = try QLoRALinear(quantizing: randomLinear(in: 8, out: 6, seed: 96), config: LoRAConfig(rank: 2, alpha: 4),
                                    rng: &rng)
        _ = layer.forward(randomTensor([3, 8], seed: 97))
        _ = layer.backward(randomTensor([3, 6], seed: 98))
        #expect(layer.adapter.loraA.grad.allSatisfy { $0 == 0 })
        #expect(layer.adapter.loraB.grad.contains { $0 != 0 })
    }

    /// With B = 0 (the initialisation) a QLoRA layer computes exactly the dequantized base.
    @Test func withBZeroTheLayerIsTheDequantizedBase() throws {
        var rng = SeededRNG(seed: 116)
        let layer = try QLoRALinear(quantizing: randomLinear(in: 64, out: 20, seed: 117),
                                    config: LoRAConfig(rank: 4, alpha: 16), rng: &rng)
        let x = randomTensor([6, 64], seed: 118)
        let mismatch = firstMismatch(layer.base.dequantizedLinear().forward(x).data.map(\.bitPattern),
                                     layer.forward(x).data.map(\.bitPattern))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// The same for a whole network — causal self-attention and an MLP, every linear layer
    /// 4-bit with an adapter: its output equals, bit for bit, the network whose linear layers
    /// hold the dequantized weights. (The property Chapter 7 prints for TinyGPT.)
    @Test func withBZeroTheNetworkIsTheDequantizedBaseNetwork() throws {
        func network() -> Stack {
            var rng = SeededRNG(seed: 119)
            return Stack([CausalSelfAttention(channels: 16, heads: 2, name: "slot0", rng: &rng),
                          Linear(inFeatures: 16, outFeatures: 48, name: "slot1", rng: &rng), GELU(),
                          Linear(inFeatures: 48, outFeatures: 16, name: "slot3", rng: &rng)])
        }
        let qlora = network()
        var rng = SeededRNG(seed: 120)
        let config = QLoRAConfig(lora: LoRAConfig(rank: 4, alpha: 8, targetModules: ["query", "value", "slot1", "slot3"]))
        try qlora.replaceLayers { name, layer in try QLoRAInjection.adapt(layer, named: name, config: config, rng: &rng) }
        #expect(QLoRAInjection.adapters(in: qlora.linearSlots).count == 4)
        #expect(QLoRAInjection.quantizedBases(in: qlora.linearSlots).count == 6)
        let dequantized = network()
        try dequantized.replaceLayers { name, layer in
            QLoRAInjection.dequantizedBase(try QLoRAInjection.adapt(layer, named: name, config: config, rng: &rng))
        }
        let x = randomTensor([10, 16], seed: 121)
        let mismatch = firstMismatch(dequantized.forward(x).data.map(\.bitPattern), qlora.forward(x).data.map(\.bitPattern))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// Injection: targets become QLoRA layers, other linear layers frozen NF4 layers, the layers
    /// named in `keepInFloat` stay float Linear; afterwards only A and B are trainable.
    @Test func injectionBuildsTheLayersQLoRABuilds() throws {
        var rng = SeededRNG(seed: 122)
        let stack = Stack([randomLinear(in: 8, out: 8, name: "slot0", seed: 123), GELU(),
                           randomLinear(in: 8, out: 8, name: "slot2", seed: 124),
                           randomLinear(in: 8, out: 4, name: "head", seed: 125)])
        let config = QLoRAConfig(lora: LoRAConfig(rank: 2, alpha: 4, targetModules: ["slot0", "slot3"]), keepInFloat: ["slot3"])
        try stack.replaceLayers { name, layer in try QLoRAInjection.adapt(layer, named: name, config: config, rng: &rng) }
        LoRAInjection.freezeAllButAdapters(stack.parameters)
        #expect(stack.layers[0] is QLoRALinear && stack.layers[2] is NF4Linear && stack.layers[3] is Linear)
        #expect(stack.parameters.filter(\.isTrainable).map(\.name) == ["slot0.lora_A.weight", "slot0.lora_B.weight"])
    }
}
