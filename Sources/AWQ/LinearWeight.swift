import Core

/// A linear layer's weight in the `nn.Linear` layout, as the AWQ search passes it around.
///
/// ```
/// values: [rows][columns] row-major; rows = output features, columns = input features
/// forward: y = x · Wᵀ          x: [tokens][columns] → y: [tokens][rows]
/// ```
///
/// Several linears that read the same input (q, k, v; an MLP's gate and up) share one
/// column count: their scales are searched together (see `ScaleSearch`).
public struct LinearWeight: Sendable {
    public var values: [Float]
    public let rows: Int
    public let columns: Int

    public init(_ values: [Float], rows: Int, columns: Int) {
        precondition(
            values.count == rows * columns,
            "LinearWeight: \(values.count) values are not \(rows) × \(columns)")
        self.values = values
        self.rows = rows
        self.columns = columns
    }

    /// y = x · Wᵀ for x: [tokens][columns] (no bias: the reference's test layers have none).
    public func forward(_ x: [Float], tokens: Int) -> [Float] {
        Matmul.productTransposingB(x, values, m: tokens, k: columns, n: rows)
    }

    /// W · diag(s): column c multiplied by s[c] (float32), the reference's
    /// `fc.weight.mul_(scales.view(1, -1))`.
    public func scalingColumns(by s: [Float]) -> LinearWeight {
        precondition(s.count == columns, "scalingColumns: \(s.count) scales for \(columns) columns")
        var out = values
        for r in 0..<rows {
            for c in 0..<columns { out[r * columns + c] *= s[c] }
        }
        return LinearWeight(out, rows: rows, columns: columns)
    }

    /// W · diag(1/s) computed as a float32 division by s[c], as the reference's `… / scales`.
    public func dividingColumns(by s: [Float]) -> LinearWeight {
        precondition(
            s.count == columns, "dividingColumns: \(s.count) scales for \(columns) columns")
        var out = values
        for r in 0..<rows {
            for c in 0..<columns { out[r * columns + c] /= s[c] }
        }
        return LinearWeight(out, rows: rows, columns: columns)
    }

    /// Several weights with the same input stacked along the output dimension: one
    /// [Σ rows][columns] weight (how the CLI takes q, k and v).
    public static func stacked(_ weights: [LinearWeight]) -> LinearWeight {
        precondition(
            !weights.isEmpty && weights.allSatisfy { $0.columns == weights[0].columns },
            "stacked: the weights must share their column count")
        return LinearWeight(
            weights.flatMap(\.values), rows: weights.map(\.rows).reduce(0, +),
            columns: weights[0].columns)
    }
}
