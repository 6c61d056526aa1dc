import Core
import MoE
import TestSupport
import Testing

/// Ties in top-K: `.torchCPU` reproduces `torch.topk` on the CPU (libstdc++'s introselect),
/// `.lowerIndexFirst` is the simple documented rule; on distinct values both agree.
@Suite struct TopKTieTests {

    /// What PyTorch users reported, each from a GitHub issue (CPU, PyTorch ≥ 1.11).
    @Test func reproducesReportedTorchTopKOutputs() {
        // pytorch/pytorch#88184: topk([-1, -1, -1, -1], 1) → index 2.
        #expect(TopK.indices(of: [-1, -1, -1, -1], k: 1) == [2])
        // pytorch/pytorch#133542: topk([-0.1944, -0.1944, -0.1945, -0.1945, -0.1945], 1) → index 1.
        #expect(TopK.indices(of: [-0.1944, -0.1944, -0.1945, -0.1945, -0.1945], k: 1) == [1])
        // pytorch/pytorch#127196: topk([3, 2, 3, 2, 1, 1], 2) → indices 0, 2 on the CPU.
        #expect(TopK.indices(of: [3, 2, 3, 2, 1, 1], k: 2) == [0, 2])
    }

    /// Eight equal probabilities (a zero router): torch picks experts 6 and 5; the simple rule 0 and 1.
    @Test func uniformRowOfEightExperts() {
        let uniform = [Float](repeating: 0.125, count: 8)
        #expect(TopK.indices(of: uniform, k: 2, tieBreaking: .torchCPU) == [6, 5])
        #expect(TopK.indices(of: uniform, k: 2, tieBreaking: .lowerIndexFirst) == [0, 1])
        #expect(TopK.indices(of: uniform, k: 1, tieBreaking: .torchCPU) == [6])
        #expect(TopK.indices(of: uniform, k: 8, tieBreaking: .torchCPU) == [4, 7, 6, 5, 2, 1, 0, 3])
        // A three-way tie for first place among eight: torch keeps experts 1 and 0.
        #expect(TopK.indices(of: [0.3, 0.3, 0.1, 0.3, 0, 0, 0, 0], k: 2) == [1, 0])
    }

    /// A router whose weights are all zero sends *every* token to the same two experts.
    @Test func zeroRouterSendsEveryTokenToExpertsSixAndFive() throws {
        let routing = try TopKRouter.route(logits: Tensor(shape: [5, 8], repeating: 0), topK: 2)
        #expect(routing.tokensPerExpert == [0, 0, 0, 0, 0, 5, 5, 0])
        #expect(routing.weights.allSatisfy { $0 == 0.5 })
    }

    /// With 128 experts and K = 2, k · 64 ≤ n and torch takes std::partial_sort (a heap) instead.
    @Test func partialSortPathForManyExperts() {
        // Expected values from our Python transcription of the same libstdc++ algorithms.
        #expect(TopK.indices(of: [Float](repeating: 1, count: 128), k: 2) == [0, 1])
        let everyThird = (0..<128).map { Float($0 % 3 == 0 ? 1 : 0) }
        #expect(TopK.indices(of: everyThird, k: 2) == [3, 0])
        #expect(TopK.indices(of: everyThird, k: 2, tieBreaking: .lowerIndexFirst) == [0, 3])
    }

    @Test func bothRulesAgreeWhenValuesAreDistinct() {
        var rng = SeededRNG(seed: 86)
        var log = MismatchLog("torch.topk order against lower-index-first on distinct values")
        for n in [1, 2, 3, 5, 8, 16, 17, 40, 64, 128, 200] {
            for k in Set([1, 2, min(3, n), n / 2 + 1, n]).sorted() where k <= n {
                for trial in 0..<20 {
                    let values = rng.normalFloats(n)
                    let a = TopK.indices(of: values, k: k, tieBreaking: .torchCPU)
                    let b = TopK.indices(of: values, k: k, tieBreaking: .lowerIndexFirst)
                    if a != b { log.add("n \(n) k \(k) trial \(trial): \(firstMismatch(b, a) ?? "")") }
                }
            }
        }
        log.expectEmpty()
    }

    /// Whatever the tie order, the answer is a valid top-K: distinct, highest first, none better left out.
    @Test func tieHeavyRowsGiveValidTopK() {
        var rng = SeededRNG(seed: 87)
        var log = MismatchLog("a valid top-K on rows full of ties")
        for n in [4, 7, 8, 9, 16, 33, 64, 128, 150] {
            for k in Set([1, 2, 3, n / 2, n]).sorted() where k >= 1 && k <= n {
                let values = (0..<n).map { _ in Float(rng.index(below: 3)) }
                let picked = TopK.indices(of: values, k: k)
                let v = picked.map { values[$0] }
                let rest = (0..<n).filter { !picked.contains($0) }.map { values[$0] }
                if Set(picked).count != k { log.add("n \(n) k \(k): \(picked.count) picks, \(Set(picked).count) distinct") }
                if v != v.sorted(by: >) { log.add("n \(n) k \(k): values not descending") }
                if !rest.allSatisfy({ $0 <= (v.last ?? .infinity) }) { log.add("n \(n) k \(k): a larger value was left out") }
            }
        }
        log.expectEmpty()
    }

    /// NaN counts as the largest value, as in PyTorch.
    @Test func nanSortsAsLargest() {
        #expect(TopK.indices(of: [1, .nan, 3], k: 1, tieBreaking: .torchCPU) == [1])
        #expect(TopK.indices(of: [1, .nan, 3], k: 1, tieBreaking: .lowerIndexFirst) == [1])
    }
}
