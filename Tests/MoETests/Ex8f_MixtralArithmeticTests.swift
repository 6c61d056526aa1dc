import MoE
import Testing

/// Exercise 8.6 — `MixtralArithmetic`: Mixtral 8x7B's parameters from its configuration.
@Suite struct Ex8_6_MixtralArithmeticTests {
    let mixtral = MixtralArithmetic.mixtral8x7B

    @Test func pieces() {
        // W_q and W_o are 4096 × 4096; W_k and W_v 1024 × 4096 (8 key-value heads of 128).
        #expect(mixtral.attentionPerLayer == 2 * 4096 * 4096 + 2 * 1024 * 4096)
        #expect(mixtral.parametersPerExpert == 176_160_768)  // 3 · 4096 · 14336
        #expect(mixtral.routerPerLayer == 32_768)
        #expect(mixtral.embeddingsAndHead == 2 * 32000 * 4096 + 4096)
    }

    /// "47B total, 13B active" (Mixtral paper, §1): exactly these counts.
    @Test func totalAndActiveParameters() {
        #expect(mixtral.totalParameters == 46_702_792_704)
        #expect(mixtral.activeParameters == 12_879_925_248)
        #expect(mixtral.expertParameters == 45_097_156_608, "96.6 % of the model is experts")
    }

    @Test func denseConfigurationIsAllActive() {
        var dense = mixtral
        dense.experts = 1
        dense.topK = 1
        #expect(dense.totalParameters == dense.activeParameters)
    }

    @Test func bytesPerWidth() {
        let total = mixtral.totalParameters
        #expect(MixtralArithmetic.bytes(total, bitsPerParameter: StorageWidth.fp16.bitsPerParameter) == 93_405_585_408)
        #expect(StorageWidth.nf4.bitsPerParameter == 4.5)
        #expect(abs(StorageWidth.nf4DoubleQuantized.bitsPerParameter - 4.127) < 0.001)
    }
}
