import GPTQ
import TestSupport
import Testing

/// `Cholesky+Fast.swift` against the readable loops: the same factors up to summation order,
/// and GPTQ's codes on the reference cases unchanged by the switch.
@Suite struct CholeskyFastPathTests {

    /// n = 150 spans three 64-wide blocks (the last one short) and a partial 256-row slab.
    /// Tolerance 1e-5 relative to the largest entry: float32 sums of ≤ 150 terms in another
    /// order, on a matrix with κ ≲ 10 (BᵀB/n + I).
    @Test func blockedKernelsComputeTheReadableOnesUpToRounding() throws {
        let n = 150
        let a = CholeskyTests.spd(n, seed: 21)
        func close(_ x: [Float], _ y: [Float], _ what: String) {
            let scale = Double(y.map(abs).max()!)
            let m = firstMismatch(y, x, tolerance: { _ in 1e-5 * scale })
            #expect(m == nil, "\(what): \(m ?? "")")
        }
        let l = try Cholesky.lowerFactor(a, n: n)
        close(try Cholesky.lowerFactorBlocked(a, n: n), l, "L")
        close(
            Cholesky.inverseBlocked(fromLowerFactor: l, n: n),
            Cholesky.inverse(fromLowerFactor: l, n: n), "A⁻¹")
        close(
            try Cholesky.upperFactorOfInverseBlocked(a, n: n),
            try Cholesky.upperFactorOfInverse(a, n: n), "U")
    }

    /// A failing pivot in a later block is reported with its global index: a rank-70 Gram
    /// matrix of size 100 fails at pivot 70 (or, by rounding, just after it) in both paths.
    @Test func blockedFactorReportsTheGlobalPivot() {
        let (n, rank) = (100, 70)
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
        #expect(equal == expected.count, "\(name): \(equal) of \(expected.count) (the readable chain: all)")
        #expect(
            Double(equal) >= 0.98 * Double(expected.count), "\(name): \(equal) of \(expected.count)"
        )
    }
}
