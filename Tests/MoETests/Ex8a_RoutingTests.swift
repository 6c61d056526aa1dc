import Core
import Foundation
import MoE
import Testing

/// Exercise 8.1 — `TopKRouter.route(logits:topK:)`: softmax over all experts, top-K, renormalise.
@Suite struct Ex8_1_RoutingTests {

    /// Four experts, logits [1, 3, 0, 2]: experts 1 and 3, weights softmax([3, 2]) = [e/(e+1), 1/(e+1)].
    @Test func handCheckedToken() throws {
        let routing = try TopKRouter.route(logits: Tensor(rows: [[1, 3, 0, 2]]), topK: 2)
        let denominator = exp(1.0) + exp(3.0) + exp(0.0) + exp(2.0)
        let expectedP = [1.0, 3, 0, 2].map { Float(exp($0) / denominator) }
        #expect(routing.probabilities == expectedP)
        #expect(routing.selectedExperts == [1, 3])
        #expect(abs(routing.weights[0] - Float(exp(1.0) / (exp(1.0) + 1))) <= 1.2e-7)
        #expect(abs(routing.weights[1] - Float(1 / (exp(1.0) + 1))) <= 6e-8)
        #expect(routing.tokensPerExpert == [0, 1, 0, 1])
    }

    @Test(arguments: [1, 2, 3, 8])
    func weightsAreNonNegativeAndSumToOnePerToken(k: Int) throws {
        let logits = randomMatrix(200, 8, seed: 81, std: 2)
        let routing = try TopKRouter.route(logits: logits, topK: k)
        for t in 0..<routing.tokens {
            let w = routing.weights(ofToken: t)
            #expect(w.allSatisfy { $0 >= 0 }, "token \(t): negative weight in \(Array(w))")
            let sum = w.reduce(0.0) { $0 + Double($1) }
            // Each of the K divisions rounds once: |Σ − 1| ≤ K ulps of 1.
            #expect(abs(sum - 1) <= Double(k) * 1.2e-7, "token \(t): weights \(Array(w)) sum to \(sum)")
        }
    }

    @Test func chosenExpertsAreTheMostProbableHighestFirst() throws {
        let logits = randomMatrix(300, 8, seed: 82, std: 1.5)
        let routing = try TopKRouter.route(logits: logits, topK: 3)
        for t in 0..<routing.tokens {
            let p = Array(routing.probabilities[(t * 8)..<((t + 1) * 8)])
            let chosen = Array(routing.experts(ofToken: t))
            #expect(Set(chosen).count == 3)
            let chosenP = chosen.map { p[$0] }
            #expect(chosenP == chosenP.sorted(by: >), "token \(t): not highest first: \(chosenP)")
            let unchosenMax = (0..<8).filter { !chosen.contains($0) }.map { p[$0] }.max()!
            #expect(chosenP.last! >= unchosenMax, "token \(t): expert with p \(unchosenMax) left out")
        }
    }

    @Test func probabilitiesSumToOne() throws {
        let routing = try TopKRouter.route(logits: randomMatrix(100, 8, seed: 83, std: 3), topK: 2)
        for t in 0..<100 {
            let sum = routing.probabilities[(t * 8)..<((t + 1) * 8)].reduce(0.0) { $0 + Double($1) }
            #expect(abs(sum - 1) <= 8 * 6e-8, "token \(t): probabilities sum to \(sum)")
        }
    }

    /// Renormalising the top-K probabilities is a softmax over the chosen logits alone.
    @Test func renormalisedWeightsAreASoftmaxOverTheChosenLogits() throws {
        let logits = randomMatrix(50, 8, seed: 84, std: 2)
        let routing = try TopKRouter.route(logits: logits, topK: 2)
        for t in 0..<50 {
            let chosen = Array(routing.experts(ofToken: t))
            let z = chosen.map { Double(logits[t, $0]) }
            let expected = [1 / (1 + exp(z[1] - z[0])), 1 / (1 + exp(z[0] - z[1]))]
            for k in 0..<2 {
                #expect(abs(Double(routing.weights[t * 2 + k]) - expected[k]) <= 3e-7, "token \(t) slot \(k)")
            }
        }
    }

    @Test func topOneWeightIsOneAndTopAllWeightsAreTheProbabilities() throws {
        let logits = randomMatrix(20, 5, seed: 85)
        let one = try TopKRouter.route(logits: logits, topK: 1)
        #expect(one.weights.allSatisfy { $0 == 1 })
        let all = try TopKRouter.route(logits: logits, topK: 5)
        for t in 0..<20 {
            for (k, e) in all.experts(ofToken: t).enumerated() {
                #expect(abs(all.weights[t * 5 + k] - all.probabilities[t * 5 + e]) <= 2.4e-7)
            }
        }
    }

    /// −∞ is a mask: the expert gets probability exactly 0 and is never chosen while finite ones remain.
    @Test func minusInfinityMasksAnExpert() throws {
        let routing = try TopKRouter.route(logits: Tensor(rows: [[5, -.infinity, 0, 1]]), topK: 2)
        #expect(routing.probabilities[1] == 0)
        #expect(routing.selectedExperts == [0, 3])
    }
}
