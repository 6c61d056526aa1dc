import Core
import MoE
import NN
import TestSupport
import Testing

/// The whole layer: backward against finite differences, grouped dispatch against the naive
/// "every expert on every token" computation, and the batch layout.
@Suite struct SparseMoELayerTests {

    static func layer(
        seed: UInt64, alpha: Double, beta: Double, capacityFactor: Double? = nil, topK: Int = 2
    ) throws -> SparseMoE {
        var rng = SeededRNG(seed: seed)
        let configuration = MoEConfiguration(
            hidden: 6, intermediate: 5, experts: 4, topK: topK, auxLossCoefficient: alpha, zLossCoefficient: beta,
            capacityFactor: capacityFactor)
        let moe = try SparseMoE(configuration, rng: &rng)
        // A livelier router than nn.Linear's ±1/√6, so the auxiliary terms are not negligible.
        for i in moe.router.weight.value.indices { moe.router.weight.value[i] *= 3 }
        return moe
    }

    /// L = Σ c·y + α·L_aux + β·L_z. Central differences with step 1e-2 on weights of size ~1
    /// (as NN's tests); tolerances GradientCheck's defaults (relative 2e-3, absolute 1e-4).
    /// The routing must not change within a step, so the test asserts a margin first.
    @Test(arguments: [(0.001, 0.0, nil), (0.5, 0.1, nil), (0.5, 0.1, 0.75)] as [(Double, Double, Double?)])
    func backwardMatchesFiniteDifferences(alpha: Double, beta: Double, capacityFactor: Double?) throws {
        let moe = try Self.layer(seed: 861, alpha: alpha, beta: beta, capacityFactor: capacityFactor)
        let x = Parameter(name: "x", shape: [8, 6], value: randomMatrix(8, 6, seed: 862).data)
        let upstream = randomMatrix(8, 6, seed: 863).data
        let loss = { () -> Double in
            guard let y = try? moe.forward(Tensor(shape: [8, 6], data: x.value)), let stats = moe.lastStatistics
            else { return .nan }
            return weightedSum(y, upstream) + stats.weightedAuxiliaryLoss
        }
        moe.zeroGrad()
        _ = try moe.forward(Tensor(shape: [8, 6], data: x.value))
        let stats = try #require(moe.lastStatistics)
        #expect(routingMargin(stats.routing) > 0.12, "margin \(routingMargin(stats.routing)): pick another seed")
        if capacityFactor != nil { #expect(!stats.dispatch.dropped.isEmpty, "the capacity case should drop something") }
        x.grad = moe.backward(Tensor(shape: [8, 6], data: upstream)).data
        let selected = stats.routing.selectedExperts
        for parameter in [moe.router.weight, x] + moe.experts.flatMap(\.parameters) {
            let result = GradientCheck.check(parameter, loss: loss)
            #expect(result.passed, "\(result)")
        }
        _ = loss()
        let after = moe.lastStatistics?.routing.selectedExperts ?? []
        #expect(firstMismatch(selected, after) == nil, "the routing changed during the gradient check")
    }

    /// Grouped dispatch computes exactly what running every expert on every token and
    /// multiplying by the (mostly zero) weights would: each token's row is computed the same way.
    @Test func groupedDispatchEqualsEveryExpertOnEveryToken() throws {
        let moe = try Self.layer(seed: 864, alpha: 0, beta: 0)
        let x = randomMatrix(25, 6, seed: 865)
        let y = try moe.forward(x)
        let routing = try #require(moe.lastStatistics).routing
        var dense = [Float](repeating: 0, count: 25 * 6)
        for (e, expert) in moe.experts.enumerated() {
            let all = expert.forward(x)  // every token, whether routed here or not
            for t in 0..<25 {
                let slot = routing.experts(ofToken: t).firstIndex(of: e).map { $0 - t * 2 }
                let w = slot.map { routing.weights[t * 2 + $0] } ?? 0
                for j in 0..<6 { dense[t * 6 + j] += w * all[t, j] }
            }
        }
        let mismatch = firstBitMismatch(dense, y.data)
        #expect(mismatch == nil, "grouped against dense: \(mismatch ?? "")")
    }

    /// [B][S][H] is routed as B·S tokens in the order b·S + s, as transformers flattens it.
    @Test func batchLayoutFlattensBatchMajor() throws {
        let moe = try Self.layer(seed: 866, alpha: 0, beta: 0)
        let x = randomMatrix(10, 6, seed: 867)
        let flat = try moe.forward(x)
        let batched = try moe.forward(x.reshaped([2, 5, 6]))
        #expect(batched.shape == [2, 5, 6])
        let mismatch = firstBitMismatch(flat.data, batched.data)
        #expect(mismatch == nil, "[2][5][6] against [10][6]: \(mismatch ?? "")")
    }

    /// A zero router gives every token the same probabilities: with torch's tie order all tokens
    /// go to experts 6 and 5 — the collapse a zero initialisation would start from.
    @Test func zeroRouterSendsAllTokensToTheSameTwoExperts() throws {
        var rng = SeededRNG(seed: 868)
        let moe = try SparseMoE(MoEConfiguration(hidden: 4, intermediate: 4, experts: 8), rng: &rng)
        for i in moe.router.weight.value.indices { moe.router.weight.value[i] = 0 }
        _ = try moe.forward(randomMatrix(6, 4, seed: 869))
        let stats = try #require(moe.lastStatistics)
        #expect(stats.dispatch.tokensPerExpert == [0, 0, 0, 0, 0, 6, 6, 0])
        #expect(abs(stats.loadBalancing.value - 2) <= 1e-6, "uniform probabilities: L_aux = K even so")
    }

    /// ∂L_aux/∂p = E · f_e / T (exercise 8b) taken through the softmax (exercise 8e) matches
    /// finite differences of L_aux in the logits (the counts held fixed: the test checks the
    /// routing does not change within the step).
    @Test func auxiliaryLossGradientThroughTheSoftmaxMatchesFiniteDifferences() throws {
        let logits = Parameter(name: "logits", shape: [6, 4], value: randomMatrix(6, 4, seed: 821, std: 1.5).data)
        let route = { try TopKRouter.route(logits: Tensor(shape: [6, 4], data: logits.value), topK: 2) }
        let routing = try route()
        // A step of 1e-3 on the logits moves a log-probability ratio by at most 2e-3.
        #expect(routingMargin(routing) > 0.01, "the test needs a margin; pick another seed")
        let dp = try LoadBalancingLoss.probabilityGradient(routing)
        logits.grad = TopKRouter.backward(routing, weightGradient: [Float](repeating: 0, count: 12), probabilityGradient: dp)
        var routingChanged = false
        let result = GradientCheck.check(logits, step: 1e-3) {
            guard let r = try? route(), r.selectedExperts == routing.selectedExperts else {
                routingChanged = true
                return .nan
            }
            return (try? LoadBalancingLoss.compute(r).value) ?? .nan
        }
        #expect(!routingChanged, "the routing changed under the finite-difference step")
        #expect(result.passed, "\(result)")
    }

    /// One gradient step on the router against L_aux alone makes the load more even.
    @Test func auxiliaryLossGradientReducesImbalance() throws {
        let logits = Parameter(name: "z", shape: [64, 8], value: randomMatrix(64, 8, seed: 870).data)
        for t in 0..<64 { logits.value[t * 8 + 3] += 2 }  // expert 3 is everyone's favourite
        let before = try TopKRouter.route(logits: Tensor(shape: [64, 8], data: logits.value), topK: 2)
        let dp = try LoadBalancingLoss.probabilityGradient(before)
        let dz = TopKRouter.backward(before, weightGradient: [Float](repeating: 0, count: 128), probabilityGradient: dp)
        for i in logits.value.indices { logits.value[i] -= 20 * dz[i] }
        let after = try TopKRouter.route(logits: Tensor(shape: [64, 8], data: logits.value), topK: 2)
        #expect(try LoadBalancingLoss.compute(after).value < LoadBalancingLoss.compute(before).value)
        #expect(
            after.tokensPerExpert[3] < before.tokensPerExpert[3], "\(before.tokensPerExpert) → \(after.tokensPerExpert)")
    }
}
