/// How `TopK` orders equal values.
public enum TopKTieBreaking: String, Equatable, Sendable {
    /// Exactly what `torch.topk(..., sorted=True)` returns on the CPU (see `TorchCPUTopK`):
    /// the reference Mixtral implementation's behaviour, including its surprising picks
    /// (a row of 8 equal probabilities yields experts 6 and 5).
    case torchCPU
    /// Equal values in increasing index order — TensorFlow's documented `top_k` rule, ONNX's
    /// TopK, and what PyTorch's deterministic mode is proposed to do. Easy to reason about.
    case lowerIndexFirst
}

/// The indices of the k largest values of one row, largest first.
///
/// ```
/// values: [n] Float          result: [k] indices into values, values[result[0]] ≥ values[result[1]] ≥ …
/// ```
///
/// When no two of the values are equal the answer is unique and both tie rules give it (a
/// test checks this on thousands of random rows). Ties are rare for router probabilities
/// computed from real activations, but not impossible: a router whose weights are all zero
/// (or a token that is all zeros) gives every expert the same probability 1/E, and then the
/// rule decides which experts get *every* token.
///
/// NaN counts as larger than every number, as in PyTorch (the routing itself rejects NaN
/// logits before it gets here).
public enum TopK {
    /// The k largest of `values`, largest first, ties broken by `tieBreaking`.
    /// Precondition: 0 ≤ k ≤ values.count (the router checks K first and throws).
    public static func indices(of values: [Float], k: Int, tieBreaking: TopKTieBreaking = .torchCPU) -> [Int] {
        precondition(k >= 0 && k <= values.count, "TopK: k = \(k) is outside 0…\(values.count)")
        switch tieBreaking {
        case .torchCPU: return TorchCPUTopK.indices(of: values, k: k)
        case .lowerIndexFirst: return lowerIndexFirst(values, k: k)
        }
    }

    /// The readable version: sort the indices by value (descending), equal values by index,
    /// keep the first k. O(n log n), which for n = 8 experts is nothing.
    static func lowerIndexFirst(_ values: [Float], k: Int) -> [Int] {
        let order = values.indices.sorted { i, j in
            if isGreater(values[i], values[j]) { return true }
            if isGreater(values[j], values[i]) { return false }
            return i < j
        }
        return Array(order.prefix(k))
    }

    /// PyTorch's "largest" comparison: NaN above everything, then the usual >.
    @inline(__always)
    static func isGreater(_ x: Float, _ y: Float) -> Bool {
        (x.isNaN && !y.isNaN) || x > y
    }
}
