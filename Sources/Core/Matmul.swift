/// The float32 matrix products of the whole house: a layer's forward and backward passes
/// (NN, LoRA, QLoRA), LLM.int8()'s float reference (Chapters 2–3), GPTQ's and AWQ's layer
/// outputs. One matmul, so that every float product in the book is the same sum.
///
/// ```
/// product(a, b):              C = A · B     a: [m][k], b: [k][n]  →  c: [m][n]
/// productTransposingB(a, b):  C = A · Bᵀ    a: [m][k], b: [n][k]  →  c: [m][n]
/// accumulateTransposingA:     C += Aᵀ · B   a: [k][m], b: [k][n],    c: [m][n]
/// ```
///
/// **Readable first, fast beside it** (the house convention: `X.swift` holds the type and
/// its readable `reference…` code, `X+Fast.swift` the fast path, and a `…FastPathTests`
/// suite proves them bit for bit equal). Here the readable code is two plain loops:
/// `referenceProduct`, the textbook i-j-k loop (one dot product per output), and
/// `referenceAccumulate`, the i-k-j loop. **Why i-k-j.** The textbook loop walks B down a
/// column, a stride of n floats per step. Swapping the two inner loops makes the innermost
/// loop `c[i][·] += a[i][p] · b[p][·]`: one scalar times one *row* of B added to one row of
/// C, both contiguous — the order every fast kernel starts from. Both loops add the k
/// products of an output in the same order (p = 0, 1, …), so they agree exactly.
///
/// The public products run the register-tiled kernel of `Matmul+Fast.swift`: the same sums
/// with a 6 × 8 tile of C held in registers while p runs, so each output still adds its k
/// products one by one, p = 0, 1, …, starting from 0 (or from C when accumulating) — the
/// results are identical bit for bit (`MatmulFastPathTests`). A Linear layer's forward pass
/// is `x · Wᵀ` (W is out × in, the `nn.Linear` layout): `productTransposingB` makes no
/// transposed copy of W, because the tiled kernel copies B into strips of 8 columns anyway
/// ("packing") and reads W's rows into those strips as it packs. In the TinyGPT training
/// step the products run at about 44 GFLOP/s on one core (default x86-64 target) against 18
/// for the i-k-j loop; large products are also shared out over the cores (`KernelThreads`).
public enum Matmul {

    /// C = A · B by the textbook i-j-k loop (the reference).
    public static func referenceProduct(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        precondition(a.count == m * k && b.count == k * n, "referenceProduct: sizes do not match m=\(m) k=\(k) n=\(n)")
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

    /// C = A · Bᵀ (+ bias) where B is stored n × k (a weight matrix in the `nn.Linear` layout).
    /// The bias, when given, is added to each finished sum before it is stored: the same one
    /// addition per output as a separate loop after the product.
    public static func productTransposingB(
        _ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, bias: [Float]? = nil
    ) -> [Float] {
        precondition(
            a.count == m * k && b.count == n * k,
            "productTransposingB: sizes do not match m=\(m) k=\(k) n=\(n)")
        return tiledProduct(a, aTransposed: false, b, bTransposed: true, m: m, k: k, n: n, bias: bias)
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
    /// `aTransposed` (A stored k × m).
    public static func referenceAccumulate(
        into c: inout [Float], _ a: [Float], aTransposed: Bool, _ b: [Float], m: Int, k: Int, n: Int
    ) {
        precondition(a.count == m * k && b.count == k * n && c.count == m * n, "referenceAccumulate: sizes")
        for i in 0..<m {
            for p in 0..<k {
                let aip = aTransposed ? a[p * m + i] : a[i * k + p]
                for j in 0..<n { c[i * n + j] += aip * b[p * n + j] }
            }
        }
    }
}
