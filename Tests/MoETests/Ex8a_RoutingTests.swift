import Core
import Foundation
import MoE
import TestSupport
import Testing

/// Exercise 8a — `TopKRouter.route(logits:topK:tieBreaking:)`: softmax over all experts, top-K,
/// renormalise — its properties, transformers' numbers, the documented order bit for bit, ties,
/// and the errors for bad logits.
@Suite struct Ex8a_RoutingTests {

    /// Four experts, logits [1, 3, 0, 2]: experts 1 and 3, weights softmax([3, 2]) = [e/(e+1), 1/(e+1)].
    @Test func handCheckedToken() throws {
        let routing = try TopKRouter.route(logits: Tensor(rows: [[1, 3, 0, 2]]), topK: 2)
        let denominator = exp(1.0) + exp(3.0) + exp(0.0) + exp(2.0)
        let expectedP = [1.0, 3, 0, 2].map { Float(exp($0) / denominator) }
        #expect(routing.probabilities == expectedP)
        #expect(routing.selectedExperts == [1, 3])
        #expect(routing.weights.count == 2)
        guard routing.weights.count == 2 else { return }
        #expect(abs(routing.weights[0] - Float(exp(1.0) / (exp(1.0) + 1))) <= 1.2e-7)
        #expect(abs(routing.weights[1] - Float(1 / (exp(1.0) + 1))) <= 6e-8)
        #expect(routing.tokensPerExpert == [0, 1, 0, 1])
    }

    @Test(arguments: [1, 2, 3, 8])
    func weightsAreNonNegativeAndSumToOnePerToken(k: Int) throws {
        let routing = try TopKRouter.route(logits: randomMatrix(200, 8, seed: 81, std: 2), topK: k)
        var log = MismatchLog("K = \(k): weights ≥ 0 summing to 1")
        for t in 0..<routing.tokens {
            let w = routing.weights(ofToken: t)
            let sum = w.reduce(0.0) { $0 + Double($1) }
            // Each of the K divisions rounds once: |Σ − 1| ≤ K ulps of 1.
            if !(w.allSatisfy { $0 >= 0 }) || !(abs(sum - 1) <= Double(k) * 1.2e-7) {
                log.add("token \(t): weights \(Array(w)) sum to \(sum)")
            }
        }
        log.expectEmpty()
    }

    @Test func chosenExpertsAreTheMostProbableHighestFirst() throws {
        let routing = try TopKRouter.route(logits: randomMatrix(300, 8, seed: 82, std: 1.5), topK: 3)
        var log = MismatchLog("top-3 of 8")
        for t in 0..<routing.tokens {
            let p = Array(routing.probabilities[(t * 8)..<((t + 1) * 8)])
            let chosen = Array(routing.experts(ofToken: t))
            let chosenP = chosen.map { p[$0] }
            let unchosenMax = (0..<8).filter { !chosen.contains($0) }.map { p[$0] }.max() ?? 0
            if Set(chosen).count != 3 || chosenP != chosenP.sorted(by: >) || (chosenP.last ?? 0) < unchosenMax {
                log.add("token \(t): chose \(chosen) with p \(chosenP); the best left out has p \(unchosenMax)")
            }
        }
        log.expectEmpty()
    }

    @Test func probabilitiesSumToOne() throws {
        let routing = try TopKRouter.route(logits: randomMatrix(100, 8, seed: 83, std: 3), topK: 2)
        var log = MismatchLog("Σ_e p_e = 1")
        for t in 0..<100 {
            let sum = routing.probabilities[(t * 8)..<((t + 1) * 8)].reduce(0.0) { $0 + Double($1) }
            if !(abs(sum - 1) <= 8 * 6e-8) { log.add("token \(t): probabilities sum to \(sum)") }
        }
        log.expectEmpty()
    }

    /// Renormalising the top-K probabilities is a softmax over the chosen logits alone.
    @Test func renormalisedWeightsAreASoftmaxOverTheChosenLogits() throws {
        let logits = randomMatrix(50, 8, seed: 84, std: 2)
        let routing = try TopKRouter.route(logits: logits, topK: 2)
        var log = MismatchLog("w = softmax of the two chosen logits")
        for t in 0..<50 {
            let chosen = Array(routing.experts(ofToken: t))
            let z = chosen.map { Double(logits[t, $0]) }
            let expected = [1 / (1 + exp(z[1] - z[0])), 1 / (1 + exp(z[0] - z[1]))]
            for k in 0..<2 where !(abs(Double(routing.weights[t * 2 + k]) - expected[k]) <= 3e-7) {
                log.add("token \(t) slot \(k): expected \(expected[k]), got \(routing.weights[t * 2 + k])")
            }
        }
        log.expectEmpty()
    }

    @Test func topOneWeightIsOneAndTopAllWeightsAreTheProbabilities() throws {
        let logits = randomMatrix(20, 5, seed: 85)
        let one = try TopKRouter.route(logits: logits, topK: 1)
        #expect(one.weights.allSatisfy { $0 == 1 }, "K = 1: the single weight is 1")
        let all = try TopKRouter.route(logits: logits, topK: 5)
        var log = MismatchLog("K = E: w are the probabilities, highest first")
        for t in 0..<20 {
            for (k, e) in all.experts(ofToken: t).enumerated()
            where !(abs(all.weights[t * 5 + k] - all.probabilities[t * 5 + e]) <= 2.4e-7) {
                log.add("token \(t) slot \(k) (expert \(e)): w \(all.weights[t * 5 + k]), p \(all.probabilities[t * 5 + e])")
            }
        }
        log.expectEmpty()
    }

    /// −∞ is a mask: the expert gets probability exactly 0 and is never chosen while finite ones remain.
    @Test func minusInfinityMasksAnExpert() throws {
        let routing = try TopKRouter.route(logits: Tensor(rows: [[5, -.infinity, 0, 1]]), topK: 2)
        #expect(routing.probabilities[1] == 0)
        #expect(routing.selectedExperts == [0, 3])
    }

    /// transformers 5.24.0's own router logits (Fixtures/mixtral_moe_block): the probabilities
    /// within 2e-6 relative (PyTorch's float32 exp against our Double one), the chosen experts
    /// exactly, the weights within 2e-7 (two ulps at 0.9).
    @Test func matchesTransformersOnItsLogits() throws {
        let dir = "mixtral_moe_block/"
        let routing = try TopKRouter.route(logits: try loadTensor(dir + "router_logits.npy"), topK: 2)
        let probabilities = try loadTensor(dir + "router_probs.npy").data
        let p = firstMismatch(probabilities, routing.probabilities) { 2e-6 * Double(abs(probabilities[$0])) + 1e-9 }
        #expect(p == nil, "probabilities: \(p ?? "")")
        let experts = firstMismatch(try loadIndices(dir + "selected_experts.npy"), routing.selectedExperts)
        #expect(experts == nil, "selected experts: \(experts ?? "")")
        let w = firstMismatch(try loadTensor(dir + "routing_weights.npy").data, routing.weights) { _ in 2e-7 }
        #expect(w == nil, "routing weights: \(w ?? "")")
    }

    /// The documented order, written out: p = softmax(z) (TopKRouter.softmax), the K largest
    /// (TopK.indices), S summed in Float in the chosen order, w = p / S.
    static func reference(_ logits: Tensor, topK: Int, tieBreaking: TopKTieBreaking = .torchCPU) throws
        -> (p: [Float], experts: [Int], weights: [Float])
    {
        var p: [Float] = [], experts: [Int] = [], weights: [Float] = []
        for t in 0..<logits.rows {
            let row = try TopKRouter.softmax(logits.row(t), token: t)
            let chosen = TopK.indices(of: row, k: topK, tieBreaking: tieBreaking)
            var sum: Float = 0
            for e in chosen { sum += row[e] }
            p += row
            experts += chosen
            weights += chosen.map { row[$0] / sum }
        }
        return (p, experts, weights)
    }

    /// The same numbers as the documented order to rounding: p within 2e-6 relative (a float32
    /// softmax passes), the same experts, w within 3 ulps of the exact quotient p / Σ p (any
    /// order of the sum passes).
    @Test(arguments: [1, 2, 3])
    func routingWithinRoundingOfReference(k: Int) throws {
        let logits = randomMatrix(64, 8, seed: 86, std: 1.5)
        let routing = try TopKRouter.route(logits: logits, topK: k)
        let want = try Self.reference(logits, topK: k)
        let p = firstMismatch(want.p, routing.probabilities) { 2e-6 * Double(abs(want.p[$0])) + 1e-12 }
        #expect(p == nil, "probabilities: \(p ?? "")")
        let experts = firstMismatch(want.experts, routing.selectedExperts)
        #expect(experts == nil, "selected experts: \(experts ?? "")")
        // w against the exact quotient of the routing's own probabilities.
        guard experts == nil else { return }
        var exact = [Double]()
        for t in 0..<64 {
            let chosen = routing.experts(ofToken: t).map { Double(routing.probabilities[t * 8 + $0]) }
            exact += chosen.map { $0 / chosen.reduce(0, +) }
        }
        let w = firstMismatch(exact.map(Float.init), routing.weights) { 3.6e-7 * exact[$0] }
        #expect(w == nil, "weights against p / Σ p: \(w ?? "")")
    }

    /// Bit for bit the documented order: the chapter's printed routing and its training runs
    /// (Chapter 8) reproduce only with it.
    @Test(arguments: [1, 2, 3])
    func routingIsBitExactWithTheDocumentedOrder(k: Int) throws {
        let logits = randomMatrix(64, 8, seed: 86, std: 1.5)
        let routing = try TopKRouter.route(logits: logits, topK: k)
        let want = try Self.reference(logits, topK: k)
        let order = "bit-exact with the chapter (and transformers' float32 renormalisation) needs the order the "
            + "doc comment prescribes: p = softmax(z_t, token: t), chosen = TopK.indices(of: p, k:, tieBreaking:), "
            + "S = Σ p[e] in Float over chosen in that order, w = p[e] / S"
        let p = firstBitMismatch(want.p, routing.probabilities)
        #expect(p == nil, "probabilities: \(p ?? ""); \(order)")
        let w = firstBitMismatch(want.weights, routing.weights)
        #expect(w == nil, "weights: \(w ?? ""); \(order)")
    }

    /// Equal probabilities: `.torchCPU` picks what torch.topk picks on the CPU (experts 6 and 5
    /// of 8), `.lowerIndexFirst` experts 0 and 1 — the router must pass its `tieBreaking` on.
    @Test func tiesFollowTheRequestedRule() throws {
        let zero = Tensor(shape: [3, 8], repeating: 0)
        let torch = try TopKRouter.route(logits: zero, topK: 2, tieBreaking: .torchCPU)
        #expect(torch.selectedExperts == [6, 5, 6, 5, 6, 5])
        let simple = try TopKRouter.route(logits: zero, topK: 2, tieBreaking: .lowerIndexFirst)
        #expect(simple.selectedExperts == [0, 1, 0, 1, 0, 1])
        #expect(simple.weights.allSatisfy { $0 == 0.5 } && torch.weights.allSatisfy { $0 == 0.5 })
    }

    /// NaN and +∞ logits throw `.nonFiniteLogit` with the token and expert; a token whose logits
    /// are all −∞ throws `.noRoutableExpert` (`softmax` checks both).
    @Test func badLogitsThrowWithTheirPlace() {
        var logits = randomMatrix(4, 8, seed: 883)
        logits[2, 5] = .nan
        do {
            _ = try TopKRouter.route(logits: logits, topK: 2)
            Issue.record("a NaN logit was accepted")
        } catch {
            if case .nonFiniteLogit(let token, let expert, let value) = error {
                #expect(token == 2 && expert == 5 && value.isNaN)
            } else {
                Issue.record("wrong error \(error)")
            }
        }
        #expect(throws: MoEError.nonFiniteLogit(token: 0, expert: 1, value: .infinity)) {
            try TopKRouter.route(logits: Tensor(rows: [[0, .infinity, 1]]), topK: 1)
        }
        #expect(throws: MoEError.noRoutableExpert(token: 1)) {
            try TopKRouter.route(logits: Tensor(rows: [[0, 1, 2], [-.infinity, -.infinity, -.infinity]]), topK: 1)
        }
    }

    @Test func emptyBatchRoutesToNothing() throws {
        let routing = try TopKRouter.route(logits: Tensor(shape: [0, 8]), topK: 2)
        #expect(routing.tokens == 0 && routing.selectedExperts.isEmpty && routing.weights.isEmpty)
    }
}
