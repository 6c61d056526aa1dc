import Core

/// Float32 matrix multiplication C = A · B, naive first, fast second.
///
/// ```
/// a: [m][k] Float, b: [k][n] Float, c: [m][n] Float — all row-major
/// C[i][j] = Σ_p A[i][p] · B[p][j]
/// ```
///
/// `naive` is the textbook triple loop: one dot product per output, walking B down a
/// column (a stride of n floats per step, so every load is a cache miss on big matrices).
///
/// `fast` computes the same sums with four changes:
/// 1. **i-k-j order over hoisted rows**: C's row i is updated by A[i][p] · (row p of B), so
///    both B and C are read along rows (contiguous, vectorisable).
/// 2. **Register tiles**: a 4 × 16 tile of C stays in eight `SIMD8<Float>` registers while
///    p runs, so each loaded B vector is used four times and each A value sixteen times.
/// 3. **Packing**: the k-block × 16 strip of B the tile needs is copied once into a
///    contiguous panel that stays in L1 cache.
/// 4. **Cache blocking**: k in blocks of 256, and the packed panel in blocks of 32 strips
///    (512 columns, 512 KiB) that stay in L2 cache while every row of A passes by.
///
/// Both kernels are single-threaded, and they do **not** give bit-identical results: `naive`
/// adds the k products one after another, `fast` sums each k-block of 256 products in a
/// register and then adds the block sums to C — the same terms, grouped differently, and
/// float addition is not associative. The tests compare them with a tolerance of a few
/// units in the last place of Σ|A||B| (see `FloatMatmulTests`).
public enum FloatMatmul {

    /// C = A · B by the textbook i-j-k loop (the reference).
    public static func naive(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        checkSizes(a.count, b.count, m: m, k: k, n: n)
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k { sum += a[i * k + p] * b[p * n + j] }
                c[i * n + j] = sum
            }
        }
        return c
    }

    /// Tile sizes of `fast`: MR rows × NR columns of C in registers, KC values of k per block.
    static let mr = 4, nr = 16, kc = 256
    /// Column strips per cache block: 32 · 256 · 16 floats = 512 KiB of packed B.
    static let stripsPerBlock = 32

    /// C = A · B with register tiles, packed panels of B and k-blocking (see the type's
    /// documentation). Same function as `naive`; much faster in release builds.
    public static func fast(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        checkSizes(a.count, b.count, m: m, k: k, n: n)
        var c = [Float](repeating: 0, count: m * n)
        guard m > 0, n > 0, k > 0 else { return c }
        let strips = (n + nr - 1) / nr
        // panel: [strips][kc][16] floats — the current k-block of B, one 16-wide column
        // strip after another, zero-padded on the right when n is not a multiple of 16.
        var panel = [Float](repeating: 0, count: strips * kc * nr)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    panel.withUnsafeMutableBufferPointer { panel in
                        var p0 = 0
                        while p0 < k {
                            let depth = Swift.min(kc, k - p0)
                            packB(b.baseAddress!, n: n, rows: p0..<(p0 + depth), into: panel.baseAddress!)
                            // 32 strips of the panel (512 KiB) stay in L2 while all of A passes.
                            var s0 = 0
                            while s0 < strips {
                                let s1 = Swift.min(strips, s0 &+ stripsPerBlock)
                                var i0 = 0
                                while i0 < m {
                                    let rows = Swift.min(mr, m - i0)
                                    for s in s0..<s1 {
                                        tile(
                                            a: a.baseAddress!, lda: k, i0: i0, rows: rows, p0: p0, depth: depth,
                                            panel: panel.baseAddress! + s * kc * nr,
                                            c: c.baseAddress!, n: n, j0: s * nr)
                                    }
                                    i0 &+= mr
                                }
                                s0 = s1
                            }
                            p0 &+= kc
                        }
                    }
                }
            }
        }
        return c
    }

    /// Copies B[rows][0..<n] into 16-wide strips: panel[s][p][t] = B[rows.lower + p][16s + t].
    static func packB(_ b: UnsafePointer<Float>, n: Int, rows: Range<Int>, into panel: UnsafeMutablePointer<Float>) {
        let strips = (n + nr - 1) / nr
        for s in 0..<strips {
            let j0 = s &* nr
            let width = Swift.min(nr, n - j0)
            var dst = panel + (s &* kc &* nr)
            for p in rows {
                let src = b + (p &* n &+ j0)
                for t in 0..<width { dst[t] = src[t] }
                for t in width..<nr { dst[t] = 0 }
                dst += nr
            }
        }
    }

    /// The micro-kernel: C[i0..<i0+rows][j0..<j0+16] += A[i0..<i0+rows][p0..<p0+depth] · panel.
    /// Rows beyond `rows` (the bottom edge) read row i0 again and are not stored; columns
    /// beyond n (the right edge) are computed on the zero padding and not stored.
    @inline(__always)
    static func tile(
        a: UnsafePointer<Float>, lda: Int, i0: Int, rows: Int, p0: Int, depth: Int,
        panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, n: Int, j0: Int
    ) {
        // The four A rows of this tile (edge rows alias row i0; their results are dropped).
        let a0 = a + (i0 &* lda &+ p0)
        let a1 = rows > 1 ? a0 + lda : a0
        let a2 = rows > 2 ? a0 + (2 &* lda) : a0
        let a3 = rows > 3 ? a0 + (3 &* lda) : a0
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        let raw = UnsafeRawPointer(panel)
        for p in 0..<depth {
            let b0 = raw.loadUnaligned(fromByteOffset: (p &* 16) &* 4, as: SIMD8<Float>.self)
            let b1 = raw.loadUnaligned(fromByteOffset: (p &* 16 &+ 8) &* 4, as: SIMD8<Float>.self)
            let x0 = SIMD8<Float>(repeating: a0[p]), x1 = SIMD8<Float>(repeating: a1[p])
            let x2 = SIMD8<Float>(repeating: a2[p]), x3 = SIMD8<Float>(repeating: a3[p])
            c00 += x0 * b0
            c01 += x0 * b1
            c10 += x1 * b0
            c11 += x1 * b1
            c20 += x2 * b0
            c21 += x2 * b1
            c30 += x3 * b0
            c31 += x3 * b1
        }
        let width = Swift.min(nr, n - j0)
        let row0 = c + (i0 &* n &+ j0)
        addToRow(row0, c00, c01, width: width)
        if rows > 1 { addToRow(row0 + n, c10, c11, width: width) }
        if rows > 2 { addToRow(row0 + (2 &* n), c20, c21, width: width) }
        if rows > 3 { addToRow(row0 + (3 &* n), c30, c31, width: width) }
    }

    /// row[0..<width] += (lo, hi) — 16 values, or fewer at the right edge of C.
    @inline(__always)
    static func addToRow(_ row: UnsafeMutablePointer<Float>, _ lo: SIMD8<Float>, _ hi: SIMD8<Float>, width: Int) {
        if width == 16 {
            let raw = UnsafeMutableRawPointer(row)
            raw.storeBytes(of: raw.loadUnaligned(as: SIMD8<Float>.self) + lo, as: SIMD8<Float>.self)
            raw.storeBytes(
                of: raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self) + hi,
                toByteOffset: 32, as: SIMD8<Float>.self)
        } else {
            for t in 0..<width { row[t] += t < 8 ? lo[t] : hi[t &- 8] }
        }
    }

    /// C = A · B for 2-D tensors, with a typed error for anything else.
    public static func multiply(_ a: Tensor, _ b: Tensor, fast useFast: Bool = true) throws(MatmulError) -> Tensor {
        guard a.rank == 2 else { throw .notAMatrix(operand: "A", shape: a.shape) }
        guard b.rank == 2 else { throw .notAMatrix(operand: "B", shape: b.shape) }
        guard a.shape[1] == b.shape[0] else { throw .innerDimensionMismatch(left: a.shape, right: b.shape) }
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        let c = useFast ? fast(a.data, b.data, m: m, k: k, n: n) : naive(a.data, b.data, m: m, k: k, n: n)
        return Tensor(shape: [m, n], data: c)
    }

    static func checkSizes(_ aCount: Int, _ bCount: Int, m: Int, k: Int, n: Int) {
        precondition(m >= 0 && k >= 0 && n >= 0, "negative matrix size")
        precondition(aCount == m * k, "A holds \(aCount) values, expected \(m)×\(k)")
        precondition(bCount == k * n, "B holds \(bCount) values, expected \(k)×\(n)")
    }
}
