import MoE
import Testing

/// Exercise 8f — `MixtralArithmetic`: Mixtral 8x7B's parameters from its configuration, and a
/// small configuration counted by hand.
@Suite struct Ex8f_MixtralArithmeticTests {
    let mixtral = MixtralArithmetic.mixtral8x7B

    @Test func pieces() {
        // W_q and W_o are 4096 × 4096; W_k and W_v 1024 × 4096 (8 key-value heads of 128).
        #expect(mixtral.attentionPerLayer == 2 * 4096 * 4096 + 2 * 1024 * 4096)
        #expect(mixtral.parametersPerExpert == 176_160_768)  // 3 · 4096 · 14336
        #expect(mixtral.routerPerLayer == 32_768)
        #expect(mixtral.embeddingsAndHead == 2 * 32000 * 4096 + 4096)
    }

    /// 47B total and 13B active (the Mixtral paper's abstract, rounded): exactly these counts.
    @Test func totalAndActiveParameters() {
        #expect(mixtral.totalParameters == 46_702_792_704)
        #expect(mixtral.activeParameters == 12_879_925_248)
        #expect(mixtral.expertParameters == 45_097_156_608, "96.6 % of the model is experts")
    }

    /// H = 10, I = 6, L = 3, E = 4, K = 2, 3 query heads and 1 key-value head of 4, V = 7 —
    /// query width 12 ≠ H, so W_q and W_o are 10 × 12, W_k and W_v 4 × 10:
    /// attention 2·10·12 + 2·10·4 = 320; expert 3·10·6 = 180; router 40; norms 20;
    /// embeddings and head 2·7·10 + 10 = 150.
    /// total  3 · (320 + 4·180 + 40 + 20) + 150 = 3,450;  active 3 · (320 + 2·180 + 40 + 20) + 150 = 2,370.
    @Test func smallConfigurationByHand() {
        let small = MixtralArithmetic(
            hidden: 10, intermediate: 6, layers: 3, experts: 4, topK: 2, queryHeads: 3, keyValueHeads: 1,
            headDimension: 4, vocabulary: 7)
        #expect(small.attentionPerLayer == 320)
        #expect(small.parametersPerExpert == 180)
        #expect(small.embeddingsAndHead == 150)
        #expect(small.totalParameters == 3450)
        #expect(small.activeParameters == 2370)
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

extension Ex8f_MixtralArithmeticTests {
    /// Mistral 7B has Mixtral's configuration with one FFN per layer and no router. Its
    /// checkpoint (mistralai/Mistral-7B-Instruct-v0.2, model.safetensors.index.json) stores
    /// "total_size": 14483464192 bytes of bf16 weights = 7,241,732,096 parameters.
    @Test func denseModelIsMistral7B() {
        #expect(mixtral.denseParameters == 14_483_464_192 / 2)
    }

    /// "8x7B" is 46.7B, not 8 × 7.24B: shared parts once, the FFN eight times, the router once
    /// per layer; a token uses the shared parts, two FFNs and the router.
    @Test func onlyTheFeedForwardNetworkIsReplicated() {
        let ffn = mixtral.layers * mixtral.parametersPerExpert  // one FFN stack: 5,637,144,576
        let routers = mixtral.layers * mixtral.routerPerLayer  // 1,048,576
        #expect(mixtral.sharedParameters == 1_604_587_520)  // 32 · (41,943,040 + 8,192) + 262,148,096
        #expect(mixtral.totalParameters == mixtral.sharedParameters + 8 * ffn + routers)
        #expect(mixtral.activeParameters == mixtral.sharedParameters + 2 * ffn + routers)
        #expect(8 * mixtral.denseParameters - mixtral.totalParameters == 7 * mixtral.sharedParameters - routers)
    }
}
