import Core

/// A lookup table from token ids to vectors (`torch.nn.Embedding`; llm.c's `wte`/`wpe`).
///
/// ```
/// table: [vocabulary][dimension]     one row per id
/// ids:   [n] Int                     each in 0..<vocabulary
/// y:     [n][dimension]              y[t] = table[ids[t]]
/// ```
///
/// Backward scatters the gradient back into the rows that were read, adding when an id
/// occurs more than once: `dtable[ids[t]] += dy[t]`. Ids are not differentiable, so
/// there is no dx. Rows whose ids never occur in a batch get no gradient at all — which is
/// why an optimizer may see whole blocks of exactly-zero gradient.
///
/// Initialisation: N(0, std²); PyTorch's default is std = 1, GPT-2 uses 0.02.
public final class Embedding {
    public let vocabulary: Int
    public let dimension: Int
    /// The table: [vocabulary][dimension].
    public let weight: Parameter

    /// Cache for backward: the ids of the last forward pass.
    private var ids: [Int] = []

    public init(vocabulary: Int, dimension: Int, std: Double = 1, name: String, rng: inout SeededRNG) {
        precondition(vocabulary > 0 && dimension > 0, "Embedding \(name): sizes must be positive")
        self.vocabulary = vocabulary
        self.dimension = dimension
        weight = Parameter(
            name: name + ".weight", shape: [vocabulary, dimension],
            value: rng.normalFloats(vocabulary * dimension, std: std))
    }

    public var parameters: [Parameter] { [weight] }

    /// The rows of `ids`, as a tensor of shape `leadingShape + [dimension]`
    /// (`leadingShape` defaults to `[ids.count]`; pass `[batch, time]` for sequences).
    public func forward(_ ids: [Int], leadingShape: [Int]? = nil) -> Tensor {
        let shape = (leadingShape ?? [ids.count]) + [dimension]
        precondition(
            Tensor.elementCount(shape) == ids.count * dimension,
            "Embedding: shape \(shape) does not fit \(ids.count) ids")
        self.ids = ids
        var y = [Float](repeating: 0, count: ids.count * dimension)
        // Through buffer pointers: indexing `weight.value` (a class's property) directly costs
        // a runtime exclusivity check per element.
        weight.value.withUnsafeBufferPointer { table in
            y.withUnsafeMutableBufferPointer { y in
                for (t, id) in ids.enumerated() {
                    precondition(id >= 0 && id < vocabulary, "Embedding \(weight.name): id \(id) outside 0..<\(vocabulary)")
                    for j in 0..<dimension { y[t * dimension + j] = table[id * dimension + j] }
                }
            }
        }
        return Tensor(shape: shape, data: y)
    }

    /// Accumulates dL/dtable from dL/dy (positions t in order, as a plain loop would); ids
    /// have no gradient.
    public func backward(_ dy: Tensor) {
        precondition(dy.count == ids.count * dimension, "Embedding \(weight.name): dy has shape \(dy.shape)")
        weight.grad.withUnsafeMutableBufferPointer { dTable in
            dy.data.withUnsafeBufferPointer { dy in
                for (t, id) in ids.enumerated() {
                    for j in 0..<dimension { dTable[id * dimension + j] += dy[t * dimension + j] }
                }
            }
        }
    }
}
