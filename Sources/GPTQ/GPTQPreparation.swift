/// The part of `fasterquant` both paths share: the row grids, the dead columns, the static
/// groups, act-order's permutation, damping and U = chol(H⁻¹)ᵀ — in the reference's order.
struct GPTQPreparation {
    /// W after dead-column zeroing, columns in processing order.
    var w: [Float]
    /// U: [n][n], the upper Cholesky factor of the damped, permuted H's inverse.
    var u: [Float]
    /// Processing position j holds original column perm[j].
    var perm: [Int]
    /// Without groups: each row's grid, fitted ONCE on the original W (before dead zeroing).
    var rowGrids: [MinMaxQuantizer.Grid]
    /// With static groups: group g's grids ([g][row]), fitted up front on the dead-zeroed W
    /// in ORIGINAL column order.
    var staticGrids: [[MinMaxQuantizer.Grid]]

    init(
        weight: [Float], rows: Int, columns n: Int, hessian: [Float],
        configuration c: GPTQConfiguration,
        quantizer: MinMaxQuantizer
    ) throws {
        precondition(
            weight.count == rows * n && hessian.count == n * n,
            "GPTQ: W is not rows × n or H not n × n")
        if let problem = c.problem(columns: n) { preconditionFailure("GPTQ: \(problem)") }
        var w = weight
        var h = hessian
        rowGrids = quantizer.fit(w, rows: rows, columns: n, columnRange: 0..<n)
        HessianPreparation.fixDeadColumns(h: &h, w: &w, rows: rows, columns: n)
        staticGrids = []
        if let g = c.groupSize, c.staticGroups {
            staticGrids = stride(from: 0, to: n, by: g).map {
                quantizer.fit(w, rows: rows, columns: n, columnRange: $0..<($0 + g))
            }
        }
        perm = Array(0..<n)
        if c.actOrder {
            perm = HessianPreparation.actOrderPermutation(h: h, columns: n)
            w = HessianPreparation.permuteColumns(w, rows: rows, columns: n, perm: perm)
            h = HessianPreparation.permuteSymmetric(h, columns: n, perm: perm)
        }
        HessianPreparation.dampen(h: &h, columns: n, percent: c.dampingPercent)
        u =
            try c.blockedCholesky
            ? Cholesky.upperFactorOfInverseBlocked(h, n: n) : Cholesky.upperFactorOfInverse(h, n: n)
        self.w = w
    }
}

/// Collects a path's per-column outputs in processing order and builds the `GPTQResult`
/// (act-order undone, each original column's group recorded).
struct GPTQResultBuilder {
    let rows: Int
    let columns: Int
    let perm: [Int]
    var dequantized: [Float]
    var codes: [UInt8]
    var losses: [Float]
    var gIdx: [Int]
    /// Grids per group index, [group][row].
    var groupGrids: [[MinMaxQuantizer.Grid]]

    init(rows: Int, columns: Int, perm: [Int], groups: Int) {
        self.rows = rows
        self.columns = columns
        self.perm = perm
        dequantized = [Float](repeating: 0, count: rows * columns)
        codes = [UInt8](repeating: 0, count: rows * columns)
        losses = [Float](repeating: 0, count: columns)
        gIdx = [Int](repeating: 0, count: columns)
        groupGrids = [[MinMaxQuantizer.Grid]](repeating: [], count: groups)
    }

    /// Stores processing position j's step (it lands in original column perm[j]), quantized
    /// on group `group`'s grids.
    mutating func record(
        position j: Int, _ step: ErrorFeedback.ColumnStep, group: Int,
        grids: [MinMaxQuantizer.Grid]
    ) {
        let c = perm[j]
        for r in 0..<rows {
            dequantized[r * columns + c] = step.dequantized[r]
            codes[r * columns + c] = UInt8(exactly: step.codes[r]) ?? 0  // NaN only from a 0 scale
        }
        var loss: Float = 0
        for e in step.error { loss += e * e }
        losses[j] = loss / 2
        gIdx[c] = group
        if groupGrids[group].isEmpty { groupGrids[group] = grids }
    }

    func result() -> GPTQResult {
        let groups = groupGrids.count
        var scales = [Float](repeating: 0, count: rows * groups)
        var zeros = scales
        for g in 0..<groups {
            for r in 0..<rows {
                scales[r * groups + g] = groupGrids[g][r].scale
                zeros[r * groups + g] = groupGrids[g][r].zero
            }
        }
        return GPTQResult(
            rows: rows, columns: columns, dequantized: dequantized, codes: codes, scales: scales,
            zeros: zeros, gIdx: gIdx, perm: perm, columnLosses: losses)
    }
}
