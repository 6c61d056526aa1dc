import Core

/// Integer matrix multiplication: int8 × int8 products summed in Int32, then rescaled.
///
/// ```
/// a: [m][k] Int8      rows of A (tokens × features, say)
/// b: [n][k] Int8      rows of B — the nn.Linear weight layout, out × in: C = A · Bᵀ
/// c: [m][n] Int32     C[i][j] = Σ_p A[i][p] · B[j][p], exact
/// ```
///
/// Both operands are read along k, so every output is a dot product of two contiguous
/// rows: the layout int8 GEMM hardware (and bitsandbytes' `int8_linear_matmul`) uses.
///
/// **Why Int32.** One product of two int8 values lies in [−16 256, 16 384]; an Int16 holds
/// at most 32 767, so two products already fill it (see `Int16Accumulation`). An Int32
/// holds 2³¹ − 1 = 131 072 · 16 384 − 1, so k ≤ 131 071 can never overflow — the bound
/// `maxInnerDimension` checks. Within that bound the integer sum is exact, which is why
/// the int8 product equals the float product of the dequantized operands up to the
/// rounding of the final rescale.
///
/// **Rescaling** (`dequantize`) undoes both scales at once: with s_A[i] the scale of A's
/// row i and s_B[j] the scale of B's row j (absmax: s = 127 / absmax),
///
/// ```
/// Ĉ[i][j] = C[i][j] / (s_A[i] · s_B[j])
/// ```
///
/// One scale per row of A and per row of B (per output column) is exactly as fine as the
/// rescale can go: a scale per *block of k* would change inside the sum.
public enum Int8Matmul {
    /// The largest inner dimension whose worst-case sum, k · (−128)², fits in an Int32.
    public static let maxInnerDimension = Int(Int32.max) / (128 * 128)  // 131 071

    /// C = A · Bᵀ by the textbook loop, each product widened to Int32 before it is added.
    public static func referenceProduct(_ a: [Int8], _ b: [Int8], m: Int, k: Int, n: Int) -> [Int32] {
        checkSizes(a.count, b.count, m: m, k: k, n: n)
        // BEGIN EXERCISE 2d — int8 matmul with an Int32 accumulator, then rescale
        var c = [Int32](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Int32 = 0
                for p in 0..<k { sum += Int32(a[i * k + p]) * Int32(b[j * k + p]) }
                c[i * n + j] = sum
            }
        }
        return c
        // END EXERCISE 2d
    }

    /// Ĉ[i][j] = C[i][j] / (rowScales[i] · colScales[j]) — back from integers to floats.
    /// `rowScales`: one per row of A; `colScales`: one per row of B (column of C).
    ///
    /// Evaluation order: the two scales are multiplied first, in Float, and C[i][j] (as a
    /// Float) is divided by that product once. Dividing twice (C / s_A / s_B) is just as
    /// accurate but can differ in the last bit, and the golden outputs of Chapters 2 and 3
    /// are this order's.
    public static func dequantize(
        _ c: [Int32], rowScales: [Float], colScales: [Float]
    ) -> [Float] {
        let (m, n) = (rowScales.count, colScales.count)
        precondition(c.count == m * n, "\(c.count) accumulators for \(m)×\(n) scales")
        // BEGIN EXERCISE 2d — int8 matmul with an Int32 accumulator, then rescale
        var out = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n { out[i * n + j] = Float(c[i * n + j]) / (rowScales[i] * colScales[j]) }
        }
        return out
        // END EXERCISE 2d
    }

    static func checkSizes(_ aCount: Int, _ bCount: Int, m: Int, k: Int, n: Int) {
        precondition(m >= 0 && k >= 0 && n >= 0, "negative matrix size")
        precondition(aCount == m * k, "A holds \(aCount) values, expected \(m)×\(k)")
        precondition(bCount == n * k, "B holds \(bCount) values, expected \(n)×\(k)")
        precondition(k <= maxInnerDimension, "k = \(k) could overflow the Int32 accumulator")
    }
}
