import Core

/// The fast path of `Cholesky`: U = chol(H⁻¹)ᵀ with one factorisation and one triangular
/// inverse instead of the reference's two factorisations, an inverse and a product — and
/// both steps blocked, so that almost all the work is products on Core's tiled `Matmul`
/// (what LAPACK's `spotrf`/`strtri` do with BLAS-3).
///
/// **Why one factorisation is enough.** Let J reverse the order of rows (J² = I) and factor
/// the reversed matrix, J H J = L Lᵀ (L lower). Then H = (J L J)(J L J)ᵀ, and R = J L J is
/// *upper* triangular (reversing both orders turns lower into upper). Hence
///
/// ```
/// H⁻¹ = R⁻ᵀ R⁻¹ = (R⁻¹)ᵀ (R⁻¹)        R⁻¹ upper triangular with a positive diagonal
/// U   = R⁻¹ = J L⁻¹ J                  the upper Cholesky factor is unique
/// ```
///
/// On a row-major [n][n] array, J A J is the array read backwards (entry i·n + j goes to
/// n² − 1 − (i·n + j)), so the whole chain is: reverse H, factor, invert, reverse.
///
/// ```
/// lowerFactorBlocked:    for each block column K (`blockWidth` wide):
///     L[K, K] = readable lowerFactor(A[K, K])                      (already updated)
///     L[below, K] = A[below, K] · L[K, K]⁻ᵀ                        one Matmul (by the
///                                                                  small readable inverse;
///                                                                  LAPACK substitutes)
///     A[below, below] −= L[below, K] · L[below, K]ᵀ                lower triangle only:
///                                                                  a Matmul per stripe
/// lowerInverseBlocked:   for each block row I, top to bottom (M = L⁻¹ is lower too):
///     M[I, I] = readable inverse of L[I, I]
///     M[I, 0 ..< i0] = −M[I, I] · (L[I, 0 ..< i0] · M[0 ..< i0, 0 ..< i0])
///                                                                  Matmuls per stripe
/// ```
///
/// (A stripe is `stripeWidth` columns; on or below the diagonal only, because the other
/// half of the product is known: the upper triangle of A is never read, and M[0..<i0, C] is
/// zero above row C's first.) Work: n³/3 + n³/3 flops against the chain's 4·n³/3.
///
/// **What changes**: the order of every sum, and the route — H⁻¹ is never formed. U differs
/// from the readable chain (and from PyTorch's) by rounding, about κ(H)·ε relative to its
/// largest entry: `CholeskyFastPathTests` checks U against the readable U on random SPD
/// matrices and on a GPTQ-like H, and that GPTQ's codes on every reference case do not
/// change. The readable loops in `Cholesky.swift` remain the ones to read.
extension Cholesky {
    /// Columns per block column: the width of the small factorisations and inverses done by
    /// the readable loops, and the depth of the trailing products.
    static let blockWidth = 128
    /// Columns per stripe of a triangular update (one Matmul call each).
    static let stripeWidth = 256

    /// L with A = L·Lᵀ, blocked. Same contract as `lowerFactor`: only the lower triangle of
    /// A is read; the failing pivot's index is global.
    public static func lowerFactorBlocked(_ a: [Float], n: Int) throws -> [Float] {
        precondition(a.count == n * n, "lowerFactorBlocked: \(a.count) values are not \(n) × \(n)")
        var work = a  // the lower triangle is updated in place and becomes L
        for k0 in stride(from: 0, to: n, by: blockWidth) {
            let block = k0..<min(k0 + blockWidth, n)
            let kb = block.count
            // 1. the diagonal block, already updated by the blocks to its left
            let lDiag: [Float]
            do {
                lDiag = try lowerFactor(copy(work, n: n, rows: block, columns: block), n: kb)
            } catch let e as NotPositiveDefinite {
                throw NotPositiveDefinite(pivot: k0 + e.pivot, value: e.value)
            }
            paste(lDiag, into: &work, n: n, rows: block, columns: block)
            let below = block.upperBound..<n
            guard !below.isEmpty else { continue }
            // 2. the panel P = A[below, K] · L_KK⁻ᵀ: [below][kb]
            let panel = Matmul.productTransposingB(
                copy(work, n: n, rows: below, columns: block), lowerInverse(lDiag, n: kb),
                m: below.count, k: kb, n: kb)
            paste(panel, into: &work, n: n, rows: below, columns: block)
            // 3. A[below, below] −= P Pᵀ, stripe by stripe: the stripe of columns s0 ..< s1
            //    needs the rows s0 ..< n only (P's rows from s0 on, times its rows s0 ..< s1).
            for s0 in stride(from: 0, to: below.count, by: stripeWidth) {
                let s1 = min(s0 + stripeWidth, below.count)
                let update = Matmul.productTransposingB(
                    Array(panel[(s0 * kb)...]), Array(panel[(s0 * kb)..<(s1 * kb)]),
                    m: below.count - s0, k: kb, n: s1 - s0)
                let origin = below.lowerBound + s0
                let columns = origin..<(origin + s1 - s0)
                subtract(update, from: &work, n: n, rows: origin..<n, columns: columns)
            }
        }
        // The stripes' diagonal squares also wrote above the diagonal: clear that half.
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) { work[i * n + j] = 0 }
        }
        return work
    }

    /// L⁻¹ of a lower triangular L ([n][n], nonzero diagonal), blocked: block row I of
    /// L · M = I reads L[I, I] M[I, I] = I and L[I, <I] M[<I, <I] + L[I, I] M[I, <I] = 0.
    public static func lowerInverseBlocked(_ l: [Float], n: Int) -> [Float] {
        precondition(l.count == n * n, "lowerInverseBlocked: \(l.count) values, n = \(n)")
        var m = [Float](repeating: 0, count: n * n)
        for i0 in stride(from: 0, to: n, by: blockWidth) {
            let block = i0..<min(i0 + blockWidth, n)
            let ib = block.count
            let mDiag = lowerInverse(copy(l, n: n, rows: block, columns: block), n: ib)
            paste(mDiag, into: &m, n: n, rows: block, columns: block)
            guard i0 > 0 else { continue }
            // t = L[I, 0 ..< i0] · M[0 ..< i0, 0 ..< i0], kept transposed: tT [i0][ib]. M is
            // lower triangular, so the stripe of columns s0 ..< s1 sums over the rows s0 ..< i0
            // only. (Transposed operands, so that every product is `productTransposingB`,
            // whose B is packed contiguously; the sums are the same.)
            var tT = [Float](repeating: 0, count: i0 * ib)
            for s0 in stride(from: 0, to: i0, by: stripeWidth) {
                let s1 = min(s0 + stripeWidth, i0)
                let partT = Matmul.productTransposingB(  // [s1 − s0][ib]
                    transposedCopy(m, n: n, rows: s0..<i0, columns: s0..<s1),
                    copy(l, n: n, rows: block, columns: s0..<i0),
                    m: s1 - s0, k: i0 - s0, n: ib)
                paste(partT, into: &tT, n: ib, rows: s0..<s1, columns: 0..<ib)
            }
            // M[I, 0 ..< i0] = −M[I, I] · t
            let rows = Matmul.productTransposingB(mDiag, tT, m: ib, k: ib, n: i0)
            subtract(rows, from: &m, n: n, rows: block, columns: 0..<i0)
        }
        return m
    }

    /// `upperFactorOfInverse` on the blocked kernels: U = J (chol(J H J))⁻¹ J (see above).
    /// A failing pivot is reported in H's own order (the reversed factorisation meets the
    /// trailing minors of H first, so it may name another column than the readable chain).
    public static func upperFactorOfInverseBlocked(_ h: [Float], n: Int) throws -> [Float] {
        precondition(h.count == n * n, "upperFactorOfInverseBlocked: \(h.count) values")
        let l: [Float]
        do {
            l = try lowerFactorBlocked(h.reversed(), n: n)
        } catch let e as NotPositiveDefinite {
            throw NotPositiveDefinite(pivot: n - 1 - e.pivot, value: e.value)
        }
        return lowerInverseBlocked(l, n: n).reversed()
    }

    /// M = L⁻¹ for a small lower triangular L ([n][n]) by forward substitution, one column at
    /// a time — the first half of `inverse(fromLowerFactor:)`, the readable loop.
    static func lowerInverse(_ l: [Float], n: Int) -> [Float] {
        var m = [Float](repeating: 0, count: n * n)
        for j in 0..<n {
            m[j * n + j] = 1 / l[j * n + j]
            for i in (j + 1)..<max(j + 1, n) {
                var sum: Float = 0
                for k in j..<i { sum += l[i * n + k] * m[k * n + j] }
                m[i * n + j] = -sum / l[i * n + i]
            }
        }
        return m
    }

    /// a[rows, columns] of a row-major matrix with `n` columns, as [rows][columns].
    static func copy(_ a: [Float], n: Int, rows: Range<Int>, columns: Range<Int>) -> [Float] {
        var out = [Float]()
        out.reserveCapacity(rows.count * columns.count)
        for r in rows {
            out.append(contentsOf: a[(r * n + columns.lowerBound)..<(r * n + columns.upperBound)])
        }
        return out
    }

    /// a[rows, columns]ᵀ of a row-major matrix with `n` columns, as [columns][rows]. In
    /// 32 × 32 tiles, so that the strided side of the copy stays in cache (a whole row at a
    /// time would touch a new page per value on a 4096-wide matrix).
    static func transposedCopy(_ a: [Float], n: Int, rows: Range<Int>, columns: Range<Int>)
        -> [Float]
    {
        let (height, width, tile) = (rows.count, columns.count, 32)
        return a.withUnsafeBufferPointer { a in
            uninitializedFloats(count: height * width) { out in
                for i0 in stride(from: 0, to: height, by: tile) {
                    for j0 in stride(from: 0, to: width, by: tile) {
                        for i in i0..<min(i0 + tile, height) {
                            let row = a.baseAddress!
                                + ((rows.lowerBound &+ i) &* n &+ columns.lowerBound)
                            for j in j0..<min(j0 + tile, width) { out[j &* height &+ i] = row[j] }
                        }
                    }
                }
            }
        }
    }

    /// a[rows, columns] = b ([rows][columns]).
    static func paste(
        _ b: [Float], into a: inout [Float], n: Int, rows: Range<Int>, columns: Range<Int>
    ) {
        let width = columns.count
        a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for (i, r) in rows.enumerated() {
                    let to = a.baseAddress! + r * n + columns.lowerBound
                    to.update(from: b.baseAddress! + i * width, count: width)
                }
            }
        }
    }

    /// a[rows, columns] −= b ([rows][columns]).
    static func subtract(
        _ b: [Float], from a: inout [Float], n: Int, rows: Range<Int>, columns: Range<Int>
    ) {
        let width = columns.count
        a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for (i, r) in rows.enumerated() {
                    let to = a.baseAddress! + (r &* n &+ columns.lowerBound)
                    let from = b.baseAddress! + (i &* width)
                    for c in 0..<width { to[c] -= from[c] }
                }
            }
        }
    }
}
