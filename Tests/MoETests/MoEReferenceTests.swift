import Core
import Foundation
import MoE
import TestSupport
import Testing

/// The Mixtral sparse MoE block against transformers 5.24.0 (see Fixtures/README.md).
///
/// Exact: the chosen experts (no near-ties in this case: the closest K-th/(K+1)-th pair differs
/// by 1.4 % in probability).
/// To float rounding, with the tolerance stated per test: logits, probabilities, weights,
/// output and the auxiliary loss. PyTorch sums the dot products with its own blocking
/// (MKL/oneDNN sgemm), evaluates exp and silu in float32 with vectorised approximations; we
/// add in order and evaluate exp and σ in Double. Each step differs by an ulp or so.
private let dir = "mixtral_moe_block/"

@Suite struct MoEReferenceTests {
    /// The block with transformers' weights: router `gate_weight` [8][16], experts from the
    /// installed 5.x layout `gate_up_proj` [8][64][16] and `down_proj` [8][16][32].
    static func block() throws -> SparseMoE {
        let gateUp = try loadTensor(dir + "gate_up_proj.npy")
        let down = try loadTensor(dir + "down_proj.npy")
        let experts = try (0..<8).map {
            try SwiGLUExpert(gateUpProj: gateUp, downProj: down, index: $0, name: "experts.\($0)")
        }
        return try SparseMoE(routerWeight: try loadTensor(dir + "gate_weight.npy"), experts: experts, topK: 2)
    }

    @Test func routerLogitsAndProbabilitiesMatch() throws {
        let moe = try Self.block()
        let x = try loadTensor(dir + "hidden_states.npy")
        _ = try moe.forward(x)
        let routing = try #require(moe.lastStatistics).routing
        let logits = try loadTensor(dir + "router_logits.npy").data
        let probabilities = try loadTensor(dir + "router_probs.npy").data
        // Logits are 16-term dot products of O(1) values: 1e-6 absolute is ~4 float32 ulps at
        // |z| ≈ 3 (observed: 4.8e-7).
        let logitMismatch = firstMismatch(logits, routing.logits, tolerance: { _ in 1e-6 })
        #expect(logitMismatch == nil, "logits: \(logitMismatch ?? "")")
        // Probabilities: relative 2e-6 (about 16 ulps; observed 5.7e-7: PyTorch's float32 exp and
        // sum against our Double ones), plus 1e-9 for the smallest.
        let mismatch = firstMismatch(
            probabilities, routing.probabilities, tolerance: { 2e-6 * Double(abs(probabilities[$0])) + 1e-9 })
        #expect(mismatch == nil, "probabilities: \(mismatch ?? "")")
    }

    @Test func chosenExpertsMatchExactlyHighestFirst() throws {
        let moe = try Self.block()
        _ = try moe.forward(try loadTensor(dir + "hidden_states.npy"))
        let routing = try #require(moe.lastStatistics).routing
        let expected = try loadIndices(dir + "selected_experts.npy")
        let mismatch = firstMismatch(expected, routing.selectedExperts)
        #expect(mismatch == nil, "selected experts: \(mismatch ?? "")")
    }

    @Test func routingWeightsMatch() throws {
        let moe = try Self.block()
        _ = try moe.forward(try loadTensor(dir + "hidden_states.npy"))
        let routing = try #require(moe.lastStatistics).routing
        let expected = try loadTensor(dir + "routing_weights.npy").data
        // Weights in (0, 1]: 2e-7 absolute is two ulps at 0.9 (observed: 1.2e-7, one ulp).
        let mismatch = firstMismatch(expected, routing.weights, tolerance: { _ in 2e-7 })
        #expect(mismatch == nil, "routing weights: \(mismatch ?? "")")
    }

    @Test func blockOutputMatches() throws {
        let moe = try Self.block()
        let y = try moe.forward(try loadTensor(dir + "hidden_states.npy"))
        let expected = try loadTensor(dir + "output.npy")
        #expect(y.shape == [2, 5, 16])
        // Outputs reach |y| = 2.7: two matmuls of 16 and 32 terms, silu, a weighted sum.
        // 2e-6 absolute ≈ 8 ulps at the largest |y| (observed: 4.8e-7, two ulps).
        let mismatch = firstMismatch(expected.data, y.data, tolerance: { _ in 2e-6 })
        #expect(mismatch == nil, "block output: \(mismatch ?? "")")
    }

    /// `load_balancing_loss_func((router_logits,), 8, 2)` with and without the attention mask.
    @Test(arguments: [false, true])
    func auxiliaryLossMatches(masked: Bool) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixturePath(dir + "aux_loss.json")))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let expected = try #require(json?[masked ? "aux_loss_masked" : "aux_loss"] as? Double)
        let mask = masked ? try loadIndices(dir + "attention_mask.npy").map { $0 == 1 } : nil
        // From the reference's own logits: what the CLI computes for a LOGITS.npy.
        let logits = try loadTensor(dir + "router_logits.npy")
        let fromLogits = try LoadBalancingLoss.value(logits: logits, topK: 2, tokenMask: mask)
        // From our layer's own forward pass.
        let moe = try Self.block()
        _ = try moe.forward(try loadTensor(dir + "hidden_states.npy"))
        let fromLayer = try LoadBalancingLoss.compute(try #require(moe.lastStatistics).routing, tokenMask: mask).value
        // transformers' value is float32: relative 1e-6 is ~8 ulps (observed: 1.8e-8 relative).
        #expect(abs(fromLogits - expected) <= 1e-6 * expected, "from logits: \(fromLogits) vs \(expected)")
        #expect(abs(fromLayer - expected) <= 1e-6 * expected, "from the layer: \(fromLayer) vs \(expected)")
    }

    /// The reference's router returned raw logits (rows do not sum to 1). Some transformers 5.x
    /// releases returned probabilities under that name, and load_balancing_loss_func then took a
    /// second softmax (huggingface/transformers#45120): the loss would have been much flatter.
    @Test func referenceLogitsAreLogitsNotProbabilities() throws {
        let logits = try loadTensor(dir + "router_logits.npy")
        let rowSum = (0..<8).reduce(Float(0)) { $0 + logits[0, $1] }
        #expect(abs(rowSum - 1) > 0.1)
        let doubleSoftmax = try LoadBalancingLoss.value(
            logits: Tensor(shape: [10, 8], data: try (0..<10).flatMap { try TopKRouter.softmax(logits.row($0)) }), topK: 2)
        #expect(abs(doubleSoftmax - 2.6492204666137695) > 0.3, "the double-softmax bug gives \(doubleSoftmax)")
    }
}
