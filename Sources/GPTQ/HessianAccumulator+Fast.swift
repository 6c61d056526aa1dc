import Core

/// The fast twin of `HessianAccumulator.accumulate(...).h`: the same running average over
/// `add_batch` calls, bit for bit, with each call's xᵀx computed on half the products.
///
/// ```
/// xᵀx[i, j] = Σ_p x[p, i] · x[p, j]    p = 0, 1, … in order, from 0     (addBatch's sums)
///           = xᵀx[j, i]                the same products (a · b = b · a exactly), same order
/// ```
///
/// So only the lower triangle is computed, by stripes of `Cholesky.stripeWidth` columns on
/// and below the diagonal (`productTransposingB` on xᵀ, whose B is packed contiguously —
/// `accumulateTransposingA` reads B in place, one row of x, 4·columns bytes apart, per
/// step), and mirrored. Every entry is the same float32 sum as in `addBatch`; the shrink and
/// the scale are `addBatch`'s own. `HessianFastPathTests` checks H bit for bit.
extension HessianAccumulator {

    /// H of `x` ([samples][columns]) fed as runs of `sequenceLength` rows (nil: one run),
    /// equal bit for bit to `accumulate(x, samples:, columns:, sequenceLength:).h`.
    public static func hessianBlocked(
        _ x: [Float], samples: Int, columns n: Int, sequenceLength: Int? = nil
    ) -> [Float] {
        precondition(samples > 0 && x.count == samples * n)
        let length = sequenceLength ?? samples
        precondition(length > 0, "hessianBlocked: sequenceLength must be positive")
        var h = [Float](repeating: 0, count: n * n)
        var calls = 0
        for start in stride(from: 0, to: samples, by: length) {
            let rows = Swift.min(start + length, samples) - start
            let shrink = Float(Double(calls) / Double(calls + 1))
            for i in h.indices { h[i] *= shrink }
            calls += 1
            let s = Float((2 / Double(calls)).squareRoot())
            // xT: [n][rows], the run transposed and scaled by s (x · s = s · x exactly)
            var xT = Cholesky.transposedCopy(x, n: n, rows: start..<(start + rows), columns: 0..<n)
            for i in xT.indices { xT[i] *= s }
            for s0 in stride(from: 0, to: n, by: Cholesky.stripeWidth) {
                let s1 = Swift.min(s0 + Cholesky.stripeWidth, n)
                let width = s1 - s0
                // part[i − s0][j − s0] = xᵀx[i, j] for i ≥ s0, j in s0 ..< s1: [n − s0][width]
                let part = Matmul.productTransposingB(
                    Array(xT[(s0 * rows)...]), Array(xT[(s0 * rows)..<(s1 * rows)]),
                    m: n - s0, k: rows, n: width)
                addMirrored(part, to: &h, n: n, firstRow: s0, columns: s0..<s1)
            }
        }
        return h
    }

    /// h[i, j] += part[i − firstRow][j − columns.lowerBound] for i ≥ j, and h[j, i] += the
    /// same value (the diagonal once).
    static func addMirrored(
        _ part: [Float], to h: inout [Float], n: Int, firstRow: Int, columns: Range<Int>
    ) {
        let width = columns.count
        h.withUnsafeMutableBufferPointer { h in
            part.withUnsafeBufferPointer { part in
                for i in firstRow..<n {
                    let row = part.baseAddress! + ((i &- firstRow) &* width)
                    for j in columns where j <= i {
                        let value = row[j &- columns.lowerBound]
                        h[i &* n &+ j] += value
                        if j != i { h[j &* n &+ i] += value }
                    }
                }
            }
        }
    }
}
