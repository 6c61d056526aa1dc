import GPTQ
import TestSupport
import Testing

/// Exercise 9b: `Cholesky.lowerFactor`.
@Suite struct Ex9b_CholeskyFactorTests {

    /// The classic hand example (e.g. Wikipedia "Cholesky decomposition", Example):
    /// [[4, 12, −16], [12, 37, −43], [−16, −43, 98]] = L·Lᵀ with
    /// L = [[2, 0, 0], [6, 1, 0], [−8, 5, 3]]. Every step is exact in float32 (√4 = 2,
    /// 12/2 = 6, √(37 − 36) = 1, …), so the factor is exact.
    @Test func factorOfAKnownMatrixIsExact() throws {
        let a: [Float] = [4, 12, -16, 12, 37, -43, -16, -43, 98]
        let l = try Cholesky.lowerFactor(a, n: 3)
        #expect(l == [2, 0, 0, 6, 1, 0, -8, 5, 3], "\(l)")
    }

    /// L·Lᵀ gives A back for a 6 × 6 matrix (tolerance 1e-5 · max|A|: float32 sums of 6 terms).
    @Test func factorTimesItsTransposeIsA() throws {
        let n = 6
        var a = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            // Hilbert + I
            for j in 0..<n { a[i * n + j] = 1 / Float(i + j + 1) + (i == j ? 1 : 0) }
        }
        let l = try Cholesky.lowerFactor(a, n: n)
        var log = MismatchLog("L·Lᵀ")
        for i in 0..<n {
            for j in 0..<n {
                if j > i && l[i * n + j] != 0 {
                    log.add("L[\(i), \(j)] = \(l[i * n + j]) above the diagonal")
                }
                var s: Float = 0
                for k in 0..<n { s += l[i * n + k] * l[j * n + k] }
                if abs(s - a[i * n + j]) > 2e-5 { log.add("[\(i), \(j)]: \(s) vs \(a[i * n + j])") }
            }
        }
        log.expectEmpty()
    }

    /// [[1, 2], [2, 3]] has determinant −1: the second pivot is 3 − 2² = −1.
    @Test func indefiniteMatrixThrowsAtItsPivot() {
        #expect(throws: Cholesky.NotPositiveDefinite(pivot: 1, value: -1)) {
            try Cholesky.lowerFactor([1, 2, 2, 3], n: 2)
        }
    }
}
