/// A minimal row-major tensor: a shape and a flat `[Float]`.
///
/// Enough for weights (`out × in`, the `nn.Linear` layout), activations
/// (`tokens × features`) and flat vectors; deliberately no broadcasting or views, so
/// every kernel in the book shows its own loops.
///
/// ```
/// data: [shape[0]][shape[1]]…[shape[n-1]] floats, C order (the last index varies fastest)
/// ```
public struct Tensor: Equatable, Sendable {
    /// Extent of each dimension; `[]` is a scalar holding one value.
    public let shape: [Int]
    /// The values in C order; `data.count == shape.product`.
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(
            Tensor.elementCount(shape) == data.count,
            "shape \(shape) holds \(Tensor.elementCount(shape)) values, got \(data.count)")
        self.shape = shape
        self.data = data
    }

    /// A tensor of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, data: [Float](repeating: value, count: Tensor.elementCount(shape)))
    }

    /// A `rows × cols` matrix built row by row from `rows` arrays of equal length.
    public init(rows: [[Float]]) {
        let cols = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == cols }, "ragged rows")
        self.init(shape: [rows.count, cols], data: rows.flatMap { $0 })
    }

    /// The number of values a shape holds (1 for a scalar shape `[]`).
    public static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    public var count: Int { data.count }
    public var rank: Int { shape.count }

    /// Rows of a matrix; for higher ranks, all leading dimensions folded together.
    public var rows: Int { shape.count <= 1 ? 1 : count / max(shape.last!, 1) }
    /// Columns of a matrix: the last dimension (the whole vector for rank 1).
    public var cols: Int { shape.last ?? 1 }

    /// Element `(row, col)` of a matrix.
    public subscript(row: Int, col: Int) -> Float {
        get { data[row * cols + col] }
        set { data[row * cols + col] = newValue }
    }

    /// Row `r` as an array (a copy).
    public func row(_ r: Int) -> [Float] { Array(data[(r * cols)..<((r + 1) * cols)]) }

    /// Column `c` as an array (a copy).
    public func column(_ c: Int) -> [Float] { (0..<rows).map { self[$0, c] } }

    /// The same values with another shape of the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, data: data) }

    /// The transpose of a matrix.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed() needs a matrix, got shape \(shape)")
        var out = [Float](repeating: 0, count: count)
        for r in 0..<rows {
            for c in 0..<cols { out[c * rows + r] = data[r * cols + c] }
        }
        return Tensor(shape: [cols, rows], data: out)
    }

    /// Applies `transform` to every value.
    public func map(_ transform: (Float) -> Float) -> Tensor {
        Tensor(shape: shape, data: data.map(transform))
    }
}
