import Core
import Foundation
import MoE
import NN
import Testing

/// ST-MoE's router z-loss.
@Suite struct RouterZLossTests {

    /// Two tokens: logits [0, 0] → lse = log 2; [1, 1, 1, 1]-like rows: lse = 1 + log 2 (two experts).
    @Test func handCheckedValue() throws {
        let routing = try TopKRouter.route(logits: Tensor(rows: [[0, 0], [1, 1]]), topK: 1)
        let expected = (pow(log(2.0), 2) + pow(1 + log(2.0), 2)) / 2
        #expect(abs(RouterZLoss.value(routing) - expected) <= 1e-12)
    }

    @Test func gradientMatchesFiniteDifferences() throws {
        let logits = Parameter(name: "z", shape: [5, 4], value: randomMatrix(5, 4, seed: 871, std: 2).data)
        let route = { try! TopKRouter.route(logits: Tensor(shape: [5, 4], data: logits.value), topK: 2) }
        logits.grad = RouterZLoss.logitGradient(route())
        let result = GradientCheck.check(logits) { RouterZLoss.value(route()) }
        #expect(result.passed, "\(result)")
    }

    /// Adding c to a token's logits changes no routing decision, only the z-loss.
    @Test func shiftingLogitsLeavesRoutingButNotZLoss() throws {
        let logits = randomMatrix(6, 8, seed: 872)
        let shifted = logits.map { $0 + 5 }
        let a = try TopKRouter.route(logits: logits, topK: 2)
        let b = try TopKRouter.route(logits: shifted, topK: 2)
        #expect(a.selectedExperts == b.selectedExperts)
        #expect(maxAbsDifference(a.weights, b.weights) <= 3e-7)
        #expect(RouterZLoss.value(b) > RouterZLoss.value(a) + 10)
    }
}
