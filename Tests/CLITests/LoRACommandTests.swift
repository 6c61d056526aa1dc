import Foundation
import TensorIO
import TestSupport
import Testing

/// `lowbit lora merge` against peft 0.21.2's merge_and_unload (the reference cases committed
/// with the LoRA tests, Tests/LoRATests/Fixtures/README.md).
@Suite struct LoRACommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    static func fixture(_ caseName: String, _ file: String) -> String {
        BuiltProducts.repositoryRoot.appendingPathComponent("Tests/LoRATests/Fixtures/peft_lora/\(caseName)/\(file)").path
    }

    @Test(arguments: [("r4_alpha8", false), ("r4_alpha8_rslora", true)])
    func mergeMatchesPeftMergeAndUnload(caseName: String, rslora: Bool) throws {
        let result = try BuiltProducts.run(
            "lowbit", ["lora", "merge", "--base", Self.fixture(caseName, "base_weight.npy"),
                       "--lora-a", Self.fixture(caseName, "lora_A.npy"), "--lora-b", Self.fixture(caseName, "lora_B.npy"),
                       "--alpha", "8", "--out", path("m.npy")] + (rslora ? ["--rslora"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        let merged = try NPY.read(contentsOf: path("m.npy"))
        #expect(merged.shape == [48, 64] && merged.elementType == .float32)
        let expected = try NPY.read(contentsOf: Self.fixture(caseName, "merged_weight.npy")).floats()
        // peft sums B·A (r = 4 terms) in its own order: allow one float32 ulp of the merged value
        // plus 4 roundings of the largest term (see LoRATests' Ex6f_LoRAMergeTests for the derivation).
        let got = try merged.floats()
        #expect(firstMismatch(expected, got, tolerance: { i in Double(abs(expected[i]).ulp) * 2 + 1e-7 }) == nil)
    }

    @Test(arguments: [
        ("A with the wrong inner size", "A_BAD", "B", "A is"),
        ("B with the wrong rank", "A", "B_BAD", "B is"),
    ])
    func mismatchedShapesNameBothShapes(name: String, a: String, b: String, mentioning: String) throws {
        try NPY.write(RawTensor(float32: [Float](repeating: 0.1, count: 12), shape: [3, 4]), to: path("w.npy"))
        try NPY.write(RawTensor(float32: [Float](repeating: 0.1, count: 8), shape: [2, 4]), to: path("a.npy"))
        try NPY.write(RawTensor(float32: [Float](repeating: 0.1, count: 10), shape: [2, 5]), to: path("a_bad.npy"))
        try NPY.write(RawTensor(float32: [Float](repeating: 0.1, count: 6), shape: [3, 2]), to: path("b.npy"))
        try NPY.write(RawTensor(float32: [Float](repeating: 0.1, count: 9), shape: [3, 3]), to: path("b_bad.npy"))
        let files = ["A": path("a.npy"), "A_BAD": path("a_bad.npy"), "B": path("b.npy"), "B_BAD": path("b_bad.npy")]
        let result = try BuiltProducts.run(
            "lowbit", ["lora", "merge", "--base", path("w.npy"), "--lora-a", files[a]!, "--lora-b", files[b]!,
                       "--alpha", "16", "--out", path("m.npy")])
        expectContractError(result, mentioning: mentioning)
        #expect(result.stderr.contains("3 × 4") || result.stderr.contains("[3, 4]") || result.stderr.contains("3 × 2"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("m.npy")))
    }
}
