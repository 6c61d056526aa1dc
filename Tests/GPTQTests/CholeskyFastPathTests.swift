import Core
import Foundation
import GPTQ
import TestSupport
import Testing

/// `Cholesky+Fast.swift` against the readable loops: the same factors up to summation order,
/// the reversed route to U against the reference's chain, and GPTQ's codes on the reference
/// cases unchanged by the switch.
@Suite struct CholeskyFastPathTests {

    /// Entries of `x` within `relative` × (the largest |entry| of `y`) of `y`'s.
    static func close(_ x: [Float], _ y: [Float], relative: Double, _ what: String) {
        let scale = Double(y.map(abs).max()!)
        let m = firstMismatch(y, x, tolerance: { _ in relative * scale })
        #expect(m == nil, "\(what): \(m ?? "")")
    }

    /// n = 150: two 128-wide blocks (the last one short), one stripe. n = 420: four blocks and
    /// two 256-wide stripes of the trailing update and of the inverse. Tolerance 1e-5 relative
    /// to the largest entry: float32 sums of ≤ n terms in another order, on matrices with
    /// κ ≲ 10 (BᵀB/n + I), where the rounding of either side is a few 1e-7.
    @Test(arguments: [150, 420])
    func blockedKernelsComputeTheReadableOnesUpToRounding(n: Int) throws {
        let a = CholeskyTests.spd(n, seed: 21)
        let l = try Cholesky.lowerFactor(a, n: n)
        Self.close(try Cholesky.lowerFactorBlocked(a, n: n), l, relative: 1e-5, "L")
        // The readable inverse's first half is L⁻¹; its product Mᵀ M is A⁻¹.
        let m = Cholesky.lowerInverseBlocked(l, n: n)
        var inverse = [Float](repeating: 0, count: n * n)
        Matmul.accumulateTransposingA(into: &inverse, m, m, m: n, k: n, n: n)
        Self.close(inverse, Cholesky.inverse(fromLowerFactor: l, n: n), relative: 1e-5, "A⁻¹")
    }

    /// U = J chol(J H J)⁻¹ J (one factorisation, one inverse) is the reference's
    /// chol(chol⁻¹(H))ᵀ (two factorisations, an inverse and a product): the same upper factor
    /// of H⁻¹, equal up to rounding. On GPTQ-like H as well (a Gram matrix of fewer samples
    /// than columns, inputs with scales spanning e^±2, damped by 1 % of mean diag H:
    /// κ ~ 10⁴), where both routes round by ~κ·ε relative to U's largest entry: 1e-3 there.
    @Test(arguments: [(150, false), (420, false), (300, true)])
    func reversedRouteGivesTheReferenceUpperFactor(n: Int, gptqLike: Bool) throws {
        var h = CholeskyTests.spd(n, seed: 22)
        if gptqLike {
            var rng = SeededRNG(seed: 23)
            let samples = n / 2
            let scale = (0..<n).map { _ in Float(exp(0.75 * rng.normal())) }
            var x = [Float](repeating: 0, count: samples * n)
            for s in 0..<samples {
                for c in 0..<n { x[s * n + c] = Float(rng.normal()) * scale[c] }
            }
            h = [Float](repeating: 0, count: n * n)
            Matmul.accumulateTransposingA(into: &h, x, x, m: n, k: samples, n: n)
            HessianPreparation.dampen(h: &h, columns: n, percent: 0.01)
        }
        let readable = try Cholesky.upperFactorOfInverse(h, n: n)
        let fast = try Cholesky.upperFactorOfInverseBlocked(h, n: n)
        Self.close(fast, readable, relative: gptqLike ? 1e-3 : 1e-5, "U (n = \(n))")
        // U is upper triangular with a positive diagonal, as a Cholesky factor must be.
        for i in 0..<n {
            #expect(fast[i * n + i] > 0, "U[\(i), \(i)] = \(fast[i * n + i])")
            for j in 0..<i where fast[i * n + j] != 0 {
                Issue.record("U[\(i), \(j)] = \(fast[i * n + j]) below the diagonal")
                return
            }
        }
    }

    /// A failing pivot in a later block is reported with its global index: a rank-150 Gram
    /// matrix of size 200 fails at pivot 150 (or, by rounding, just after it) in both paths.
    @Test func blockedFactorReportsTheGlobalPivot() {
        let (n, rank) = (200, 150)
        var b = [Float](repeating: 0, count: rank * n)
        for k in 0..<rank {
            b[k * n + k] = 1
            b[k * n + (k + 7) % n] = 0.5
        }
        var a = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                for k in 0..<rank { a[i * n + j] += b[k * n + i] * b[k * n + j] }
            }
        }
        var pivots: [Int] = []
        for factor in [Cholesky.lowerFactor, Cholesky.lowerFactorBlocked] {
            do {
                _ = try factor(a, n)
                Issue.record("a rank-\(rank) matrix was factored")
            } catch let e as Cholesky.NotPositiveDefinite {
                pivots.append(e.pivot)
            } catch { Issue.record("\(error)") }
        }
        #expect(pivots.count == 2 && pivots.allSatisfy { $0 >= rank - 1 && $0 < n }, "\(pivots)")
    }

    /// The reversed route fails on a matrix that is not positive definite, too.
    @Test func reversedRouteRejectsASingularMatrix() {
        var a = CholeskyTests.spd(200, seed: 24)
        for j in 0..<200 { a[30 * 200 + j] = a[31 * 200 + j] }  // rows 30 and 31 equal …
        for i in 0..<200 { a[i * 200 + 30] = a[i * 200 + 31] }  // … and columns: singular
        // The factor is discarded, so that a failure does not quote 40,000 values.
        #expect(throws: Cholesky.NotPositiveDefinite.self) {
            _ = try Cholesky.upperFactorOfInverseBlocked(a, n: 200)
        }
    }

    /// GPTQ with the blocked chain keeps every reference case's codes (≥ 98 % is the bar; measured:
    /// all of them, as with the readable chain).
    @Test(arguments: ReferenceCase.names)
    func gptqCodesDoNotDependOnTheCholeskyPath(name: String) throws {
        let c = try ReferenceCase(name)
        var config = c.configuration
        config.blockedCholesky = true
        let fast = try GPTQ.quantize(
            weight: c.w, rows: c.rows, columns: c.columns, hessian: c.hessian().h,
            configuration: config)
        let expected = try c.ints("codes.npy")
        let equal = equalCount(fast.codes.map { Int($0) }, expected)
        #expect(
            equal == expected.count,
            "\(name): \(equal) of \(expected.count) (the readable chain: all)")
        #expect(
            Double(equal) >= 0.98 * Double(expected.count), "\(name): \(equal) of \(expected.count)"
        )
    }
}
