import Core
import MoE
import NN
import Testing

/// Exercise 8.5 — `TopKRouter.backward`: through the renormalisation, then the softmax.
@Suite struct Ex8_5_RoutingBackwardTests {

    /// L = Σ c_t,k · w_t,k + Σ d_t,e · p_t,e for fixed random c, d: the gradient with respect
    /// to the logits matches central differences (routing unchanged within the step).
    @Test(arguments: [1, 2, 3])
    func logitGradientMatchesFiniteDifferences(k: Int) throws {
        let (t, e) = (7, 6)
        let logits = Parameter(name: "logits", shape: [t, e], value: randomMatrix(t, e, seed: 851, std: 1.5).data)
        let c = randomMatrix(t, k, seed: 852).data
        let d = randomMatrix(t, e, seed: 853).data
        let route = { try TopKRouter.route(logits: Tensor(shape: [t, e], data: logits.value), topK: k) }
        let routing = try route()
        // A step of 1e-3 on the logits moves a log-probability ratio by at most 2e-3.
        #expect(routingMargin(routing) > 0.01, "the test needs a margin; pick another seed")
        logits.grad = TopKRouter.backward(routing, weightGradient: c, probabilityGradient: d)
        let result = GradientCheck.check(logits, step: 1e-3) {
            let r = try! route()
            precondition(r.selectedExperts == routing.selectedExperts, "routing changed under the finite-difference step")
            return weightedSum(Tensor(shape: [t * k], data: r.weights), c)
                + weightedSum(Tensor(shape: [t * e], data: r.probabilities), d)
        }
        #expect(result.passed, "\(result)")
    }

    /// The renormalised weights do not depend on the logits of unchosen experts: without a
    /// direct ∂L/∂p, those experts' logit gradients are zero (to rounding).
    @Test func unchosenExpertsGetNoGradientFromTheWeights() throws {
        let routing = try TopKRouter.route(logits: randomMatrix(20, 8, seed: 854, std: 2), topK: 2)
        let dz = TopKRouter.backward(routing, weightGradient: randomMatrix(20, 2, seed: 855).data)
        for token in 0..<20 {
            let chosen = Set(routing.experts(ofToken: token))
            for expert in 0..<8 where !chosen.contains(expert) {
                #expect(abs(dz[token * 8 + expert]) <= 1e-7, "token \(token) expert \(expert): \(dz[token * 8 + expert])")
            }
            // Shifting both chosen logits together changes nothing: their gradients cancel.
            let pair = Array(routing.experts(ofToken: token))
            #expect(abs(dz[token * 8 + pair[0]] + dz[token * 8 + pair[1]]) <= 1e-6)
        }
    }

    /// With K = 1 the single weight is always 1: no gradient at all reaches the router through it
    /// (why the Switch Transformer multiplies by the un-renormalised probability instead).
    @Test func topOneRoutingPassesNoGradientThroughTheWeight() throws {
        let routing = try TopKRouter.route(logits: randomMatrix(10, 4, seed: 856), topK: 1)
        let dz = TopKRouter.backward(routing, weightGradient: randomMatrix(10, 1, seed: 857).data)
        #expect(dz.allSatisfy { abs($0) <= 1e-7 })
    }
}
