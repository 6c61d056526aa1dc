import Core

/// Chapter 2's experiment input: a weight matrix of normal values (σ = 0.02, a typical
/// initialisation scale) with one value planted at `outlierMultiple` · σ.
///
/// With one scale per tensor the outlier sets absmax, so the step 1/s = absmax / 127 is
/// about 100σ/127 ≈ 0.8σ and almost every weight lands on one of a handful of codes
/// around 0. With one scale per row (or block), only the outlier's row (block) pays.
public enum PlantedOutlier {
    /// A `rows × cols` matrix of N(0, std²) values with `matrix[row, col] = outlierMultiple · std`.
    /// Values come from `rng` in row-major order; the outlier replaces the drawn value.
    public static func normalWeights(
        rows: Int, cols: Int, std: Double = 0.02, outlierMultiple: Double = 100,
        at position: (row: Int, col: Int), rng: inout SeededRNG
    ) -> Tensor {
        precondition(rows > 0 && cols > 0, "the matrix needs at least one value")
        precondition(
            (0..<rows).contains(position.row) && (0..<cols).contains(position.col),
            "outlier position \(position) is outside \(rows)×\(cols)")
        var w = Tensor(shape: [rows, cols], data: rng.normalFloats(rows * cols, std: std))
        w[position.row, position.col] = Float(outlierMultiple * std)
        return w
    }
}
