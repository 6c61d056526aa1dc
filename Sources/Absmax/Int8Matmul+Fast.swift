import Core

/// The fast path of `Int8Matmul` (the readable loop is in Int8Matmul.swift).
extension Int8Matmul {
    /// Rows of B (columns of C) per cache block: 128 rows × up to 4096 bytes = 512 KiB,
    /// sized to stay in a 1 MiB L2 cache while every row pair of A streams past it.
    static let columnBlock = 128
    /// Values of k per block: the kernel adds the block sums to C, so any k works.
    static let depthBlock = 4096

    /// C = A · Bᵀ, the same exact integers as `referenceProduct`, faster in release builds:
    ///
    /// 1. **A 2 × 4 register tile**: two rows of A against four rows of B give eight Int32
    ///    sums in one pass over k, so each loaded A value is used four times and each B
    ///    value twice. LLVM vectorises the pass (8 or 16 values of k per step).
    /// 2. **Cache blocking**: 128 rows of B are kept hot in L2 while all of A streams by.
    /// 3. **`&+` and `&*`**: the sums cannot overflow (k ≤ `maxInnerDimension`), and the
    ///    wrapping operators let the loop vectorise without overflow checks.
    ///
    /// Integer addition is associative, so — unlike the float kernels — `product` and `referenceProduct`
    /// agree exactly, whatever the order of the sum (`Int8MatmulFastPathTests`).
    public static func product(_ a: [Int8], _ b: [Int8], m: Int, k: Int, n: Int) -> [Int32] {
        checkSizes(a.count, b.count, m: m, k: k, n: n)
        var c = [Int32](repeating: 0, count: m * n)
        guard m > 0, n > 0, k > 0 else { return c }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    multiplyBlocked(a.baseAddress!, b.baseAddress!, c.baseAddress!, m: m, k: k, n: n)
                }
            }
        }
        return c
    }

    static func multiplyBlocked(
        _ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, _ c: UnsafeMutablePointer<Int32>,
        m: Int, k: Int, n: Int
    ) {
        var j0 = 0
        while j0 < n {
            let j1 = Swift.min(n, j0 &+ columnBlock)
            var p0 = 0
            while p0 < k {
                let depth = Swift.min(depthBlock, k &- p0)
                var i = 0
                while i < m {
                    let twoRows = i &+ 1 < m
                    let a0 = a + (i &* k &+ p0)
                    let a1 = twoRows ? a0 + k : a0  // the last odd row pairs with itself
                    let c0 = c + (i &* n)
                    let c1 = twoRows ? c0 + n : c0
                    var j = j0
                    while j &+ 4 <= j1 {
                        tile2x4(a0, a1, b + (j &* k &+ p0), depth: depth, k: k, c0 + j, c1 + j, twoRows: twoRows)
                        j &+= 4
                    }
                    while j < j1 {  // the last n mod 4 columns, one dot product each
                        let bj = b + (j &* k &+ p0)
                        c0[j] &+= dot(a0, bj, depth)
                        if twoRows { c1[j] &+= dot(a1, bj, depth) }
                        j &+= 1
                    }
                    i &+= 2
                }
                p0 &+= depthBlock
            }
            j0 = j1
        }
    }

    /// The micro-kernel: c0[0..<4] += A row a0 · B rows b0…b3, c1[0..<4] likewise for a1.
    /// Each B row is `k` bytes after the previous one; the sums run over `depth` values.
    @inline(__always)
    static func tile2x4(
        _ a0: UnsafePointer<Int8>, _ a1: UnsafePointer<Int8>, _ b0: UnsafePointer<Int8>,
        depth: Int, k: Int, _ c0: UnsafeMutablePointer<Int32>, _ c1: UnsafeMutablePointer<Int32>,
        twoRows: Bool
    ) {
        let b1 = b0 + k, b2 = b1 + k, b3 = b2 + k
        var s00: Int32 = 0, s01: Int32 = 0, s02: Int32 = 0, s03: Int32 = 0
        var s10: Int32 = 0, s11: Int32 = 0, s12: Int32 = 0, s13: Int32 = 0
        for p in 0..<depth {
            let x0 = Int32(a0[p]), x1 = Int32(a1[p])
            let y0 = Int32(b0[p]), y1 = Int32(b1[p]), y2 = Int32(b2[p]), y3 = Int32(b3[p])
            s00 &+= x0 &* y0
            s01 &+= x0 &* y1
            s02 &+= x0 &* y2
            s03 &+= x0 &* y3
            s10 &+= x1 &* y0
            s11 &+= x1 &* y1
            s12 &+= x1 &* y2
            s13 &+= x1 &* y3
        }
        c0[0] &+= s00
        c0[1] &+= s01
        c0[2] &+= s02
        c0[3] &+= s03
        if twoRows {
            c1[0] &+= s10
            c1[1] &+= s11
            c1[2] &+= s12
            c1[3] &+= s13
        }
    }

    @inline(__always)
    static func dot(_ x: UnsafePointer<Int8>, _ y: UnsafePointer<Int8>, _ count: Int) -> Int32 {
        var sum: Int32 = 0
        for p in 0..<count { sum &+= Int32(x[p]) &* Int32(y[p]) }
        return sum
    }
}
