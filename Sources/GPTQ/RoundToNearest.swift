/// Round-to-nearest (RTN): GPTQ's grid without the error feedback — the baseline GPTQ is
/// measured against (Frantar et al. 2022, arXiv:2210.17323, §5 "RTN"; the reference's
/// `opt.py --nearest`). Each row (or each group of G consecutive ORIGINAL columns) gets its
/// min-max grid, every weight its nearest code; no act-order, no dead-column zeroing.
public enum RoundToNearest {

    /// `weight`: [rows][columns]; `groupSize` nil = one grid per row. The result's `perm` is
    /// the identity and its `columnLosses` are zero (RTN has no U to weigh them with).
    public static func quantize(
        weight: [Float], rows: Int, columns: Int, bits: Int, groupSize: Int? = nil,
        symmetric: Bool = false
    ) -> GPTQResult {
        precondition(
            weight.count == rows * columns, "RoundToNearest: W is not \(rows) × \(columns)")
        let g = groupSize ?? columns
        precondition(
            g > 0 && columns % g == 0, "RoundToNearest: group size \(g) does not divide \(columns)")
        let quantizer = MinMaxQuantizer(bits: bits, symmetric: symmetric)
        let groups = columns / g
        var dequantized = [Float](repeating: 0, count: rows * columns)
        var codes = [UInt8](repeating: 0, count: rows * columns)
        var scales = [Float](repeating: 0, count: rows * groups)
        var zeros = scales
        for group in 0..<groups {
            let range = (group * g)..<(group * g + g)
            let grids = quantizer.fit(weight, rows: rows, columns: columns, columnRange: range)
            for r in 0..<rows {
                scales[r * groups + group] = grids[r].scale
                zeros[r * groups + group] = grids[r].zero
                for c in range {
                    let code = quantizer.code(weight[r * columns + c], grids[r])
                    codes[r * columns + c] = UInt8(exactly: code) ?? 0  // NaN only from a 0 scale
                    dequantized[r * columns + c] = quantizer.dequantize(code, grids[r])
                }
            }
        }
        return GPTQResult(
            rows: rows, columns: columns, dequantized: dequantized, codes: codes, scales: scales,
            zeros: zeros,
            gIdx: (0..<columns).map { $0 / g }, perm: Array(0..<columns),
            columnLosses: [Float](repeating: 0, count: columns))
    }
}
