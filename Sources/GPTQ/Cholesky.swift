/// The Cholesky factorisation, written out: A = L·Lᵀ for a symmetric positive definite A,
/// L lower triangular with a positive diagonal. GPTQ needs it three times (Frantar et al.
/// 2022, arXiv:2210.17323, §4 Step 3 "Cholesky Reformulation"), as the reference chains
/// PyTorch's LAPACK calls:
///
/// ```
/// L    = cholesky(H)                 H = L Lᵀ                        lowerFactor
/// H⁻¹  = cholesky_inverse(L)         H⁻¹ = L⁻ᵀ L⁻¹                   inverse(fromLowerFactor:)
/// U    = cholesky(H⁻¹, upper=True)   H⁻¹ = Uᵀ U, U upper triangular  upperFactor
/// ```
///
/// Why the upper factor of H⁻¹: when GPTQ quantizes columns in a fixed order, the rows of the
/// inverse Hessian it needs after removing columns 0 … j−1 are exactly the rows of U (up to a
/// scale): row j of U, divided by U[j, j], is row j of H⁻¹ with the first j columns
/// eliminated. One factorisation up front replaces the paper's repeated rank-one downdates of
/// H⁻¹ (§3, eq. 3), which accumulate error and break down at scale.
///
/// The loops are the textbook ones (Golub & Van Loan, Algorithm 4.2.1, dot products summed
/// k = 0, 1, … in float32). LAPACK's `spotrf` is blocked and recursive, so it sums in another
/// order: our factors agree with PyTorch's to a few float32 ulps, not bit for bit.
public enum Cholesky {

    /// A is not positive definite: the pivot A[k, k] − Σ L[k, i]² was not positive
    /// (LAPACK's `info = k + 1`: the leading minor of order k + 1 is not positive definite).
    public struct NotPositiveDefinite: Error, CustomStringConvertible, Equatable {
        /// The 0-based column whose pivot failed.
        public let pivot: Int
        /// The value under the square root (≤ 0, or NaN).
        public let value: Float
        public init(pivot: Int, value: Float) {
            self.pivot = pivot
            self.value = value
        }
        public var description: String {
            "not positive definite: Cholesky pivot \(pivot) is \(value)"
        }
    }

    /// L with A = L·Lᵀ (exercise 9b). `a`: [n][n] row-major, symmetric (only the lower
    /// triangle is read). Returns [n][n] with zeros above the diagonal.
    ///
    /// ```
    /// L[j, j] = sqrt(A[j, j] − Σ_{k<j} L[j, k]²)
    /// L[i, j] = (A[i, j] − Σ_{k<j} L[i, k] L[j, k]) / L[j, j]      i > j
    /// ```
    public static func lowerFactor(_ a: [Float], n: Int) throws -> [Float] {
        precondition(a.count == n * n, "lowerFactor: \(a.count) values are not \(n) × \(n)")
        var l = [Float](repeating: 0, count: n * n)
        // BEGIN EXERCISE 9b — the Cholesky factor
        for j in 0..<n {
            var pivot = a[j * n + j]
            for k in 0..<j { pivot -= l[j * n + k] * l[j * n + k] }
            guard pivot > 0 else { throw NotPositiveDefinite(pivot: j, value: pivot) }
            let diagonal = pivot.squareRoot()
            l[j * n + j] = diagonal
            for i in (j + 1)..<max(j + 1, n) {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = sum / diagonal
            }
        }
        // END EXERCISE 9b
        return l
    }

    /// U with A = Uᵀ·U (upper triangular): the transpose of `lowerFactor` — the same sums.
    public static func upperFactor(_ a: [Float], n: Int) throws -> [Float] {
        transpose(try lowerFactor(a, n: n), n: n)
    }

    /// A⁻¹ from A's lower factor L, as LAPACK's `spotri` (PyTorch's `cholesky_inverse`)
    /// computes it: first L⁻¹ by forward substitution, then A⁻¹ = (L⁻¹)ᵀ · L⁻¹.
    public static func inverse(fromLowerFactor l: [Float], n: Int) -> [Float] {
        precondition(l.count == n * n)
        // lInv: [n][n] lower triangular, L · lInv = I, one column at a time.
        var lInv = [Float](repeating: 0, count: n * n)
        for j in 0..<n {
            lInv[j * n + j] = 1 / l[j * n + j]
            for i in (j + 1)..<max(j + 1, n) {
                var sum: Float = 0
                for k in j..<i { sum += l[i * n + k] * lInv[k * n + j] }
                lInv[i * n + j] = -sum / l[i * n + i]
            }
        }
        // A⁻¹[i, j] = Σ_{k ≥ max(i, j)} lInv[k, i] · lInv[k, j]   (symmetric: fill both halves)
        var inv = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum: Float = 0
                for k in i..<n { sum += lInv[k * n + i] * lInv[k * n + j] }
                inv[i * n + j] = sum
                inv[j * n + i] = sum
            }
        }
        return inv
    }

    /// The reference's chain: U = upper Cholesky factor of H⁻¹ (H already damped).
    public static func upperFactorOfInverse(_ h: [Float], n: Int) throws -> [Float] {
        let l = try lowerFactor(h, n: n)
        return try upperFactor(inverse(fromLowerFactor: l, n: n), n: n)
    }

    static func transpose(_ a: [Float], n: Int) -> [Float] {
        var t = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { t[j * n + i] = a[i * n + j] }
        }
        return t
    }
}
