import Core

/// What the encoder lets you watch while it runs: the inputs of its dense layers (the
/// calibration data GPTQ and AWQ need) and the size of its hidden states feature by feature
/// (the outlier features LLM.int8() is built around; Dettmers et al. 2022, arXiv:2208.07339,
/// §3.2 and §4).
///
/// ```
/// linearInputs[name]:  [real tokens][in]      the rows the dense layer `name` reads,
///                                             padding rows left out
/// hiddenAbsmax[l][j]:  max over real tokens of |h_l[token][j]|   l = 0 (embeddings) … L
/// outlierDimensions:   the features j with the largest max_{l ≥ 1} hiddenAbsmax[l][j]
/// ```
///
/// Only real tokens count: a padding row carries a vector too, but it depends on how much
/// padding the batch happened to have, and no result of the model ever reads it.
extension BERTEncoder {
    /// The input rows of every dense layer (or only those in `names`), real tokens only,
    /// in the batch's order (sentence 0's tokens first). query, key and value read the same
    /// rows; the returned tensors share their storage.
    public func linearInputs(
        _ batch: TokenBatch, names: Set<String>? = nil
    ) throws -> [String: Tensor] {
        var inputs: [String: Tensor] = [:]
        var lastRealRows: (source: [Float], rows: Tensor)?
        _ = try run(batch) { event in
            guard case .linearInput(let name, let x) = event, names?.contains(name) ?? true
            else { return }
            // query, key and value see the same tensor: gather its rows once.
            if let last = lastRealRows, last.source == x.data {
                inputs[name] = last.rows
            } else {
                let rows = Self.realRows(x, batch)
                lastRealRows = (x.data, rows)
                inputs[name] = rows
            }
        }
        return inputs
    }

    /// Every hidden state h₀ … h_L, each [count · length][hidden] (padding rows included).
    public func hiddenStates(_ batch: TokenBatch) throws -> [Tensor] {
        var states: [Tensor] = []
        _ = try run(batch) { event in
            if case .hiddenState(_, let h) = event { states.append(h) }
        }
        return states
    }

    /// [L + 1][hidden]: per hidden state and feature, the largest |value| over the batch's
    /// real tokens (the reference's `hidden_absmax_*`).
    public func hiddenAbsmax(_ batch: TokenBatch) throws -> [[Float]] {
        var result: [[Float]] = []
        _ = try run(batch) { event in
            guard case .hiddenState(_, let h) = event else { return }
            var maxima = [Float](repeating: 0, count: h.cols)
            for b in 0..<batch.count {
                for t in 0..<batch.lengths[b] {
                    let row = (b * batch.length + t) * h.cols
                    for j in 0..<h.cols { maxima[j] = max(maxima[j], abs(h.data[row + j])) }
                }
            }
            result.append(maxima)
        }
        return result
    }

    /// The `count` features whose largest |value| over layers 1 … L is largest, largest
    /// first (the reference's `outlier_dims`; layer 0, the embeddings, is not counted).
    public static func outlierDimensions(hiddenAbsmax: [[Float]], count: Int) -> [Int] {
        guard let width = hiddenAbsmax.first?.count else { return [] }
        let peak = (0..<width).map { j in hiddenAbsmax.dropFirst().map { $0[j] }.max() ?? 0 }
        let order = (0..<width).sorted { peak[$0] != peak[$1] ? peak[$0] > peak[$1] : $0 < $1 }
        return Array(order.prefix(count))
    }

    /// The rows of x [count · length][c] that hold real tokens, [real tokens][c].
    static func realRows(_ x: Tensor, _ batch: TokenBatch) -> Tensor {
        let c = x.cols
        var rows: [Float] = []
        rows.reserveCapacity(batch.realTokenCount * c)
        for b in 0..<batch.count {
            let start = b * batch.length * c
            rows.append(contentsOf: x.data[start..<(start + batch.lengths[b] * c)])
        }
        return Tensor(shape: [batch.realTokenCount, c], data: rows)
    }
}
