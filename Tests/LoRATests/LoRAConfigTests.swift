import Core
import LoRA
import NN
import Testing

/// The configuration and initialisation of a LoRA layer, as peft sets them up.
@Suite struct LoRAConfigTests {

    /// s = α/r, and α/√r with rsLoRA (peft's `scaling[adapter]`).
    @Test func scalingIsAlphaOverRankOrOverRootRank() {
        #expect(LoRAConfig(rank: 4, alpha: 8).scaling == 2)
        #expect(LoRAConfig(rank: 4, alpha: 8, useRSLoRA: true).scaling == 4)
        #expect(LoRAConfig(rank: 16, alpha: 16).scaling == 1)
        #expect(LoRAConfig(rank: 16, alpha: 16, useRSLoRA: true).scaling == 4)
    }

    /// A ~ U(−1/√in, 1/√in) (kaiming_uniform_ with a = √5), B = 0; the base is frozen and
    /// the adapter is trainable; the names extend the base layer's.
    @Test func initialisationFollowsPeft() {
        let inFeatures = 100
        let base = randomLinear(in: inFeatures, out: 30, name: "blocks.0.attn.query", seed: 44)
        var rng = SeededRNG(seed: 45)
        let layer = LoRALinear(base: base, config: LoRAConfig(rank: 8, alpha: 16), rng: &rng)
        let bound = Float(1 / Double(inFeatures).squareRoot())
        #expect(layer.loraA.shape == [8, inFeatures] && layer.loraB.shape == [30, 8])
        #expect(layer.loraA.value.allSatisfy { $0 >= -bound && $0 < bound })
        // A uniform on ±bound has variance bound²/3; 800 draws pin it to about ±10%.
        let variance = layer.loraA.value.reduce(0.0) { $0 + Double($1) * Double($1) } / 800
        let expected = Double(bound * bound) / 3
        #expect(abs(variance - expected) < 0.15 * expected, "variance \(variance), expected \(expected)")
        #expect(layer.loraA.name == "blocks.0.attn.query.lora_A.weight")
        #expect(layer.loraB.name == "blocks.0.attn.query.lora_B.weight")
        #expect(layer.parameters.map(\.isTrainable) == [false, false, true, true])
    }
}
