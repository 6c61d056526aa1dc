/// PyTorch's float32 `sum` / `mean` on the CPU, reproduced operation for operation.
///
/// Double quantization subtracts the **mean** of the absmax values, and that float32 mean
/// is stored and added back — so to match bitsandbytes bit for bit we must add the numbers
/// in PyTorch's order. A left-to-right float32 sum already misses the reference offset for
/// the cases with 30, 60 and 301 blocks, a float64 sum rounded once the one with 301.
/// PyTorch (`SumKernel.cpp`, `cascade_sum`) sums a contiguous float32 vector like this on an
/// AVX2 build (8 lanes):
///
/// ```
/// n ≥ 8:  view x as v = n/8 vectors of 8 lanes (the last n mod 8 values are the "tail")
///         row_sum over the vectors (below), giving one 8-lane accumulator A
///         s = 0; s += tail values in order; s += A[0], A[1], …, A[7]
/// n < 8:  row_sum over the scalars
///
/// row_sum(items):  four interleaved accumulators P0…P3 (P_k takes items 4j + k), each a
///                  "cascade" of 4 levels that flushes level L into L+1 every 16^L rows
///                  (2^max(4, ⌈log2 rows⌉ / 4) in general) to bound rounding growth;
///                  leftover items (count mod 4) go into P0; then P0 + P1 + P2 + P3
/// mean = s / n                                 float32 division
/// ```
///
/// Honest aside: this is an implementation detail of one library version on one kind of
/// CPU (an AVX-512 build uses 16 lanes and would give other last bits). It is here so a test
/// can demand equality instead of "close enough"; the lesson of double quantization does not
/// depend on it.
public enum TorchSum {
    /// `torch.sum(x)` for a contiguous float32 vector (AVX2 kernel, one thread).
    public static func sum(_ x: [Float]) -> Float {
        let lanes = 8
        if x.count < lanes { return rowSum(x) }
        let vectorCount = x.count / lanes
        let vectors = (0..<vectorCount).map { v in
            SIMD8<Float>(x[(v * lanes)..<((v + 1) * lanes)])
        }
        let accumulator = rowSum(vectors)
        var total: Float = 0
        for i in (vectorCount * lanes)..<x.count { total += x[i] }
        for lane in 0..<lanes { total += accumulator[lane] }
        return total
    }

    /// `torch.mean(x)` = sum / n in float32. The mean of nothing is NaN, as in PyTorch.
    public static func mean(_ x: [Float]) -> Float {
        sum(x) / Float(x.count)
    }

    /// PyTorch's `row_sum`: four interleaved cascades (`multi_row_sum`), leftovers into the
    /// first, then the four added in order.
    static func rowSum<T: TorchAccumulator>(_ items: [T]) -> T {
        let ilp = 4
        let rows = items.count / ilp
        var partial = multiRowSum(rows: rows, columns: ilp) { row, column in
            items[row * ilp + column]
        }
        for i in (rows * ilp)..<items.count { partial[0] = partial[0] + items[i] }
        var result = partial[0]
        for k in 1..<ilp { result = result + partial[k] }
        return result
    }

    /// PyTorch's `multi_row_sum`: `columns` sums over `rows` rows, each accumulated in a
    /// 4-level cascade; level j − 1 is flushed into level j after every 2^(j·levelPower) rows.
    static func multiRowSum<T: TorchAccumulator>(
        rows: Int, columns: Int, _ item: (Int, Int) -> T
    ) -> [T] {
        let levels = 4
        let levelPower = max(4, ceilLog2(rows) / levels)
        let levelStep = 1 << levelPower
        let levelMask = levelStep - 1
        var acc = [[T]](repeating: [T](repeating: .zero, count: columns), count: levels)
        var i = 0
        while i + levelStep <= rows {
            for _ in 0..<levelStep {
                for k in 0..<columns { acc[0][k] = acc[0][k] + item(i, k) }
                i += 1
            }
            for j in 1..<levels {
                for k in 0..<columns {
                    acc[j][k] = acc[j][k] + acc[j - 1][k]
                    acc[j - 1][k] = .zero
                }
                if i & (levelMask << (j * levelPower)) != 0 { break }
            }
        }
        while i < rows {
            for k in 0..<columns { acc[0][k] = acc[0][k] + item(i, k) }
            i += 1
        }
        for j in 1..<levels {
            for k in 0..<columns { acc[0][k] = acc[0][k] + acc[j][k] }
        }
        return acc[0]
    }

    /// ⌈log2 n⌉ (0 for n ≤ 1), as c10's `CeilLog2`.
    static func ceilLog2(_ n: Int) -> Int {
        n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount
    }
}

/// What `TorchSum` adds: a float32 scalar or an 8-lane float32 vector (lane-wise adds, the
/// same roundings as AVX2's `vaddps`).
protocol TorchAccumulator {
    static var zero: Self { get }
    static func + (lhs: Self, rhs: Self) -> Self
}

extension Float: TorchAccumulator {}
extension SIMD8: TorchAccumulator where Scalar == Float {}
