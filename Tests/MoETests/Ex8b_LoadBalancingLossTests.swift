import Core
import Foundation
import MoE
import NN
import TestSupport
import Testing

/// Exercise 8b — `LoadBalancingLoss.compute`: transformers' `load_balancing_loss_func` — its
/// properties, transformers' own values, and the documented order bit for bit.
@Suite struct Ex8b_LoadBalancingLossTests {

    /// Uniform probabilities: L_aux = E · Σ f_e / E = Σ f_e = K, whichever experts top-K picked.
    @Test(arguments: [(8, 1), (8, 2), (8, 8), (4, 3), (16, 2)])
    func uniformRouterGivesK(experts: Int, k: Int) throws {
        let routing = try TopKRouter.route(logits: Tensor(shape: [12, experts], repeating: 0.7), topK: k)
        let terms = try LoadBalancingLoss.compute(routing)
        #expect(abs(terms.value - Double(k)) <= 1e-6, "E \(experts) K \(k): \(terms.value)")
        #expect(abs(terms.fractionPerExpert.reduce(0, +) - Double(k)) <= 1e-12, "Σ f_e must be K")
        #expect(abs(terms.meanProbability.reduce(0, +) - 1) <= 1e-6, "Σ P_e must be 1")
    }

    /// Every token on the same two experts, with all its probability there: L_aux = E.
    @Test func collapsedRouterGivesE() throws {
        let row: [Float] = [0, 0] + [Float](repeating: -.infinity, count: 6)
        let routing = try TopKRouter.route(logits: Tensor(rows: [[Float]](repeating: row, count: 10)), topK: 2)
        #expect(try LoadBalancingLoss.compute(routing).value == 8)
    }

    /// Two tokens, three experts, K = 1, by hand: p = [[.7,.2,.1],[.6,.3,.1]] (from logits log p).
    /// Both choose expert 0: f = [1, 0, 0]; P = [.65, .25, .1]; L = 3 · 0.65 = 1.95.
    @Test func handCheckedValue() throws {
        let logits = Tensor(rows: [[0.7, 0.2, 0.1], [0.6, 0.3, 0.1]].map { $0.map { Float(log($0)) } })
        let terms = try LoadBalancingLoss.compute(try TopKRouter.route(logits: logits, topK: 1))
        #expect(terms.fractionPerExpert == [1, 0, 0])
        #expect(abs(terms.value - 1.95) <= 1e-6, "\(terms.value)")
    }

    /// ∂L_aux/∂p_t,e = E · f_e / T: with the counts held fixed L_aux is linear in p, so a central
    /// difference on each probability (the routing given directly) recovers the gradient to
    /// rounding. (Through the softmax: SparseMoELayerTests.)
    @Test func probabilityGradientMatchesFiniteDifferences() throws {
        let base = try TopKRouter.route(logits: randomMatrix(6, 4, seed: 821, std: 1.5), topK: 2)
        let dp = try LoadBalancingLoss.probabilityGradient(base)
        let f = try LoadBalancingLoss.compute(base).fractionPerExpert
        #expect(dp.count == 24 && f.count == 4)
        guard dp.count == 24, f.count == 4 else { return }
        #expect(dp[0 * 4 + 2] == Float(4 * f[2] / 6))
        func value(_ p: [Float]) throws -> Double {
            let r = Routing(
                tokens: 6, experts: 4, topK: 2, logits: base.logits, probabilities: p,
                selectedExperts: base.selectedExperts, weights: base.weights)
            return try LoadBalancingLoss.compute(r).value
        }
        var log = MismatchLog("∂L_aux/∂p against central differences")
        for i in 0..<24 {
            var plus = base.probabilities, minus = base.probabilities
            plus[i] += 1e-3
            minus[i] -= 1e-3
            let numeric = (try value(plus) - value(minus)) / Double(plus[i] - minus[i])
            if !(abs(numeric - Double(dp[i])) <= 1e-4 * max(1, abs(numeric))) {
                log.add("p[\(i / 4)][\(i % 4)]: numeric \(numeric), analytic \(dp[i])")
            }
        }
        log.expectEmpty()
    }

    /// With a mask, padded tokens count for nothing: the loss equals the unmasked loss of the
    /// real tokens alone, and their logits do not matter.
    @Test func maskedTokensAreIgnored() throws {
        let logits = randomMatrix(5, 8, seed: 822)
        let mask = [true, false, true, true, false]
        let masked = try LoadBalancingLoss.value(logits: logits, topK: 2, tokenMask: mask)
        let realRows = Tensor(rows: [0, 2, 3].map { logits.row($0) })
        #expect(abs(masked - (try LoadBalancingLoss.value(logits: realRows, topK: 2))) <= 1e-9)
        var changed = logits
        for e in 0..<8 { changed[1, e] = Float(e) * 3 }
        #expect(masked == (try LoadBalancingLoss.value(logits: changed, topK: 2, tokenMask: mask)))
        let routing = try TopKRouter.route(logits: logits, topK: 2)
        let dp = try LoadBalancingLoss.probabilityGradient(routing, tokenMask: mask)
        #expect(dp[(1 * 8)..<(2 * 8)].allSatisfy { $0 == 0 }, "a padded token gets no gradient")
    }

    /// `load_balancing_loss_func((router_logits,), 8, 2)` of transformers 5.24.0, with and without
    /// its attention mask (Fixtures/mixtral_moe_block): transformers' value is float32, so
    /// relative 1e-6 is ~8 ulps (observed: 1.8e-8 relative).
    @Test(arguments: [false, true])
    func matchesTransformers(masked: Bool) throws {
        let dir = "mixtral_moe_block/"
        let data = try Data(contentsOf: URL(fileURLWithPath: fixturePath(dir + "aux_loss.json")))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let expected = try #require(json?[masked ? "aux_loss_masked" : "aux_loss"] as? Double)
        let mask = masked ? try loadIndices(dir + "attention_mask.npy").map { $0 == 1 } : nil
        let routing = try TopKRouter.route(logits: try loadTensor(dir + "router_logits.npy"), topK: 2)
        let value = try LoadBalancingLoss.compute(routing, tokenMask: mask).value
        #expect(abs(value - expected) <= 1e-6 * expected, "L_aux \(value), transformers \(expected)")
    }

    /// The documented order, written out: f_e = count_e / M, P_e = (Σ_t p_t,e) / M in token
    /// order, L = E · Σ_e f_e · P_e in expert order — all in Double, over the real tokens.
    static func reference(_ routing: Routing, mask: [Bool]?)
        -> (fractionPerExpert: [Double], meanProbability: [Double], value: Double)
    {
        let (t, e, k) = (routing.tokens, routing.experts, routing.topK)
        let real = (0..<t).filter { mask?[$0] ?? true }
        var counts = [Int](repeating: 0, count: e), sums = [Double](repeating: 0, count: e)
        for token in real {
            for slot in 0..<k { counts[routing.selectedExperts[token * k + slot]] += 1 }
            for expert in 0..<e { sums[expert] += Double(routing.probabilities[token * e + expert]) }
        }
        guard !real.isEmpty else {
            return (sums, sums, 0)
        }
        let m = Double(real.count)
        let f = counts.map { Double($0) / m }, p = sums.map { $0 / m }
        var sum = 0.0
        for expert in 0..<e { sum += f[expert] * p[expert] }
        return (f, p, Double(e) * sum)
    }

    /// Every fifth token padding, or none.
    static func mask(_ masked: Bool) -> [Bool]? { masked ? (0..<96).map { $0 % 5 != 3 } : nil }

    /// f, P and L_aux to rounding (relative 1e-12): any order of the sums passes.
    @Test(arguments: [false, true])
    func termsWithinRoundingOfReference(masked: Bool) throws {
        let mask = Self.mask(masked)
        let routing = try TopKRouter.route(logits: randomMatrix(96, 8, seed: 824, std: 1.5), topK: 2)
        let got = try LoadBalancingLoss.compute(routing, tokenMask: mask)
        let want = Self.reference(routing, mask: mask)
        let close = { (a: Double, b: Double) in abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1e-300) }
        var log = MismatchLog("L_aux terms to rounding")
        if got.fractionPerExpert.count != 8 || got.meanProbability.count != 8 {
            log.add("f and P must have one entry per expert (8)")
        } else {
            for e in 0..<8 where !close(want.fractionPerExpert[e], got.fractionPerExpert[e]) {
                log.add("f[\(e)]: expected \(want.fractionPerExpert[e]), got \(got.fractionPerExpert[e])")
            }
            for e in 0..<8 where !close(want.meanProbability[e], got.meanProbability[e]) {
                log.add("P[\(e)]: expected \(want.meanProbability[e]), got \(got.meanProbability[e])")
            }
        }
        if !close(want.value, got.value) { log.add("L_aux: expected \(want.value), got \(got.value)") }
        log.expectEmpty()
    }

    /// Bit for bit the documented order: the gradient E · f_e / M that trains Chapter 8's routers
    /// is built from f, so the chapter's training reproduces only with it.
    @Test(arguments: [false, true])
    func termsAreBitExactWithTheDocumentedOrder(masked: Bool) throws {
        let mask = Self.mask(masked)
        let routing = try TopKRouter.route(logits: randomMatrix(96, 8, seed: 824, std: 1.5), topK: 2)
        let got = try LoadBalancingLoss.compute(routing, tokenMask: mask)
        let want = Self.reference(routing, mask: mask)
        let same = got.fractionPerExpert == want.fractionPerExpert && got.meanProbability == want.meanProbability
            && got.value.bitPattern == want.value.bitPattern
        #expect(
            same,
            """
            f \(firstMismatch(want.fractionPerExpert, got.fractionPerExpert) ?? "equal"); \
            P \(firstMismatch(want.meanProbability, got.meanProbability) ?? "equal"); \
            L_aux expected \(want.value), got \(got.value). Bit-exact with the chapter needs the order the doc \
            comment prescribes: f_e = count_e / M, P_e = (Σ_t p_t,e in token order) / M, \
            L = E · Σ_e f_e · P_e summed in expert order, all in Double
            """)
    }

    /// An empty batch, or a batch of padding only, has loss 0 (transformers: NaN from 0/0).
    @Test func emptyBatchHasZeroLoss() throws {
        #expect(try LoadBalancingLoss.value(logits: Tensor(shape: [0, 8]), topK: 2) == 0)
        let padding = [false, false, false]
        #expect(try LoadBalancingLoss.value(logits: randomMatrix(3, 8, seed: 823), topK: 2, tokenMask: padding) == 0)
    }
}
