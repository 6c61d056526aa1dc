import GPTQ
import TestSupport
import Testing

/// Exercise 9a: `HessianAccumulator.addBatch` — the reference's running average over calls.
@Suite struct Ex9a_HessianAccumulationTests {

    /// One batch: H = 2·xᵀx. x = [[1, 2], [3, −1]] → xᵀx = [[10, −1], [−1, 5]],
    /// H = [[20, −2], [−2, 10]].
    /// Tolerance 1e-5 relative: √2 is rounded to float32 before it is squared.
    @Test func oneBatchIsTwiceXTransposeX() {
        var acc = HessianAccumulator(columns: 2)
        acc.addBatch([1, 2, 3, -1], rows: 2)
        #expect(acc.calls == 1)
        let expected: [Float] = [20, -2, -2, 10]
        #expect(
            firstMismatch(expected, acc.h, tolerance: { i in 1e-5 * Double(abs(expected[i])) })
                == nil, "\(acc.h)")
    }

    /// Two calls average: H = (2/2)·(x₁ᵀx₁ + x₂ᵀx₂), each call counted once whatever its rows.
    /// x₁ = [[1, 0]], x₂ = [[0, 1], [0, 1], [1, 1]]:
    /// [[1, 0], [0, 0]] + [[1, 1], [1, 3]] = [[2, 1], [1, 3]].
    @Test func callsNotRowsAreAveraged() {
        var acc = HessianAccumulator(columns: 2)
        acc.addBatch([1, 0], rows: 1)
        acc.addBatch([0, 1, 0, 1, 1, 1], rows: 3)
        #expect(acc.calls == 2)
        let expected: [Float] = [2, 1, 1, 3]
        #expect(
            firstMismatch(expected, acc.h, tolerance: { i in 1e-5 * Double(abs(expected[i])) })
                == nil, "\(acc.h)")
    }

    /// The reference's H of w4_g32 (4 calls of 32 rows), to float32 summation order:
    /// tolerance (2L + 4S)·ε·√(HᵢᵢHⱼⱼ) as HessianTests derives it.
    @Test func matchesTheReferenceHessian() throws {
        let c = try ReferenceCase("w4_g32")
        let h = c.hessian().h
        let expected = try c.floats("H.npy")
        let n = c.columns
        let k = Double(2 * 32 + 4 * 4) * Double(Float.ulpOfOne)
        let m = firstMismatch(
            expected, h,
            tolerance: { i in
                let (a, b) = (i / n, i % n)
                return k * (Double(expected[a * n + a]) * Double(expected[b * n + b])).squareRoot()
            })
        #expect(m == nil, "\(m ?? "")")
    }
}
