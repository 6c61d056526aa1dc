/// The fast path behind `Matmul`'s three products: the same sums as `referenceAccumulate`'s
/// i-k-j loop, computed with **register tiles** over **packed** copies of A and B.
///
/// ```
/// C[i][j] (+)= Σₚ A[i][p] · B[p][j]     A(i, p) = a[i·k + p], or a[p·m + i] when aTransposed
///                                       B(p, j) = b[p·n + j], or b[j·k + p] when bTransposed
/// strip:  B(p₀ ..< p₁, j₀ ..< j₀+8), read in place from a row-major B, or packed as [p][8]
///         (zero past column n) when B is transposed or the last strip is narrower than 8
/// splats: [p][6][4] — A(i₀+r, p) repeated in all four lanes, for the six rows of a tile
/// tile:   C[i₀ ..< i₀+6][j₀ ..< j₀+8] in twelve SIMD4<Float> registers while p runs p₀ ..< p₁
/// ```
///
/// What changes against the reference: the i-k-j loop loads and stores a whole row of C for
/// every p; here a 6 × 8 tile of C stays in registers, each loaded B vector is used six times
/// and each A value eight times. A's values are stored pre-broadcast ("splatted") once per
/// row block, so the inner loop is only loads, multiplies and adds (x86-64's baseline SSE
/// has no broadcasting load; a shuffle per A value would slow the loop by a fifth). k is cut
/// into blocks of `depthBlock` (64) so that a block's splats (6 KB) and strip of B stay in L1
/// cache together (256 was 5 % slower: 24 KB of splats crowd the strip out). Packing B is also where
/// `productTransposingB` transposes W, so no separate transposed copy is made.
///
/// What does *not* change — and why the results are identical bit for bit: every output
/// C[i][j] is one SIMD lane that starts at +0 (or at C[i][j] when accumulating) and adds
/// A[i][p] · B[p][j] for p = 0, 1, …, k − 1 in that order, one multiply and one add each,
/// exactly the operations of the reference. Between k-blocks the partial sum goes to C and
/// comes back unchanged (a Float store and load are exact). Tiling only decides *which
/// outputs* are computed side by side; no sum is split, reordered or fused (Swift never
/// contracts a · b + c into an FMA on its own). A bias, when given, is added once after the
/// last product, as `Linear` did in a separate loop. Edge tiles (fewer than 6 rows or 8
/// columns) compute on zero padding and store only the real outputs.
extension Matmul {
    typealias Vector = SIMD4<Float>
    /// Rows and columns of one register tile; values of k per block.
    static let tileRows = 6, tileColumns = 8, depthBlock = 64

    /// C = A · B (+ bias) as a new m × n array. Every value is written by the kernel, so the
    /// array skips the zero fill `[Float](repeating: 0, count:)` would do.
    static func tiledProduct(
        _ a: [Float], aTransposed: Bool, _ b: [Float], bTransposed: Bool, m: Int, k: Int, n: Int, bias: [Float]? = nil
    ) -> [Float] {
        uninitializedFloats(count: m * n) { c in
            tiledAccumulate(
                into: c, a, aTransposed: aTransposed, b, bTransposed: bTransposed, m: m, k: k, n: n,
                startFromZero: true, bias: bias)
        }
    }

    /// C += A · B into an existing m × n array (a gradient).
    static func tiledAccumulate(
        into c: inout [Float], _ a: [Float], aTransposed: Bool, _ b: [Float], bTransposed: Bool, m: Int, k: Int, n: Int
    ) {
        precondition(c.count == m * n, "tiledAccumulate: C holds \(c.count) values, expected \(m)×\(n)")
        c.withUnsafeMutableBufferPointer { c in
            guard let c = c.baseAddress else { return }
            tiledAccumulate(
                into: c, a, aTransposed: aTransposed, b, bTransposed: bTransposed, m: m, k: k, n: n, startFromZero: false)
        }
    }

    /// C (+)= A · B (+ bias), in the layouts described above. With `startFromZero` C's old
    /// values are neither read nor needed (a product); otherwise the products are added to
    /// them (a gradient).
    static func tiledAccumulate(
        into c: UnsafeMutablePointer<Float>, _ a: [Float], aTransposed: Bool, _ b: [Float], bTransposed: Bool,
        m: Int, k: Int, n: Int, startFromZero: Bool, bias: [Float]? = nil
    ) {
        precondition(a.count == m * k && b.count == k * n, "tiledAccumulate: sizes do not match")
        precondition(bias == nil || (bias!.count == n && startFromZero), "tiledAccumulate: bias must be [n], products only")
        guard m > 0, n > 0 else { return }
        let strips = (n + tileColumns - 1) / tileColumns
        // Strips that cannot be read in place: all of them when B is transposed, else the last
        // one if it is narrower than 8. packed: [those strips][k][8].
        let firstPacked = bTransposed ? 0 : n / tileColumns
        // (At least one element each, so that their base addresses exist.)
        var packed = [Float](repeating: 0, count: Swift.max(1, (strips - firstPacked) * k * tileColumns))
        var paddedBias = [Float](repeating: 0, count: strips * tileColumns)
        if let bias { for j in 0..<n { paddedBias[j] = bias[j] } }
        a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
        packed.withUnsafeMutableBufferPointer { packed in
        paddedBias.withUnsafeBufferPointer { paddedBias in
            let (a, b, packed) = (a.baseAddress!, b.baseAddress!, packed.baseAddress!)
            for s in firstPacked..<strips {
                pack(b, transposed: bTransposed, k: k, n: n, columns: (s &* tileColumns)..<Swift.min(n, (s &+ 1) &* tileColumns),
                     into: packed + (s &- firstPacked) &* k &* tileColumns)
            }
            // Row blocks write disjoint rows of C: on a large product they are shared out over
            // the cores (KernelThreads), each piece with its own splats; every output's sum is
            // unchanged.
            let rowBlocks = (m + tileRows - 1) / tileRows
            KernelThreads.forEachPiece(items: rowBlocks, work: m * n * Swift.max(k, 1)) { blocks in
            var splats = [Float](repeating: 0, count: Swift.max(1, Swift.min(k, depthBlock) * tileRows * 4))
            splats.withUnsafeMutableBufferPointer { splats in
            let splats = splats.baseAddress!
            var p0 = 0
            repeat {  // one block of k (at least one pass, so that k = 0 still adds the bias)
                let p1 = Swift.min(k, p0 &+ depthBlock)
                let isFirstBlock = p0 == 0, isLastBlock = p1 == k
                for block in blocks {
                    let i0 = block &* tileRows
                    let rows = Swift.min(tileRows, m &- i0)
                    splat(a, aTransposed: aTransposed, m: m, k: k, rows: i0..<(i0 &+ rows), depth: p0..<p1, into: splats)
                    for s in 0..<strips {
                        let j0 = s &* tileColumns
                        let inPlace = s < firstPacked
                        let strip: UnsafePointer<Float> = inPlace
                            ? b + (p0 &* n &+ j0)
                            : UnsafePointer(packed + ((s &- firstPacked) &* k &+ p0) &* tileColumns)
                        tile(
                            splats: splats, rows: rows, depth: p1 &- p0, strip: strip,
                            stripStride: inPlace ? n : tileColumns,
                            c: c + (i0 &* n &+ j0), n: n, width: Swift.min(tileColumns, n &- j0),
                            load: !(startFromZero && isFirstBlock),
                            bias: bias != nil && isLastBlock ? paddedBias.baseAddress! + j0 : nil)
                    }
                }
                p0 = p1
            } while p0 < k
            }}
        }}}}
    }

    /// panel[p][t] = B(p, columns.lowerBound + t) for the (at most 8) `columns`; the caller
    /// zeroed the lanes past the strip's width.
    static func pack(
        _ b: UnsafePointer<Float>, transposed: Bool, k: Int, n: Int, columns: Range<Int>,
        into panel: UnsafeMutablePointer<Float>
    ) {
        for (t, j) in columns.enumerated() {
            if transposed {  // B(·, j) is row j of the stored n × k matrix
                let row = b + j &* k
                for p in 0..<k { panel[p &* tileColumns &+ t] = row[p] }
            } else {
                for p in 0..<k { panel[p &* tileColumns &+ t] = b[p &* n &+ j] }
            }
        }
    }

    /// splats[p − p₀][r] = four copies of A(rows.lowerBound + r, p), zero for r past the
    /// block's last row.
    @inline(__always)
    static func splat(
        _ a: UnsafePointer<Float>, aTransposed: Bool, m: Int, k: Int, rows: Range<Int>, depth: Range<Int>,
        into splats: UnsafeMutablePointer<Float>
    ) {
        var out = UnsafeMutableRawPointer(splats)
        // A(i, p) is at a[i·rowStride + p·stepStride].
        let (rowStride, stepStride) = aTransposed ? (1, m) : (k, 1)
        let first = a + rows.lowerBound &* rowStride
        if rows.count == tileRows {  // the common case, without a test per value
            for p in depth {
                let column = first + p &* stepStride
                for r in 0..<tileRows {
                    out.storeBytes(of: Vector(repeating: column[r &* rowStride]), toByteOffset: r &* 16, as: Vector.self)
                }
                out += tileRows &* 16
            }
            return
        }
        for p in depth {
            let column = first + p &* stepStride
            for r in 0..<tileRows {
                let value = r < rows.count ? column[r &* rowStride] : 0
                out.storeBytes(of: Vector(repeating: value), toByteOffset: r &* 16, as: Vector.self)
            }
            out += tileRows &* 16
        }
    }

    /// The micro-kernel: one 6 × 8 tile of C, `depth` steps, one multiply and one add per
    /// output and step. Rows past `rows` and lanes past `width` are computed but not stored.
    @inline(__always)
    static func tile(
        splats: UnsafePointer<Float>, rows: Int, depth: Int, strip: UnsafePointer<Float>, stripStride: Int,
        c: UnsafeMutablePointer<Float>, n: Int, width: Int, load: Bool, bias: UnsafePointer<Float>?
    ) {
        var c00 = Vector(), c01 = Vector(), c10 = Vector(), c11 = Vector(), c20 = Vector(), c21 = Vector()
        var c30 = Vector(), c31 = Vector(), c40 = Vector(), c41 = Vector(), c50 = Vector(), c51 = Vector()
        if load {
            (c00, c01) = loadRow(c, width: width)
            if rows > 1 { (c10, c11) = loadRow(c + n, width: width) }
            if rows > 2 { (c20, c21) = loadRow(c + 2 &* n, width: width) }
            if rows > 3 { (c30, c31) = loadRow(c + 3 &* n, width: width) }
            if rows > 4 { (c40, c41) = loadRow(c + 4 &* n, width: width) }
            if rows > 5 { (c50, c51) = loadRow(c + 5 &* n, width: width) }
        }
        var pa = UnsafeRawPointer(splats), pb = UnsafeRawPointer(strip)
        let stepBytes = stripStride &* MemoryLayout<Float>.stride
        for _ in 0..<depth {
            let b0 = pb.loadUnaligned(as: Vector.self), b1 = pb.loadUnaligned(fromByteOffset: 16, as: Vector.self)
            let x0 = pa.loadUnaligned(as: Vector.self)
            c00 += x0 * b0
            c01 += x0 * b1
            let x1 = pa.loadUnaligned(fromByteOffset: 16, as: Vector.self)
            c10 += x1 * b0
            c11 += x1 * b1
            let x2 = pa.loadUnaligned(fromByteOffset: 32, as: Vector.self)
            c20 += x2 * b0
            c21 += x2 * b1
            let x3 = pa.loadUnaligned(fromByteOffset: 48, as: Vector.self)
            c30 += x3 * b0
            c31 += x3 * b1
            let x4 = pa.loadUnaligned(fromByteOffset: 64, as: Vector.self)
            c40 += x4 * b0
            c41 += x4 * b1
            let x5 = pa.loadUnaligned(fromByteOffset: 80, as: Vector.self)
            c50 += x5 * b0
            c51 += x5 * b1
            pa += tileRows &* 16
            pb += stepBytes
        }
        if let bias {
            let raw = UnsafeRawPointer(bias)
            let lo = raw.loadUnaligned(as: Vector.self), hi = raw.loadUnaligned(fromByteOffset: 16, as: Vector.self)
            c00 += lo; c01 += hi; c10 += lo; c11 += hi; c20 += lo; c21 += hi
            c30 += lo; c31 += hi; c40 += lo; c41 += hi; c50 += lo; c51 += hi
        }
        storeRow(c, c00, c01, width: width)
        if rows > 1 { storeRow(c + n, c10, c11, width: width) }
        if rows > 2 { storeRow(c + 2 &* n, c20, c21, width: width) }
        if rows > 3 { storeRow(c + 3 &* n, c30, c31, width: width) }
        if rows > 4 { storeRow(c + 4 &* n, c40, c41, width: width) }
        if rows > 5 { storeRow(c + 5 &* n, c50, c51, width: width) }
    }

    /// row[0 ..< width] as two vectors, zeros past `width`.
    @inline(__always)
    static func loadRow(_ row: UnsafePointer<Float>, width: Int) -> (Vector, Vector) {
        if width == tileColumns {
            let raw = UnsafeRawPointer(row)
            return (raw.loadUnaligned(as: Vector.self), raw.loadUnaligned(fromByteOffset: 16, as: Vector.self))
        }
        var lo = Vector(), hi = Vector()
        for t in 0..<width { if t < 4 { lo[t] = row[t] } else { hi[t &- 4] = row[t] } }
        return (lo, hi)
    }

    /// row[0 ..< width] = the first `width` lanes of (lo, hi).
    @inline(__always)
    static func storeRow(_ row: UnsafeMutablePointer<Float>, _ lo: Vector, _ hi: Vector, width: Int) {
        if width == tileColumns {
            let raw = UnsafeMutableRawPointer(row)
            raw.storeBytes(of: lo, as: Vector.self)
            raw.storeBytes(of: hi, toByteOffset: 16, as: Vector.self)
        } else {
            for t in 0..<width { row[t] = t < 4 ? lo[t] : hi[t &- 4] }
        }
    }
}
