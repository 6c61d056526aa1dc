import Core

/// **GPTQ** — post-training quantization that looks at the data (Frantar, Ashkboos, Hoefler &
/// Alistarh 2022, "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained
/// Transformers", arXiv:2210.17323), as the authors' code (IST-DASLab/gptq, `gptq.py`
/// `fasterquant`) computes it.
///
/// A Linear layer y = x·Wᵀ is quantized one layer at a time to minimise its output error on
/// calibration inputs X (samples × in):
///
/// ```
/// argmin_Q ‖X Wᵀ − X Qᵀ‖²          each row of W separately; all rows share H = 2/N · XᵀX
/// ```
///
/// - §3 **OBQ**: quantize one weight, then move the not-yet-quantized weights of its row by
///   the optimal correction δ = −(w − q)/[H⁻¹]ⱼⱼ · H⁻¹[:, j], and repeat.
/// - §4 Step 1, **arbitrary order**: every row in the same column order, so one H⁻¹ sequence
///   serves all rows (act-order picks decreasing diag H, `HessianPreparation`).
/// - §4 Step 2, **lazy batch updates**: the feedback to far columns is deferred. Columns are
///   processed in blocks of `blockSize`; inside a block the feedback is applied column by
///   column to the block only; at the block's end the block's errors reach all later columns
///   in one matrix product `W[:, i2:] −= Err · U[i1:i2, i2:]` (Core's `Matmul`). Same sums,
///   memory-bound rank-one updates turned into a compute-bound product.
/// - §4 Step 3, **Cholesky reformulation**: the rows of the inverse Hessians come from one
///   upper Cholesky factor U of the damped H⁻¹ (`Cholesky`), which is numerically robust.
///
/// **Why the result depends on blockSize.** With groups (`groupSize` G, not static), the grid
/// of group g is fitted when its first column j = g·G comes up — on the reference's *global* W,
/// which receives the lazy update only at block ends. A group starting inside a block is
/// therefore fitted on weights without the error feedback of the block's earlier columns;
/// a group starting at a block boundary (or the readable path, `quantizeColumnByColumn`)
/// sees it all. So 4-bit G = 32 with blocks of 128 (the group at 32 starts mid-block) and with
/// blocks of 16 (every group starts a block) give different codes — the reference cases
/// `w4_g32` and `w4_g32_bs16`, reproduced in the tests.
///
/// Inputs are row-major Float arrays: W [rows][columns] (out × in, nn.Linear's layout), H
/// [columns][columns] from `HessianAccumulator`. Everything is float32 as the reference.
public enum GPTQ {

    /// GPTQ with lazy batch updates — the reference's `fasterquant`. Throws
    /// `Cholesky.NotPositiveDefinite` when the damped H is not positive definite.
    public static func quantize(
        weight: [Float], rows: Int, columns n: Int, hessian: [Float],
        configuration c: GPTQConfiguration
    ) throws -> GPTQResult {
        let quantizer = MinMaxQuantizer(bits: c.bits, symmetric: c.symmetric)
        let prep = try GPTQPreparation(
            weight: weight, rows: rows, columns: n, hessian: hessian, configuration: c,
            quantizer: quantizer)
        var w = prep.w  // the global W: error-fed only at block ends
        let u = prep.u
        var grids = prep.rowGrids
        var result = GPTQResultBuilder(
            rows: rows, columns: n, perm: prep.perm, groups: c.groupSize.map { n / $0 } ?? 1)
        for i1 in stride(from: 0, to: n, by: c.blockSize) {
            let i2 = min(i1 + c.blockSize, n)
            let count = i2 - i1
            // w1: [rows][count], the block's working copy; u1: U[i1..<i2, i1..<i2].
            var w1 = [Float](repeating: 0, count: rows * count)
            for r in 0..<rows {
                for i in 0..<count { w1[r * count + i] = w[r * n + i1 + i] }
            }
            // Each column's grids and group. The grids are fitted on the GLOBAL w, which this
            // block does not change: columns of this block lack this block's feedback.
            var columnGrids: [[MinMaxQuantizer.Grid]] = []
            var groups: [Int] = []
            for j in i1..<i2 {
                var group = 0
                if let g = c.groupSize {
                    if c.staticGroups {
                        group = prep.perm[j] / g
                        grids = prep.staticGrids[group]
                    } else {
                        group = j / g
                        if j % g == 0 {
                            grids = quantizer.fit(
                                w, rows: rows, columns: n, columnRange: j..<(j + g))
                        }
                    }
                }
                columnGrids.append(grids)
                groups.append(group)
            }
            // The block's columns in order, each with `ErrorFeedback.quantizeColumn`'s step on
            // w1 — run row by row by its fast twin `quantizeBlock` (the same operations).
            var u1 = [Float](repeating: 0, count: count * count)  // U[i1..<i2, i1..<i2]
            for a in 0..<count {
                for b in 0..<count { u1[a * count + b] = u[(i1 + a) * n + i1 + b] }
            }
            let steps = ErrorFeedback.quantizeBlock(
                &w1, rows: rows, columns: count, u: u1, grids: columnGrids, quantizer: quantizer)
            result.recordBlock(
                positions: i1..<i2, steps, groups: groups, grids: columnGrids)
            let err1 = steps.error  // [rows][count]
            // The lazy batch update: W[:, i2:] −= Err1 · U[i1:i2, i2:].
            let rest = n - i2
            guard rest > 0 else { continue }
            // uBlockT: [rest][count], U[i1:i2, i2:] transposed — `productTransposingB` packs
            // its rows contiguously (the same sums as `product` on the untransposed block,
            // which would read a strip of it `rest` floats apart per step).
            var uBlockT = [Float](repeating: 0, count: rest * count)
            for a in 0..<count {
                for b in 0..<rest { uBlockT[b * count + a] = u[(i1 + a) * n + i2 + b] }
            }
            let update = Matmul.productTransposingB(err1, uBlockT, m: rows, k: count, n: rest)
            subtract(update, from: &w, rows: rows, columns: n, from: i2)
        }
        return result.result()
    }

    /// GPTQ straight from calibration inputs: H from `x` ([samples][columns]) fed as runs of
    /// `sequenceLength` rows (one `add_batch` call each; nil = all rows in one call), then
    /// `quantize`. H is `HessianAccumulator.accumulate`'s, computed by its fast twin
    /// `hessianBlocked` (the same bits).
    public static func quantize(
        weight: [Float], rows: Int, columns: Int, calibration x: [Float], samples: Int,
        sequenceLength: Int? = nil, configuration: GPTQConfiguration
    ) throws -> GPTQResult {
        let h = HessianAccumulator.hessianBlocked(
            x, samples: samples, columns: columns, sequenceLength: sequenceLength)
        return try quantize(
            weight: weight, rows: rows, columns: columns, hessian: h, configuration: configuration)
    }
}
