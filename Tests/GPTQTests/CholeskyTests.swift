import Core
import GPTQ
import TestSupport
import Testing

@Suite struct CholeskyTests {

    /// A random symmetric positive definite n × n matrix: BᵀB/n + I with B ~ N(0, 1).
    static func spd(_ n: Int, seed: UInt64) -> [Float] {
        var rng = SeededRNG(seed: seed)
        let b = (0..<(n * n)).map { _ in Float(rng.normal()) }
        var a = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s: Float = 0
                for k in 0..<n { s += b[k * n + i] * b[k * n + j] }
                a[i * n + j] = s / Float(n) + (i == j ? 1 : 0)
            }
        }
        return a
    }

    /// The inverse times A is the identity (tolerance 1e-4: κ(A) ≲ 10 here, float32 sums of 16).
    @Test func inverseThroughTheFactorInvertsA() throws {
        let n = 16
        let a = Self.spd(n, seed: 9)
        let inv = Cholesky.inverse(fromLowerFactor: try Cholesky.lowerFactor(a, n: n), n: n)
        var worst: Float = 0
        for i in 0..<n {
            for j in 0..<n {
                var s: Float = 0
                for k in 0..<n { s += inv[i * n + k] * a[k * n + j] }
                worst = max(worst, abs(s - (i == j ? 1 : 0)))
            }
        }
        #expect(worst < 1e-4, "max |A⁻¹A − I| = \(worst)")
    }

    /// U = chol(H⁻¹, upper): upper triangular with a positive diagonal and UᵀU = H⁻¹
    /// (tolerance 1e-5 relative to the largest entry of H⁻¹).
    @Test func upperFactorOfTheInverseReproducesTheInverse() throws {
        let n = 12
        let a = Self.spd(n, seed: 4)
        let inv = Cholesky.inverse(fromLowerFactor: try Cholesky.lowerFactor(a, n: n), n: n)
        let u = try Cholesky.upperFactorOfInverse(a, n: n)
        let scale = inv.map(abs).max()!
        var log = MismatchLog("UᵀU vs H⁻¹")
        for i in 0..<n {
            for j in 0..<n {
                if i > j && u[i * n + j] != 0 {
                    log.add("U[\(i), \(j)] = \(u[i * n + j]) below the diagonal")
                }
                var s: Float = 0
                for k in 0..<n { s += u[k * n + i] * u[k * n + j] }
                if abs(s - inv[i * n + j]) > 1e-5 * scale {
                    log.add("(UᵀU)[\(i), \(j)] = \(s), H⁻¹ has \(inv[i * n + j])")
                }
            }
            if !(u[i * n + i] > 0) { log.add("U[\(i), \(i)] = \(u[i * n + i])") }
        }
        log.expectEmpty()
    }

    /// A singular matrix (rank 1) fails at the second pivot, and says so.
    @Test func singularMatrixNamesTheFailingPivot() {
        #expect(throws: Cholesky.NotPositiveDefinite(pivot: 1, value: 0)) {
            try Cholesky.lowerFactor([1, 2, 2, 4], n: 2)
        }
    }
}
