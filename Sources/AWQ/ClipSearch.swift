import Core
/// The clipping search (paper §3.3 / appendix; the reference's `auto_clip_layer` and
/// `apply_clip`), run on the already scaled weight W · diag(s) with the scaled input X / s.
///
/// Shrinking a group's range below its largest |w| clips a few outliers but makes the step
/// Δ smaller for all the others; AWQ picks, per output row and group, the shrink that keeps
/// the group's contribution to the output closest:
///
/// ```
/// org_max = max |w| over the group (one output row, G input channels)
/// X_s     = every (tokens / 512)-th token of X (n_sample_token = 512)
/// for i in 0 ..< 10:                                  (n_grid 20, max_shrink 0.5)
///     m     = org_max · float32(1 − i / 20)
///     q     = Q(clamp(w, −m, m))                        pseudo-quantized, this group alone
///     err   = mean over X_s of (Σ_group x · q − Σ_group x · w)²
///             (two float32 sums in PyTorch's order, then the difference)
///     keep m if err < best err so far                    (first strictly smaller wins)
/// apply_clip: w ← clamp(w, −m*, m*)
/// ```
///
/// Properties (tested): i = 0 is no clipping, so the chosen error is never above the
/// unclipped one; on the reference case ≥ 90 % of the groups pick the same m (the rest are
/// genuine ties: when both ends are clipped, −min/Δ = 7.5 and the zero point is decided by
/// float rounding).
///
/// Differences from the reference, both outside its working range: it asserts that the
/// rows are a multiple of 256 (its out-channel batch) and fails for fewer than 512 tokens
/// (a slice step of 0); here rows need no batching and fewer than 512 tokens use them all.
public enum ClipSearch {

    /// The best max value per output row and group: [rows][columns / groupSize] (the
    /// reference's return value, shape [rows, groups, 1]).
    public static func maxValues(
        weight: LinearWeight, x: [Float], tokens: Int, bits: Int, groupSize: Int,
        gridSize: Int = 20, maxShrink: Double = 0.5, sampleTokens: Int = 512
    ) -> [Float] {
        let columns = weight.columns
        precondition(x.count == tokens * columns, "ClipSearch: x is not \(tokens) × \(columns)")
        precondition(
            columns % groupSize == 0,
            "ClipSearch: group size \(groupSize) does not divide \(columns)")
        let stride = max(1, tokens / sampleTokens)
        let sampled = Swift.stride(from: 0, to: tokens, by: stride).map { $0 }
        let groups = columns / groupSize
        let steps = Int(maxShrink * Double(gridSize))
        var best = [Float](repeating: 0, count: weight.rows * groups)
        var products = [Float](repeating: 0, count: groupSize)
        var original = [Float](repeating: 0, count: sampled.count)
        var difference = [Float](repeating: 0, count: sampled.count)
        for r in 0..<weight.rows {
            for g in 0..<groups {
                let start = r * columns + g * groupSize
                let w = Array(weight.values[start..<(start + groupSize)])
                let orgMax = w.map(abs).max() ?? 0
                // Σ_group x · w per sampled token, PyTorch's contiguous order.
                for (n, t) in sampled.enumerated() {
                    original[n] = groupDot(
                        x, token: t, columns: columns, group: g, w, into: &products)
                }
                var bestError: Float = 1e9
                var bestMax = orgMax
                for i in 0..<steps {
                    // The reference multiplies a float32 tensor by a Python float: the
                    // factor is rounded to float32 first.
                    let m = orgMax * Float(1 - Double(i) / Double(gridSize))
                    let clamped = w.map { min(max($0, -m), m) }
                    let q = PseudoQuantizer.dequantized(
                        clamped, rows: 1, columns: groupSize,
                        bits: bits, groupSize: groupSize)
                    for (n, t) in sampled.enumerated() {
                        let d =
                            groupDot(x, token: t, columns: columns, group: g, q, into: &products)
                            - original[n]
                        difference[n] = d * d
                    }
                    let err =
                        TorchSum.cascade(sampled.count) { difference[$0] }
                        / Float(sampled.count)
                    if err < bestError {
                        bestError = err
                        bestMax = m
                    }
                }
                best[r * groups + g] = bestMax
            }
        }
        return best
    }

    /// apply_clip: every value of row r, group g clamped to ±maxValues[r][g].
    public static func apply(_ weight: LinearWeight, maxValues: [Float], groupSize: Int)
        -> LinearWeight
    {
        let groups = weight.columns / groupSize
        precondition(
            maxValues.count == weight.rows * groups,
            "ClipSearch.apply: \(maxValues.count) max values")
        var out = weight.values
        for i in out.indices {
            let m = maxValues[i / groupSize]
            out[i] = min(max(out[i], -m), m)
        }
        return LinearWeight(out, rows: weight.rows, columns: weight.columns)
    }

    /// Σ over group g of x[token] · w, products in float32, summed in PyTorch's order.
    static func groupDot(
        _ x: [Float], token: Int, columns: Int, group: Int, _ w: [Float],
        into products: inout [Float]
    ) -> Float {
        let base = token * columns + group * w.count
        for k in 0..<w.count { products[k] = x[base + k] * w[k] }
        return TorchSum.contiguousSum(products)
    }
}
