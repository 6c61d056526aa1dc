import Core
import MoE
import NN
import TestSupport
import Testing

/// Exercise 8e — `TopKRouter.backward`: through the renormalisation, then the softmax.
@Suite struct Ex8e_RoutingBackwardTests {

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
        var routingChanged = false
        let result = GradientCheck.check(logits, step: 1e-3) {
            guard let r = try? route(), r.selectedExperts == routing.selectedExperts else {
                routingChanged = true
                return .nan
            }
            return weightedSum(Tensor(shape: [t * k], data: r.weights), c)
                + weightedSum(Tensor(shape: [t * e], data: r.probabilities), d)
        }
        #expect(!routingChanged, "the routing changed under the finite-difference step")
        #expect(result.passed, "\(result)")
    }

    /// The renormalised weights do not depend on the logits of unchosen experts: without a
    /// direct ∂L/∂p, those experts' logit gradients are zero (to rounding).
    @Test func unchosenExpertsGetNoGradientFromTheWeights() throws {
        let routing = try TopKRouter.route(logits: randomMatrix(20, 8, seed: 854, std: 2), topK: 2)
        let dz = TopKRouter.backward(routing, weightGradient: randomMatrix(20, 2, seed: 855).data)
        var unchosen = MismatchLog("unchosen experts' logit gradients (must be 0)")
        var shift = MismatchLog("the two chosen logits' gradients (must cancel)")
        for token in 0..<20 {
            let chosen = Set(routing.experts(ofToken: token))
            for expert in 0..<8 where !chosen.contains(expert) && !(abs(dz[token * 8 + expert]) <= 1e-7) {
                unchosen.add("token \(token) expert \(expert): \(dz[token * 8 + expert])")
            }
            // Shifting both chosen logits together changes nothing: their gradients cancel.
            let pair = Array(routing.experts(ofToken: token))
            if !(abs(dz[token * 8 + pair[0]] + dz[token * 8 + pair[1]]) <= 1e-6) {
                shift.add("token \(token): \(dz[token * 8 + pair[0]]) + \(dz[token * 8 + pair[1]])")
            }
        }
        unchosen.expectEmpty()
        shift.expectEmpty()
        #expect(dz.contains { $0 != 0 }, "the chosen experts' logits must get a gradient")
    }

    /// With K = 1 the single weight is always 1: no gradient at all reaches the router through it
    /// (why the Switch Transformer multiplies by the un-renormalised probability instead).
    @Test func topOneRoutingPassesNoGradientThroughTheWeight() throws {
        let routing = try TopKRouter.route(logits: randomMatrix(10, 4, seed: 856), topK: 1)
        let dz = TopKRouter.backward(routing, weightGradient: randomMatrix(10, 1, seed: 857).data)
        #expect(dz.allSatisfy { abs($0) <= 1e-7 }, "largest |dz| \(dz.map(abs).max() ?? 0)")
    }

    /// The documented order, written out per token, in Double, rounded once.
    static func reference(_ routing: Routing, _ dw: [Float], _ dpIn: [Float]?) -> [Float] {
        let (t, e, k) = (routing.tokens, routing.experts, routing.topK)
        var dz = [Float](repeating: 0, count: t * e)
        for token in 0..<t {
            let p = (0..<e).map { Double(routing.probabilities[token * e + $0]) }
            var dp = (0..<e).map { Double(dpIn?[token * e + $0] ?? 0) }
            let chosen = (0..<k).map { routing.selectedExperts[token * k + $0] }
            var s = 0.0, g = 0.0
            for slot in 0..<k { s += p[chosen[slot]] }
            for slot in 0..<k { g += Double(routing.weights[token * k + slot]) * Double(dw[token * k + slot]) }
            for slot in 0..<k { dp[chosen[slot]] += (Double(dw[token * k + slot]) - g) / s }
            var a = 0.0
            for expert in 0..<e { a += p[expert] * dp[expert] }
            for expert in 0..<e { dz[token * e + expert] = Float(p[expert] * (dp[expert] - a)) }
        }
        return dz
    }

    static func batch(k: Int) throws -> (routing: Routing, dw: [Float], dp: [Float]) {
        let routing = try TopKRouter.route(logits: randomMatrix(40, 8, seed: 858, std: 1.5), topK: k)
        return (routing, randomMatrix(40, k, seed: 859).data, randomMatrix(40, 8, seed: 860, std: 0.1).data)
    }

    /// dL/dz within 1e-6 of the largest value, with and without a direct ∂L/∂p (any order of the
    /// sums passes).
    @Test(arguments: [1, 2, 3])
    func logitGradientWithinRoundingOfReference(k: Int) throws {
        let (routing, dw, dp) = try Self.batch(k: k)
        for direct in [nil, dp] {
            let want = Self.reference(routing, dw, direct)
            let got = TopKRouter.backward(routing, weightGradient: dw, probabilityGradient: direct)
            let scale = want.map { abs(Double($0)) }.max() ?? 0
            let mismatch = firstMismatch(want, got) { _ in 1e-6 * scale }
            #expect(mismatch == nil, "K = \(k), ∂L/∂p \(direct == nil ? "none" : "given"): \(mismatch ?? "")")
        }
    }

    /// Bit for bit the documented order: Chapter 8 trains its routers through this function, and
    /// its printed loads and losses reproduce only with it.
    @Test(arguments: [1, 2, 3])
    func logitGradientIsBitExactWithTheDocumentedOrder(k: Int) throws {
        let (routing, dw, dp) = try Self.batch(k: k)
        for direct in [nil, dp] {
            let want = Self.reference(routing, dw, direct)
            let got = TopKRouter.backward(routing, weightGradient: dw, probabilityGradient: direct)
            let mismatch = firstBitMismatch(want, got)
            let order = "bit-exact with the chapter needs the order the doc comment prescribes: in Double, S and "
                + "G = Σ w·∂L/∂w summed in slot order, ∂L/∂p_{e_k} += (∂L/∂w_k − G) / S, A = Σ_e p_e·∂L/∂p_e in "
                + "expert order, dz = Float(p·(∂L/∂p − A))"
            let context = "K = \(k), ∂L/∂p \(direct == nil ? "none" : "given")"
            #expect(mismatch == nil, "\(context): \(mismatch ?? ""); \(order)")
        }
    }
}
