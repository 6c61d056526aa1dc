import Core
import MoE
import NN
import Testing

/// Bad input is a typed `MoEError`, never a crash; an empty batch is handled, not refused.
@Suite struct MoEBadInputTests {

    @Test(arguments: [0, -1, 9])
    func topKOutsideOneToEThrows(k: Int) {
        #expect(throws: MoEError.invalidTopK(k: k, experts: 8)) {
            try TopKRouter.route(logits: randomMatrix(3, 8, seed: 881), topK: k)
        }
        var rng = SeededRNG(seed: 882)
        #expect(throws: MoEError.invalidTopK(k: k, experts: 8)) {
            try SparseMoE(MoEConfiguration(hidden: 4, intermediate: 4, experts: 8, topK: k), rng: &rng)
        }
    }

    @Test func nanLogitIsReportedWithItsPlace() {
        var logits = randomMatrix(4, 8, seed: 883)
        logits[2, 5] = .nan
        do {
            _ = try TopKRouter.route(logits: logits, topK: 2)
            Issue.record("NaN logit accepted")
        } catch {
            guard case .nonFiniteLogit(let token, let expert, let value) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(token == 2 && expert == 5 && value.isNaN)
        }
    }

    @Test func plusInfinityAndAllMinusInfinityThrow() {
        #expect(throws: MoEError.nonFiniteLogit(token: 0, expert: 1, value: .infinity)) {
            try TopKRouter.route(logits: Tensor(rows: [[0, .infinity, 1]]), topK: 1)
        }
        #expect(throws: MoEError.noRoutableExpert(token: 1)) {
            try TopKRouter.route(logits: Tensor(rows: [[0, 1, 2], [-.infinity, -.infinity, -.infinity]]), topK: 1)
        }
    }

    /// A NaN in the hidden states reaches the router logits: the layer throws, it does not crash.
    @Test func nanHiddenStateThrowsFromTheLayer() throws {
        var rng = SeededRNG(seed: 884)
        let moe = try SparseMoE(MoEConfiguration(hidden: 4, intermediate: 4, experts: 4), rng: &rng)
        var x = randomMatrix(3, 4, seed: 885)
        x[1, 2] = .nan
        #expect(throws: MoEError.self) { try moe.forward(x) }
    }

    @Test func emptyBatchRoutesToNothing() throws {
        let routing = try TopKRouter.route(logits: Tensor(shape: [0, 8]), topK: 2)
        #expect(routing.tokens == 0 && routing.tokensPerExpert == [Int](repeating: 0, count: 8))
        #expect(RouterZLoss.value(routing) == 0)
        var rng = SeededRNG(seed: 886)
        let moe = try SparseMoE(MoEConfiguration(hidden: 4, intermediate: 4, experts: 4), rng: &rng)
        let y = try moe.forward(Tensor(shape: [0, 4]))
        #expect(y.shape == [0, 4])
        let stats = try #require(moe.lastStatistics)
        #expect(stats.loadBalancing.value == 0 && stats.zLoss == 0 && stats.weightedAuxiliaryLoss == 0)
        #expect(moe.backward(Tensor(shape: [0, 4])).shape == [0, 4])
        #expect(moe.router.weight.grad.allSatisfy { $0 == 0 })
    }

    @Test func mismatchedShapesThrow() throws {
        #expect(throws: MoEError.self) { try TopKRouter.route(logits: Tensor(shape: [8], repeating: 0), topK: 2) }
        #expect(throws: MoEError.self) { try TopKRouter.route(logits: Tensor(shape: [2, 2, 8], repeating: 0), topK: 2) }
        var rng = SeededRNG(seed: 887)
        let moe = try SparseMoE(MoEConfiguration(hidden: 4, intermediate: 4, experts: 4), rng: &rng)
        #expect(throws: MoEError.self) { try moe.forward(randomMatrix(3, 5, seed: 888)) }
        #expect(throws: MoEError.maskLengthMismatch(mask: 2, tokens: 3)) {
            try LoadBalancingLoss.value(logits: randomMatrix(3, 4, seed: 889), topK: 2, tokenMask: [true, false])
        }
        #expect(throws: MoEError.self) {
            try SwiGLUExpert(w1: Tensor(shape: [3, 2]), w3: Tensor(shape: [3, 2]), w2: Tensor(shape: [3, 2]), name: "e")
        }
    }

    @Test func badConfigurationsThrow() {
        var rng = SeededRNG(seed: 890)
        #expect(throws: MoEError.self) { try SparseMoE(MoEConfiguration(hidden: 0, intermediate: 4), rng: &rng) }
        #expect(throws: MoEError.self) {
            try SparseMoE(MoEConfiguration(hidden: 4, intermediate: 4, experts: 0, topK: 0), rng: &rng)
        }
        #expect(throws: MoEError.invalidCapacityFactor(0)) {
            try SparseMoE(MoEConfiguration(hidden: 4, intermediate: 4, capacityFactor: 0), rng: &rng)
        }
        #expect(throws: MoEError.self) {
            try SparseMoE(MoEConfiguration(hidden: 4, intermediate: 4, auxLossCoefficient: .nan), rng: &rng)
        }
    }
}
