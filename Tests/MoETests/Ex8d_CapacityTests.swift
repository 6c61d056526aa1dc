import Core
import MoE
import NN
import Testing

/// Exercise 8d — `ExpertDispatch.plan(_:capacityFactor:)`: groups, capacity, dropping.
@Suite struct Ex8d_CapacityTests {

    /// Routing with chosen experts given directly (probabilities and weights are not used here).
    func routing(_ choices: [[Int]], experts: Int) -> Routing {
        let t = choices.count, k = choices.first?.count ?? 1
        return Routing(
            tokens: t, experts: experts, topK: k, logits: [Float](repeating: 0, count: t * experts),
            probabilities: [Float](repeating: 1 / Float(experts), count: t * experts),
            selectedExperts: choices.flatMap { $0 },
            weights: [Float](repeating: 1 / Float(k), count: t * k))
    }

    @Test func capacityIsTheCeilingOfFactorTimesAnEvenShare() {
        #expect(ExpertDispatch.capacity(tokens: 10, experts: 4, topK: 2, factor: 1) == 5)
        #expect(ExpertDispatch.capacity(tokens: 10, experts: 4, topK: 2, factor: 1.25) == 7)  // ⌈6.25⌉
        #expect(ExpertDispatch.capacity(tokens: 3, experts: 8, topK: 1, factor: 1) == 1)  // ⌈0.375⌉
    }

    @Test func withoutCapacityEveryAssignmentIsKeptInTokenOrder() throws {
        let r = routing([[0, 1], [1, 0], [0, 2], [0, 1]], experts: 3)
        let plan = try ExpertDispatch.plan(r)
        #expect(plan.dropped.isEmpty && plan.capacity == nil)
        #expect(plan.tokensPerExpert == r.tokensPerExpert)
        #expect(plan.groups[0].map(\.token) == [0, 1, 2, 3])
        #expect(plan.groups[0].map(\.slot) == [0, 1, 0, 0])
    }

    /// Capacity 2 per expert (⌈0.75 · 4 · 2 / 3⌉). First choices go first: tokens 0 and 2 fill
    /// expert 0, token 1 takes a place on expert 1, and token 3's first choice (expert 0) is
    /// dropped. Then the second choices: token 0 fills expert 1, so token 1's second choice
    /// (expert 0, full) and token 3's (expert 1, now full) are dropped too — token 3 gets no
    /// expert at all, although it arrived before nobody else wanted expert 2.
    @Test func firstChoicesHavePriority() throws {
        let r = routing([[0, 1], [1, 0], [0, 2], [0, 1]], experts: 3)
        let plan = try ExpertDispatch.plan(r, capacityFactor: 0.75)
        #expect(plan.capacity == 2)
        #expect(plan.groups[0] == [.init(token: 0, slot: 0), .init(token: 2, slot: 0)])
        #expect(plan.groups[1] == [.init(token: 0, slot: 1), .init(token: 1, slot: 0)])
        #expect(plan.groups[2] == [.init(token: 2, slot: 1)])
        #expect(plan.dropped == [.init(token: 3, slot: 0), .init(token: 1, slot: 1), .init(token: 3, slot: 1)])
        #expect(plan.fullyDroppedTokens == [3])
    }

    @Test func aTokenWithEverySlotDroppedComesOutAsZeros() throws {
        var rng = SeededRNG(seed: 841)
        let configuration = MoEConfiguration(hidden: 4, intermediate: 6, experts: 4, topK: 1, capacityFactor: 0.25)
        let moe = try SparseMoE(configuration, rng: &rng)
        // Identical tokens choose the same expert; capacity ⌈0.25 · 4 / 4⌉ = 1 keeps only the first.
        let x = Tensor(rows: [[Float]](repeating: [0.3, -1, 2, 0.5], count: 4))
        let y = try moe.forward(x)
        let stats = try #require(moe.lastStatistics)
        #expect(stats.dispatch.fullyDroppedTokens == [1, 2, 3])
        #expect(y.row(0).contains { $0 != 0 })
        for t in 1..<4 { #expect(y.row(t).allSatisfy { $0 == 0 }, "token \(t) was dropped") }
    }

    /// A factor of E/K can hold every token on one expert: nothing is ever dropped.
    @Test func factorEOverKNeverDrops() throws {
        let r = try TopKRouter.route(logits: randomMatrix(40, 8, seed: 842, std: 3), topK: 2)
        #expect(try ExpertDispatch.plan(r, capacityFactor: 4).dropped.isEmpty)
        #expect(!(try ExpertDispatch.plan(r, capacityFactor: 1).dropped.isEmpty), "random routing is not perfectly even")
    }

    @Test(arguments: [0.0, -1.0, Double.nan, Double.infinity])
    func invalidFactorsThrow(factor: Double) throws {
        let r = routing([[0], [1]], experts: 2)
        #expect(throws: MoEError.self) { try ExpertDispatch.plan(r, capacityFactor: factor) }
    }
}
