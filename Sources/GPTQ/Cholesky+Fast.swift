import Core

/// The fast path of `Cholesky`: the same three steps, blocked so that almost all the work is
/// matrix products on Core's tiled `Matmul` (what LAPACK's `spotrf`/`spotri` do with BLAS-3).
///
/// ```
/// lowerFactorBlocked:  for each block column J (64 wide):
///     factor A[J, J] with the readable loops;  L[below, J] = A[below, J] · L[J, J]⁻ᵀ
///     A[below, below] −= L[below, J] · L[below, J]ᵀ          ← Matmul, ~all of the n³/3
/// inverseBlocked:      M = L⁻¹ row by row (row i = −Σ_{k<i} L[i, k] · row k, / L[i, i],
///                      contiguous rows instead of the readable path's strided columns);
///                      A⁻¹ = Mᵀ M by k-blocks of M, each block only over the columns it reaches
/// ```
///
/// What changes: the order of every sum, so the factors differ from the readable ones in the
/// last float32 bits (tested: the same matrices to ~1e-5 relative, and GPTQ's codes on the
/// reference cases). The readable loops in `Cholesky.swift` remain the ones to read.
extension Cholesky {
    static let blockWidth = 64

    /// L with A = L·Lᵀ, blocked. Same contract as `lowerFactor` (the failing pivot's index
    /// is global).
    public static func lowerFactorBlocked(_ a: [Float], n: Int) throws -> [Float] {
        precondition(a.count == n * n, "lowerFactorBlocked: \(a.count) values are not \(n) × \(n)")
        var work = a  // the lower triangle is updated in place and becomes L
        let b = blockWidth
        for j0 in stride(from: 0, to: n, by: b) {
            let jb = min(b, n - j0)
            // 1. the diagonal block, already updated by the blocks to its left
            var diag = [Float](repeating: 0, count: jb * jb)
            for i in 0..<jb {
                for j in 0..<jb { diag[i * jb + j] = work[(j0 + i) * n + j0 + j] }
            }
            let lDiag: [Float]
            do {
                lDiag = try lowerFactor(diag, n: jb)
            } catch let e as NotPositiveDefinite {
                throw NotPositiveDefinite(pivot: j0 + e.pivot, value: e.value)
            }
            for i in 0..<jb {
                for j in 0..<jb { work[(j0 + i) * n + j0 + j] = lDiag[i * jb + j] }
            }
            let below = n - j0 - jb
            guard below > 0 else { continue }
            // 2. the panel: each row i below solves x · L_JJᵀ = A[i, J] by forward substitution
            var panel = [Float](repeating: 0, count: below * jb)  // [below][jb]
            for r in 0..<below {
                let row = (j0 + jb + r) * n + j0
                for j in 0..<jb {
                    var sum = work[row + j]
                    for k in 0..<j { sum -= panel[r * jb + k] * lDiag[j * jb + k] }
                    panel[r * jb + j] = sum / lDiag[j * jb + j]
                }
                for j in 0..<jb { work[row + j] = panel[r * jb + j] }
            }
            // 3. the trailing update A[below, below] −= P Pᵀ
            let update = Matmul.productTransposingB(panel, panel, m: below, k: jb, n: below)
            for r in 0..<below {
                let row = (j0 + jb + r) * n + j0 + jb
                for c in 0...r { work[row + c] -= update[r * below + c] }
            }
        }
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) { work[i * n + j] = 0 }
        }
        return work
    }

    /// A⁻¹ from A's lower factor, blocked (`inverse(fromLowerFactor:)`'s fast twin).
    public static func inverseBlocked(fromLowerFactor l: [Float], n: Int) -> [Float] {
        precondition(l.count == n * n)
        // m = L⁻¹: [n][n] lower triangular, built row by row.
        var m = [Float](repeating: 0, count: n * n)
        m.withUnsafeMutableBufferPointer { m in
            l.withUnsafeBufferPointer { l in
                for i in 0..<n {
                    let rowI = m.baseAddress! + i * n
                    for k in 0..<i {
                        let lik = l[i * n + k]
                        let rowK = m.baseAddress! + k * n
                        for c in 0...k { rowI[c] -= lik * rowK[c] }
                    }
                    let inv = 1 / l[i * n + i]
                    for c in 0..<i { rowI[c] *= inv }
                    rowI[i] = inv
                }
            }
        }
        // A⁻¹ = Mᵀ M: the rows k0 ..< k0 + kb of M reach columns 0 ..< k0 + kb only.
        var inv = [Float](repeating: 0, count: n * n)
        let b = 4 * blockWidth
        for k0 in stride(from: 0, to: n, by: b) {
            let kb = min(b, n - k0)
            let width = k0 + kb
            var slab = [Float](repeating: 0, count: kb * width)  // M[k0 ..< k0+kb, 0 ..< width]
            for r in 0..<kb {
                for c in 0..<width { slab[r * width + c] = m[(k0 + r) * n + c] }
            }
            var part = [Float](repeating: 0, count: width * width)
            Matmul.accumulateTransposingA(into: &part, slab, slab, m: width, k: kb, n: width)
            for r in 0..<width {
                for c in 0..<width { inv[r * n + c] += part[r * width + c] }
            }
        }
        return inv
    }

    /// `upperFactorOfInverse` on the blocked kernels.
    public static func upperFactorOfInverseBlocked(_ h: [Float], n: Int) throws -> [Float] {
        let l = try lowerFactorBlocked(h, n: n)
        return transpose(
            try lowerFactorBlocked(inverseBlocked(fromLowerFactor: l, n: n), n: n), n: n)
    }
}
