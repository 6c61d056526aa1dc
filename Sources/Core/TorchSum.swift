/// PyTorch's float32 sums on the CPU, in PyTorch's order: double quantization's mean of the
/// absmax values (NF4, to match bitsandbytes' stored offset), and the three reductions AWQ's
/// reference makes (the mean |x| per input channel, the search's loss, the clip search's
/// group sums and token means).
///
/// A float32 sum depends on the order of its additions: a left-to-right float32 sum already
/// misses bitsandbytes' double-quantization offset for the cases with 30, 60 and 301 blocks,
/// a float64 sum rounded once the one with 301. PyTorch's `SumKernel.cpp`
/// (`cascade_sum`, AVX2 build, 8 lanes) adds in two patterns, both built on a "cascade" that
/// keeps up to four partial sums of different ages so rounding error grows slowly:
///
/// ```
/// cascade(items):  level 0 takes the items in order; every 2^p items level 0 is added into
///                  level 1 and reset, every 2^2p into level 2, …  (p = max(4, ⌈log2 n⌉ / 4),
///                  4 levels); at the end level 0 + level 1 + level 2 + level 3
///
/// columnSum (a reduction over the rows of a row-major matrix, e.g. x.abs().mean(0)):
///     each column is one cascade over its rows, top to bottom
/// contiguousSum (a reduction over contiguous memory, e.g. (a − b).pow(2).mean()):
///     view as 8-lane vectors; four interleaved cascades take vectors 4j, 4j+1, 4j+2, 4j+3;
///     leftover vectors go to the first; the four are added in order, lane by lane;
///     then s = 0, s += the n mod 8 tail values in order, s += lane 0, 1, …, 7
/// ```
///
/// Honest aside: this is one library version on one kind of CPU (an AVX-512 build uses 16
/// lanes). It is here so that tests can demand equality instead of "close enough": the
/// reference's mean |x| then agrees to the last bit (all 4 AWQ search cases) — AWQ's scales
/// are powers of it, and one ulp in a scale can move a code — and so does bitsandbytes'
/// double-quantization offset. The lessons of double quantization and AWQ do not depend on it.
public enum TorchSum {
    /// `torch.sum(x)` for a contiguous float32 vector (AVX2 kernel, one thread).
    public static func sum(_ x: [Float]) -> Float { contiguousSum(x) }

    /// `torch.mean(x)` = sum / n in float32. The mean of nothing is NaN, as in PyTorch.
    public static func mean(_ x: [Float]) -> Float { sum(x) / Float(x.count) }

    /// Column sums of a row-major [rows][columns] matrix, one cascade per column
    /// (`x.sum(0)`). `transform` is applied to each element first (e.g. `abs`).
    public static func columnSums(
        _ matrix: [Float], rows: Int, columns: Int, transform: (Float) -> Float = { $0 }
    ) -> [Float] {
        precondition(
            matrix.count == rows * columns,
            "columnSums: \(matrix.count) values are not \(rows) × \(columns)")
        var sums = [Float](repeating: 0, count: columns)
        var column = [Float](repeating: 0, count: rows)
        for c in 0..<columns {
            for r in 0..<rows { column[r] = transform(matrix[r * columns + c]) }
            sums[c] = cascade(column.count) { column[$0] }
        }
        return sums
    }

    /// The sum of `count` items taken in order, by PyTorch's 4-level cascade.
    public static func cascade(_ count: Int, _ item: (Int) -> Float) -> Float {
        cascadeSum(count, item)
    }

    /// `torch.sum` of a contiguous float32 vector (the 8-lane pattern above).
    public static func contiguousSum(_ x: UnsafeBufferPointer<Float>) -> Float {
        let lanes = 8
        if x.count < lanes {
            return interleavedSum(x.count) { x[$0] }
        }
        let vectorCount = x.count / lanes
        let base = UnsafeRawPointer(x.baseAddress!)
        let accumulator = interleavedSum(vectorCount) { v -> SIMD8<Float> in
            base.loadUnaligned(fromByteOffset: v &* lanes &* 4, as: SIMD8<Float>.self)
        }
        var total: Float = 0
        for i in (vectorCount * lanes)..<x.count { total += x[i] }
        for lane in 0..<lanes { total += accumulator[lane] }
        return total
    }

    /// `torch.sum` of a contiguous float32 array.
    public static func contiguousSum(_ x: [Float]) -> Float {
        x.withUnsafeBufferPointer { contiguousSum($0) }
    }

    /// Four interleaved cascades (item 4j + k goes to cascade k), leftovers into the first,
    /// then the four added in order: PyTorch's `row_sum`.
    static func interleavedSum<T: CascadeAccumulator>(_ count: Int, _ item: (Int) -> T) -> T {
        // (Four named partial sums, not an array: these sums run millions of times in AWQ's
        // clip search, and an array is a heap allocation per call.)
        let rows = count / 4
        var p0 = cascadeSum(rows) { item($0 &* 4) }
        let p1 = cascadeSum(rows) { item($0 &* 4 &+ 1) }
        let p2 = cascadeSum(rows) { item($0 &* 4 &+ 2) }
        let p3 = cascadeSum(rows) { item($0 &* 4 &+ 3) }
        for i in (rows * 4)..<count { p0 = p0 + item(i) }
        return ((p0 + p1) + p2) + p3
    }

    /// One cascade over `count` items (PyTorch's `multi_row_sum` for one column).
    static func cascadeSum<T: CascadeAccumulator>(_ count: Int, _ item: (Int) -> T) -> T {
        let levels = 4
        let levelPower = max(4, ceilLog2(count) / levels)
        let levelStep = 1 << levelPower
        let levelMask = levelStep - 1
        // acc[0 ... 3] as four variables (no heap allocation per sum).
        var a0 = T.zero, a1 = T.zero, a2 = T.zero, a3 = T.zero
        var i = 0
        while i + levelStep <= count {
            for _ in 0..<levelStep {
                a0 = a0 + item(i)
                i += 1
            }
            // level j takes level j − 1 and restarts it, until i is not a multiple of 2^(j·p)
            a1 = a1 + a0
            a0 = .zero
            if i & (levelMask << levelPower) != 0 { continue }
            a2 = a2 + a1
            a1 = .zero
            if i & (levelMask << (2 * levelPower)) != 0 { continue }
            a3 = a3 + a2
            a2 = .zero
        }
        while i < count {
            a0 = a0 + item(i)
            i += 1
        }
        return ((a0 + a1) + a2) + a3
    }

    /// ⌈log2 n⌉ (0 for n ≤ 1), as c10's `CeilLog2`.
    static func ceilLog2(_ n: Int) -> Int {
        n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount
    }
}

/// What a cascade adds: a float32 scalar, or an 8-lane vector added lane by lane (the same
/// roundings as AVX2's `vaddps`).
protocol CascadeAccumulator {
    static var zero: Self { get }
    static func + (lhs: Self, rhs: Self) -> Self
}

extension Float: CascadeAccumulator {}
extension SIMD8: CascadeAccumulator where Scalar == Float {}
