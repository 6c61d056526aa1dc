/// Two memory walks of `GPTQ.quantize` made cache-friendly; the values and every float
/// operation are the ones of the plain loops they replace.
///
/// ```
/// recordBlock:  a block's Q, codes and column losses stored row by row (`record`, one column
///               at a time, wrote one value per row 16 KB apart for a 4096-wide layer — a
///               cache and TLB miss each — in act-order's scattered columns)
/// subtract:     W[:, from...] −= update, as contiguous row pieces (the indexed loop was
///               bounds-checked and scalar)
/// ```
extension GPTQResultBuilder {
    /// `record` for every column of a block: position i1 + i's results are column i of
    /// `steps` ([rows][count]), quantized on `grids[i]` of group `groups[i]`. The loss of each
    /// column is summed over the rows in the same order (r = 0, 1, …) as `record` sums it.
    mutating func recordBlock(
        positions: Range<Int>, _ steps: ErrorFeedback.BlockSteps, groups: [Int],
        grids: [[MinMaxQuantizer.Grid]]
    ) {
        let count = positions.count
        precondition(steps.error.count == rows * count && groups.count == count)
        for (i, j) in positions.enumerated() {
            gIdx[perm[j]] = groups[i]
            if groupGrids[groups[i]].isEmpty { groupGrids[groups[i]] = grids[i] }
        }
        var loss = [Float](repeating: 0, count: count)
        let targets = positions.map { perm[$0] }  // original column of each position
        for r in 0..<rows {
            for i in 0..<count {
                let c = targets[i]
                dequantized[r * columns + c] = steps.dequantized[r * count + i]
                // NaN only from a 0 scale
                codes[r * columns + c] = UInt8(exactly: steps.codes[r * count + i]) ?? 0
                let e = steps.error[r * count + i]
                loss[i] += e * e
            }
        }
        for i in 0..<count { losses[positions.lowerBound + i] = loss[i] / 2 }
    }
}

extension GPTQ {
    /// w[r, from + b] −= update[r, b] for every row r of w ([rows][columns]) and b in
    /// 0 ..< columns − from (update: [rows][columns − from]).
    static func subtract(
        _ update: [Float], from w: inout [Float], rows: Int, columns: Int, from start: Int
    ) {
        let width = columns - start
        precondition(update.count == rows * width && w.count == rows * columns)
        w.withUnsafeMutableBufferPointer { w in
            update.withUnsafeBufferPointer { update in
                for r in 0..<rows {
                    let to = w.baseAddress! + (r &* columns &+ start)
                    let from = update.baseAddress! + (r &* width)
                    for b in 0..<width { to[b] -= from[b] }
                }
            }
        }
    }
}
