import GPTQ
import TestSupport
import Testing

/// `HessianAccumulator` against the reference's H.npy, and the running average's semantics.
@Suite struct HessianTests {

    /// Our xᵀx sums each entry's L products in row order; PyTorch's BLAS in its own order.
    /// Standard float32 error analysis bounds the difference of two such sums of L terms by
    /// about 2·L·ε·Σₖ|xₖᵢxₖⱼ| ≤ 2·L·ε·√(HᵢᵢHⱼⱼ)·(scale), and the S running-average steps add a
    /// few ε each. Tolerance: (2L + 4S)·ε·√(HᵢᵢHⱼⱼ) per entry (measured: well inside).
    @Test(arguments: ReferenceCase.names)
    func hessianMatchesTheReferenceWithinFloat32Rounding(name: String) throws {
        let c = try ReferenceCase(name)
        let acc = c.hessian()
        let expected = try c.floats("H.npy")
        let n = c.columns
        let calls = (c.samples + c.calibSeqLen - 1) / c.calibSeqLen
        #expect(acc.calls == calls)
        let k = Double(2 * c.calibSeqLen + 4 * calls) * Double(Float.ulpOfOne)
        let m = firstMismatch(
            expected, acc.h,
            tolerance: { i in
                let (a, b) = (i / n, i % n)
                return k * (Double(expected[a * n + a]) * Double(expected[b * n + b])).squareRoot()
            })
        #expect(m == nil, "\(name): \(m ?? "")")
    }

    /// n counts calls, not rows: a 1-row batch and a 3-row batch weigh the same. By hand:
    /// H = (2/2)·(x₁ᵀx₁ + X₂ᵀX₂) with x₁ = [1, 2] and X₂ = [[1, 0], [0, 1], [1, 1]]
    ///   = [[1, 2], [2, 4]] + [[2, 1], [1, 2]] = [[3, 3], [3, 6]].
    /// Tolerance 1e-6: √2 and √(2/2) are rounded to float32 before squaring.
    @Test func runningAverageWeighsCallsNotRows() {
        var acc = HessianAccumulator(columns: 2)
        acc.addBatch([1, 2], rows: 1)
        acc.addBatch([1, 0, 0, 1, 1, 1], rows: 3)
        #expect(acc.calls == 2)
        let expected: [Float] = [3, 3, 3, 6]
        #expect(firstMismatch(expected, acc.h, tolerance: { _ in 1e-6 }) == nil, "\(acc.h)")
    }
}
