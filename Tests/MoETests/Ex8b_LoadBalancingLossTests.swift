import Core
import Foundation
import MoE
import NN
import Testing

/// Exercise 8.2 — `LoadBalancingLoss.compute`: transformers' `load_balancing_loss_func`.
@Suite struct Ex8_2_LoadBalancingLossTests {

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

    /// ∂L_aux/∂p_t,e = E · f_e / T, and through the softmax it matches finite differences (the
    /// counts held fixed: the test checks the routing does not change within the step).
    @Test func gradientMatchesFiniteDifferences() throws {
        let logits = Parameter(name: "logits", shape: [6, 4], value: randomMatrix(6, 4, seed: 821, std: 1.5).data)
        let route = { try TopKRouter.route(logits: Tensor(shape: [6, 4], data: logits.value), topK: 2) }
        let routing = try route()
        // A step of 1e-3 on the logits moves a log-probability ratio by at most 2e-3.
        #expect(routingMargin(routing) > 0.01, "the test needs a margin; pick another seed")
        let dp = try LoadBalancingLoss.probabilityGradient(routing)
        let f = try LoadBalancingLoss.compute(routing).fractionPerExpert
        #expect(dp[0 * 4 + 2] == Float(4 * f[2] / 6))
        logits.grad = TopKRouter.backward(routing, weightGradient: [Float](repeating: 0, count: 12), probabilityGradient: dp)
        let result = GradientCheck.check(logits, step: 1e-3) {
            let r = try! route()
            precondition(r.selectedExperts == routing.selectedExperts, "routing changed under the finite-difference step")
            return try! LoadBalancingLoss.compute(r).value
        }
        #expect(result.passed, "\(result)")
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

    /// An empty batch, or a batch of padding only, has loss 0 (transformers: NaN from 0/0).
    @Test func emptyBatchHasZeroLoss() throws {
        #expect(try LoadBalancingLoss.value(logits: Tensor(shape: [0, 8]), topK: 2) == 0)
        let padding = [false, false, false]
        #expect(try LoadBalancingLoss.value(logits: randomMatrix(3, 8, seed: 823), topK: 2, tokenMask: padding) == 0)
    }
}
