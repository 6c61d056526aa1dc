extension GPTQ {

    /// The readable path: GPTQ as the paper states it before any speed-up — every column in
    /// turn, its error fed back to **all** later columns at once (Frantar et al. 2022,
    /// arXiv:2210.17323, §4 Steps 1 and 3: one fixed column order for every row, and the
    /// rows of U = chol(H⁻¹)ᵀ in place of OBQ's updated inverses; `ErrorFeedback` is one step).
    ///
    /// ```
    /// for j in 0 ..< n:                                   (in act-order's order, if asked)
    ///     if a group starts at j: fit the grids on W[:, j ..< j + G]   (W already error-fed)
    ///     q = quant(W[:, j]);  err = (W[:, j] − q) / U[j, j]
    ///     W[:, j...] −= err · U[j, j...]
    /// ```
    ///
    /// It computes what `GPTQ.quantize` computes, but with every update applied immediately,
    /// so a group's grid is always fitted on fully updated weights. They agree bit for bit
    /// when the blocked path has one block (blockSize ≥ n) and no group starts after column 0
    /// (group −1, or static groups); with several blocks the lazy batch sums the same products
    /// in another order (a few codes may flip); and when a dynamic group starts inside a block
    /// they differ by design (see `GPTQ`). Cost: rows · n² / 2 strided updates — the reason
    /// for §4 Step 2.
    public static func quantizeColumnByColumn(
        weight: [Float], rows: Int, columns n: Int, hessian: [Float],
        configuration c: GPTQConfiguration
    ) throws -> GPTQResult {
        let quantizer = MinMaxQuantizer(bits: c.bits, symmetric: c.symmetric)
        let prep = try GPTQPreparation(
            weight: weight, rows: rows, columns: n, hessian: hessian, configuration: c,
            quantizer: quantizer)
        var w = prep.w
        var grids = prep.rowGrids
        var result = GPTQResultBuilder(
            rows: rows, columns: n, perm: prep.perm, groups: c.groupSize.map { n / $0 } ?? 1)
        for j in 0..<n {
            var group = 0
            if let g = c.groupSize {
                if c.staticGroups {
                    group = prep.perm[j] / g
                    grids = prep.staticGrids[group]
                } else {
                    group = j / g
                    if j % g == 0 {
                        grids = quantizer.fit(w, rows: rows, columns: n, columnRange: j..<(j + g))
                    }
                }
            }
            let uRow = Array(prep.u[(j * n)..<(j * n + n)])
            let step = ErrorFeedback.quantizeColumn(
                j, of: &w, rows: rows, columns: n, uRow: uRow, grids: grids, quantizer: quantizer)
            result.record(position: j, step, group: group, grids: grids)
        }
        return result.result()
    }
}
