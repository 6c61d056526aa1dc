/// What `fasterquant` does to H (and W) before quantizing (Frantar et al. 2022,
/// arXiv:2210.17323, §4 "Step 3" for the damping; the dead-column rule is the reference's):
///
/// ```
/// dead = diag(H) == 0           an input that was always zero in the calibration data
/// H[i, i] = 1, W[:, i] = 0      for every dead i: the weight cannot matter, and H stays invertible
/// perm = argsort(diag H, desc)  act-order: the columns the data exercises most go first
/// H[i, i] += λ                  λ = percdamp · mean(diag H), after the dead fix and permutation
/// ```
public enum HessianPreparation {

    /// Sets H[i, i] = 1 and W[:, i] = 0 for every dead column i; returns the dead columns.
    @discardableResult
    public static func fixDeadColumns(h: inout [Float], w: inout [Float], rows: Int, columns n: Int)
        -> [Int]
    {
        let dead = (0..<n).filter { h[$0 * n + $0] == 0 }
        for i in dead {
            h[i * n + i] = 1
            for r in 0..<rows { w[r * n + i] = 0 }
        }
        return dead
    }

    /// Act-order's permutation: columns by decreasing diag(H) (ties keep their order).
    public static func actOrderPermutation(h: [Float], columns n: Int) -> [Int] {
        (0..<n).sorted { a, b in
            let (da, db) = (h[a * n + a], h[b * n + b])
            return da != db ? da > db : a < b
        }
    }

    /// Adds λ = percdamp · mean(diag H) to the diagonal. The mean is summed in Double and
    /// rounded once (PyTorch's float32 cascade sum is as accurate; a sequential float32 sum
    /// would drift by a few ulps on large layers); the product is float32 as the reference's.
    public static func dampen(h: inout [Float], columns n: Int, percent: Float) {
        var sum = 0.0
        for i in 0..<n { sum += Double(h[i * n + i]) }
        let mean = Float(sum) / Float(n)
        let damp = percent * mean
        for i in 0..<n { h[i * n + i] += damp }
    }

    /// The columns of w ([rows][n]) in the order `perm` (new column j = old column perm[j]).
    public static func permuteColumns(_ w: [Float], rows: Int, columns n: Int, perm: [Int])
        -> [Float]
    {
        var out = w
        for r in 0..<rows {
            for j in 0..<n { out[r * n + j] = w[r * n + perm[j]] }
        }
        return out
    }

    /// H[perm][:, perm].
    public static func permuteSymmetric(_ h: [Float], columns n: Int, perm: [Int]) -> [Float] {
        var out = h
        for i in 0..<n {
            for j in 0..<n { out[i * n + j] = h[perm[i] * n + perm[j]] }
        }
        return out
    }
}
