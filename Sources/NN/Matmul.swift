import Core

/// The three matrix products a layer's forward and backward passes need. The loop to read is
/// the i-k-j order over rows (`referenceAccumulate`); the products run the register-tiled
/// kernel of `TiledMatmul.swift`, which computes the same sums in the same order.
///
/// ```
/// product(a, b):              C = A · B     a: [m][k], b: [k][n]  →  c: [m][n]
/// productTransposingB(a, b):  C = A · Bᵀ    a: [m][k], b: [n][k]  →  c: [m][n]
/// accumulateTransposingA:     C += Aᵀ · B   a: [k][m], b: [k][n],    c: [m][n]
/// ```
///
/// **Why i-k-j.** The textbook i-j-k loop computes one dot product per output and walks B
/// down a column, a stride of n floats per step. Swapping the two inner loops makes the
/// innermost loop `c[i][·] += a[i][p] · b[p][·]`: one scalar times one *row* of B added to one
/// row of C — both rows contiguous, so the compiler vectorises it. `naiveProduct` keeps the
/// textbook loop as the reference the tests compare against; both add the k products of an
/// output in the same order (p = 0, 1, …), so in this case they agree exactly.
///
/// A Linear layer's forward pass is `x · Wᵀ` (W is out × in, the `nn.Linear` layout).
/// `productTransposingB` makes no transposed copy of W first: the tiled kernel copies B into
/// strips of 8 columns anyway ("packing"), and reads W's rows into those strips as it packs.
///
/// **Naive first, fast second.** `referenceAccumulate` below is that i-k-j loop, the one to
/// read. The three public products run the tiled kernel of `TiledMatmul.swift` instead: the
/// same sums with a 6 × 8 tile of C held in registers while p runs, so each output still
/// adds its k products one by one, p = 0, 1, …, starting from 0 (or from C when
/// accumulating) — the results are identical bit for bit, and `MatmulFastPathTests` checks
/// that they are. In the TinyGPT training step the products run at about 44 GFLOP/s on one
/// core (default x86-64 target) against 18 for the i-k-j loop.
public enum Matmul {

    /// C = A · B by the textbook i-j-k loop (the reference).
    public static func naiveProduct(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        precondition(a.count == m * k && b.count == k * n, "naiveProduct: sizes do not match m=\(m) k=\(k) n=\(n)")
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k { sum += a[i * k + p] * b[p * n + j] }
                c[i * n + j] = sum
            }
        }
        return c
    }

    /// C = A · B by the tiled kernel: C[i][j] = Σₚ a[i][p] · b[p][j], p = 0, 1, … in order —
    /// the sums of the i-k-j reference, bit for bit.
    public static func product(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        precondition(a.count == m * k && b.count == k * n, "product: sizes do not match m=\(m) k=\(k) n=\(n)")
        return tiledProduct(a, aTransposed: false, b, bTransposed: false, m: m, k: k, n: n)
    }

    /// C = A · Bᵀ where B is stored n × k (a weight matrix in the `nn.Linear` layout).
    public static func productTransposingB(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        precondition(
            a.count == m * k && b.count == n * k,
            "productTransposingB: sizes do not match m=\(m) k=\(k) n=\(n)")
        return tiledProduct(a, aTransposed: false, b, bTransposed: true, m: m, k: k, n: n)
    }

    /// C += Aᵀ · B where A is stored k × m. Accumulates, as a weight gradient must.
    public static func accumulateTransposingA(
        into c: inout [Float], _ a: [Float], _ b: [Float], m: Int, k: Int, n: Int
    ) {
        precondition(a.count == k * m && b.count == k * n && c.count == m * n,
                     "accumulateTransposingA: sizes do not match m=\(m) k=\(k) n=\(n)")
        tiledAccumulate(into: &c, a, aTransposed: true, b, bTransposed: false, m: m, k: k, n: n)
    }

    /// The transpose of a rows × cols matrix.
    public static func transpose(_ a: [Float], rows: Int, cols: Int) -> [Float] {
        precondition(a.count == rows * cols, "transpose: \(a.count) values are not \(rows) × \(cols)")
        var t = [Float](repeating: 0, count: a.count)
        for r in 0..<rows {
            for c in 0..<cols { t[c * rows + r] = a[r * cols + c] }
        }
        return t
    }

    /// The readable kernel (the reference for `tiledAccumulate`): C[i][·] += A[i][p] · B[p][·]
    /// for p in 0..<k, with A[i][p] read from `a[i·k + p]`, or from `a[p·m + i]` when
    /// `aTransposed` (A stored k × m). Unsafe pointers and wrapping index arithmetic (`&+`,
    /// `&*`) let the inner loop vectorise.
    public static func referenceAccumulate(
        into c: inout [Float], _ a: [Float], aTransposed: Bool, _ b: [Float], m: Int, k: Int, n: Int
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    let a = a.baseAddress!, b = b.baseAddress!, c = c.baseAddress!
                    for i in 0..<m {
                        let cRow = c + i &* n
                        for p in 0..<k {
                            let aip = aTransposed ? a[p &* m &+ i] : a[i &* k &+ p]
                            let bRow = b + p &* n
                            for j in 0..<n { cRow[j] += aip * bRow[j] }
                        }
                    }
                }
            }
        }
    }
}
