import Foundation
import TensorIO
import TestSupport
import Testing

/// `lowbit moe-route` against transformers 5.24.0's Mixtral routing (the reference case
/// committed with the MoE tests, Tests/MoETests/Fixtures/README.md).
@Suite struct MoERouteCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    static func fixture(_ name: String) -> String {
        BuiltProducts.repositoryRoot.appendingPathComponent("Tests/MoETests/Fixtures/mixtral_moe_block/\(name)").path
    }

    @Test func routingMatchesTransformersMixtral() throws {
        let result = try BuiltProducts.run(
            "lowbit", ["moe-route", Self.fixture("router_logits.npy"), "--experts-out", path("e.npy"),
                       "--weights-out", path("w.npy"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let experts = try NPY.read(contentsOf: path("e.npy"))
        #expect(experts.elementType == .int64 && experts.shape == [10, 2])
        #expect(try experts.int64s() == NPY.read(contentsOf: Self.fixture("selected_experts.npy")).int64s())
        let expected = try NPY.read(contentsOf: Self.fixture("routing_weights.npy")).floats()
        let weights = try NPY.read(contentsOf: path("w.npy")).floats()
        // Softmax is computed in Double and rounded to float32 (PyTorch: float32 throughout), so
        // weights may differ in the last bits: 2e-7 absolute on weights ≤ 1.
        #expect(firstMismatch(expected, weights, tolerance: { _ in 2e-7 }) == nil)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // aux_loss.json: load_balancing_loss_func(router_logits, 8, 2) = 2.6492204666137695.
        let aux = try #require(report["aux_loss"] as? Double)
        #expect(abs(aux - 2.6492204666137695) < 1e-6 * 2.65)
        #expect((report["tokens_per_expert"] as? [Int])?.reduce(0, +) == 20)  // 10 tokens × top-2
        #expect(report["router_z_loss"] != nil)
    }

    @Test func uniformLogitsGiveTheBalancedAuxLossK() throws {
        try NPY.write(RawTensor(float32: [Float](repeating: 0, count: 4 * 8), shape: [4, 8]), to: path("z.npy"))
        let result = try BuiltProducts.run("lowbit", ["moe-route", path("z.npy"), "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // E · Σ_e f_e · P_e with P_e = 1/E and Σ f_e = K gives exactly K = 2.
        #expect(report["aux_loss"] as? Double == 2.0)
    }

    @Test(arguments: [
        ("NaN logits", "NAN", ["--top-k", "2"], "NaN"),
        ("top-k above the experts", "GOOD", ["--top-k", "9"], "top-k"),
        ("top-k zero", "GOOD", ["--top-k", "0"], "top-k"),
        ("1-D logits", "VEC", [], "2-D"),
    ])
    func badInputFailsWithOneErrorLineAndNoOutput(name: String, input: String, extra: [String], mentioning: String) throws {
        try NPY.write(RawTensor(float32: [Float](repeating: 0.5, count: 16), shape: [2, 8]), to: path("good.npy"))
        try NPY.write(RawTensor(float32: [0.5, .nan, 1, 2, 0, 0, 0, 0], shape: [1, 8]), to: path("nan.npy"))
        try NPY.write(RawTensor(float32: [1, 2, 3], shape: [3]), to: path("vec.npy"))
        let files = ["GOOD": path("good.npy"), "NAN": path("nan.npy"), "VEC": path("vec.npy")]
        let result = try BuiltProducts.run(
            "lowbit", ["moe-route", files[input]!, "--experts-out", path("out.npy")] + extra)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(name): \(result.stderr)")
        #expect(result.stderr.lowercased().contains(mentioning.lowercased()), "\(name): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("out.npy")))
    }
}
