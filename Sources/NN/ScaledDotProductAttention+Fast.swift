import Core

/// The fast path of `ScaledDotProductAttention`: the arithmetic of `referenceForward` and
/// `referenceBackward`, operation for operation, with independent outputs computed side by
/// side in `SIMD4<Float>` lanes.
///
/// ```
/// kᵀ, vᵀ: [D][T′] per batch row and head, T′ = T rounded up to 16, zero-padded
/// scores:  lane s of  Σⱼ q_t[j] · kᵀ[j][s]        j = 0, 1, …, D−1 in order, from 0
/// out_t:   lane j of  Σₛ p[t][s] · v_s[j]         s = 0, 1, …, t in order, from 0
/// dp:      lane s of  Σⱼ dout_t[j] · vᵀ[j][s]
/// dq_t:    lane j of  Σₛ dscore[t][s] · k_s[j]
/// dv_s:    lane j of  Σ_{t ≥ s} p[t][s] · dout_t[j]        t = s, s+1, …, T−1 in order, from 0
/// dk_s:    lane j of  Σ_{t ≥ s} dscore[t][s] · q_t[j]
/// ```
///
/// What changes: the reference computes one dot product q_t · k_s after another, each a
/// chain of D dependent additions; here sixteen of them (sixteen keys s) advance together,
/// one lane each, reading kᵀ so that the keys' j-th values sit side by side. The weighted
/// sums run in registers, sixteen channels j per pass. The reference adds into dv_s and dk_s
/// once for every t ≥ s, in memory; here each is summed over t in registers, in the same
/// order, and stored once. The exponentials go through `FastExp`, all rows of a head in one
/// call. Lanes past t (or past T) compute on keys the mask ignores (or on zero padding) and
/// are never read.
///
/// What does not change: inside every lane the additions happen in the reference's order,
/// starting from 0, with the same operands — no sum is split or reordered, no FMA. The
/// maximum, the sum of the exponentials and Σ p·dp stay scalar loops over s in order, and
/// `FastExp` returns `Math.exp`'s Floats exactly. So the results equal the reference's bit
/// for bit.
extension ScaledDotProductAttention {
    typealias Vector = SIMD4<Float>

    /// out [B][T][C] for the cached q, k, v; fills `probabilities`.
    ///
    /// Per (batch row, head) in three passes, so that the exponentials of all T rows go to
    /// `FastExp` in one call: the rows of score − max, stored one after another (row t holds
    /// t + 1 values, from offset t(t+1)/2); their exponentials; then each row's sum,
    /// probabilities and weighted sum of values.
    func fastForward(batch b: Int, time t: Int, channels c: Int) -> [Float] {
        let d = c / heads, paddedTime = (t + 15) & ~15, triangle = t * (t + 1) / 2
        let scale = 1 / Float(d).squareRoot()
        let heads = heads
        var out = [Float](repeating: 0, count: b * t * c)
        q.withUnsafeBufferPointer { q in
        k.withUnsafeBufferPointer { k in
        v.withUnsafeBufferPointer { v in
        probabilities.withUnsafeMutableBufferPointer { probabilities in
        out.withUnsafeMutableBufferPointer { out in
            let (q, k, v, out) = (q.baseAddress!, k.baseAddress!, v.baseAddress!, out.baseAddress!)
            let probabilities = probabilities.baseAddress!
            // Batch rows are independent: on a large batch they are shared out over the cores
            // (KernelThreads), each piece with its own scratch rows.
            KernelThreads.forEachPiece(items: b, work: b &* heads &* t &* t &* d) { batchRows in
            var keysT = [Float](repeating: 0, count: d * paddedTime)  // kᵀ of one (batch row, head)
            var scores = [Float](repeating: 0, count: paddedTime)  // one row's scores
            var shifted = [Float](repeating: 0, count: triangle), exps = shifted  // all rows, packed
            keysT.withUnsafeMutableBufferPointer { keysT in
            scores.withUnsafeMutableBufferPointer { scores in
            shifted.withUnsafeMutableBufferPointer { shifted in
            exps.withUnsafeMutableBufferPointer { exps in
            let (keysT, scores, shifted, exps) = (keysT.baseAddress!, scores.baseAddress!, shifted.baseAddress!, exps.baseAddress!)
            for bi in batchRows {
                for h in 0..<heads {
                    let head = bi &* t &* c &+ h &* d  // offset of (bi, time 0, head h)
                    Self.transposeHead(k + head, time: t, channels: c, width: d, into: keysT, stride: paddedTime)
                    for ti in 0..<t {
                        Self.dots(q + (head &+ ti &* c), keysT, stride: paddedTime, width: d, count: ti &+ 1, into: scores)
                        var maxScore = -Float.infinity
                        for s in 0...ti {
                            scores[s] = scores[s] * scale
                            maxScore = max(maxScore, scores[s])
                        }
                        let row = shifted + ti &* (ti &+ 1) / 2
                        for s in 0...ti { row[s] = scores[s] - maxScore }
                    }
                    // e^(score − max) as Float(Math.exp(Double(…))), bit for bit (FastExp).
                    FastExp.apply(shifted, count: triangle, into: exps)
                    let pBase = probabilities + (bi &* heads &+ h) &* t &* t
                    for ti in 0..<t {
                        let e = exps + ti &* (ti &+ 1) / 2, pRow = pBase + ti &* t
                        var sum: Float = 0
                        for s in 0...ti { sum += e[s] }
                        for s in 0...ti {
                            e[s] = e[s] / sum
                            pRow[s] = e[s]
                        }
                        Self.weightedSum(
                            e, stride: 1, of: v + head, rowStride: c, count: ti &+ 1, width: d, into: out + (head &+ ti &* c))
                    }
                }
            }
            }}}}
            }
        }}}}}
        return out
    }

    /// (dq, dk, dv) [B][T][C] for dL/dout, from the cached q, k, v and probabilities.
    ///
    /// Per (batch row, head) in two passes. First, for each t: dp, Σ p·dp, the row of
    /// dscore (kept) and dq_t. Then, for each s: dv_s and dk_s, summing over t = s, s+1, …
    /// in registers — the order in which the reference adds into them, one t at a time.
    func fastBackward(_ dOut: [Float]) -> (dq: [Float], dk: [Float], dv: [Float]) {
        let (b, t, c) = shape
        let d = c / heads, paddedTime = (t + 15) & ~15
        let scale = 1 / Float(d).squareRoot()
        var dq = [Float](repeating: 0, count: q.count)
        var dk = [Float](repeating: 0, count: k.count)
        var dv = [Float](repeating: 0, count: v.count)
        let heads = heads
        q.withUnsafeBufferPointer { q in
        k.withUnsafeBufferPointer { k in
        v.withUnsafeBufferPointer { v in
        probabilities.withUnsafeBufferPointer { probabilities in
        dOut.withUnsafeBufferPointer { dOut in
        dq.withUnsafeMutableBufferPointer { dq in
        dk.withUnsafeMutableBufferPointer { dk in
        dv.withUnsafeMutableBufferPointer { dv in
            let (q, k, v, dOut) = (q.baseAddress!, k.baseAddress!, v.baseAddress!, dOut.baseAddress!)
            let (dq, dk, dv) = (dq.baseAddress!, dk.baseAddress!, dv.baseAddress!)
            let probabilities = probabilities.baseAddress!
            // Batch rows are independent, as in the forward pass.
            KernelThreads.forEachPiece(items: b, work: 2 &* b &* heads &* t &* t &* d) { batchRows in
            var valuesT = [Float](repeating: 0, count: d * paddedTime)  // vᵀ of one (batch row, head)
            var dp = [Float](repeating: 0, count: paddedTime)
            var dScores = [Float](repeating: 0, count: t * t)  // dscore[t][s] of one (batch row, head)
            valuesT.withUnsafeMutableBufferPointer { valuesT in
            dp.withUnsafeMutableBufferPointer { dp in
            dScores.withUnsafeMutableBufferPointer { dScores in
            let (valuesT, dp, dScores) = (valuesT.baseAddress!, dp.baseAddress!, dScores.baseAddress!)
            for bi in batchRows {
                for h in 0..<heads {
                    let head = bi &* t &* c &+ h &* d
                    Self.transposeHead(v + head, time: t, channels: c, width: d, into: valuesT, stride: paddedTime)
                    let pBase = probabilities + (bi &* heads &+ h) &* t &* t
                    for ti in 0..<t {
                        let row = head &+ ti &* c
                        let pRow = pBase + ti &* t, dScoreRow = dScores + ti &* t
                        // dp[s] = dout_t · v_s (several s at a time), then Σ_s p[t][s] · dp[s].
                        Self.dots(dOut + row, valuesT, stride: paddedTime, width: d, count: ti &+ 1, into: dp)
                        var weighted: Float = 0
                        for s in 0...ti { weighted += pRow[s] * dp[s] }
                        // Through the softmax and the 1/√D: dscore[t][s], then dq_t.
                        for s in 0...ti { dScoreRow[s] = pRow[s] * (dp[s] - weighted) * scale }
                        Self.weightedSum(
                            dScoreRow, stride: 1, of: k + head, rowStride: c, count: ti &+ 1, width: d, into: dq + row)
                    }
                    for s in 0..<t {
                        // dv_s = Σ_{t ≥ s} p[t][s] · dout_t and dk_s = Σ_{t ≥ s} dscore[t][s] · q_t.
                        let first = head &+ s &* c
                        Self.weightedSum(
                            pBase + (s &* t &+ s), stride: t, of: dOut + first, rowStride: c, count: t &- s, width: d,
                            into: dv + first)
                        Self.weightedSum(
                            dScores + (s &* t &+ s), stride: t, of: q + first, rowStride: c, count: t &- s, width: d,
                            into: dk + first)
                    }
                }
            }
            }}}
            }
        }}}}}}}}
        return (dq, dk, dv)
    }

    /// xᵀ[j][s] = x[s][j] for one head: x rows `channels` apart, `width` values each.
    @inline(__always)
    static func transposeHead(
        _ x: UnsafePointer<Float>, time: Int, channels: Int, width: Int, into xT: UnsafeMutablePointer<Float>, stride: Int
    ) {
        for s in 0..<time {
            for j in 0..<width { xT[j &* stride &+ s] = x[s &* channels &+ j] }
        }
    }

    /// out[s] = Σⱼ a[j] · bᵀ[j][s] for s in 0 ..< count (rounded up to a multiple of 8; the
    /// extra lanes are scratch), j in order from a zero start — one lane per s, 16 or 8 per pass.
    @inline(__always)
    static func dots(
        _ a: UnsafePointer<Float>, _ bT: UnsafePointer<Float>, stride: Int, width: Int, count: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        let raw = UnsafeRawPointer(bT), result = UnsafeMutableRawPointer(out)
        var s0 = 0
        while s0 &+ 8 < count {  // 16 lanes (the padding makes room for them)
            var v0 = Vector(), v1 = Vector(), v2 = Vector(), v3 = Vector()
            for j in 0..<width {
                let x = Vector(repeating: a[j])
                let offset = (j &* stride &+ s0) &* 4
                v0 += x * raw.loadUnaligned(fromByteOffset: offset, as: Vector.self)
                v1 += x * raw.loadUnaligned(fromByteOffset: offset &+ 16, as: Vector.self)
                v2 += x * raw.loadUnaligned(fromByteOffset: offset &+ 32, as: Vector.self)
                v3 += x * raw.loadUnaligned(fromByteOffset: offset &+ 48, as: Vector.self)
            }
            result.storeBytes(of: v0, toByteOffset: s0 &* 4, as: Vector.self)
            result.storeBytes(of: v1, toByteOffset: s0 &* 4 &+ 16, as: Vector.self)
            result.storeBytes(of: v2, toByteOffset: s0 &* 4 &+ 32, as: Vector.self)
            result.storeBytes(of: v3, toByteOffset: s0 &* 4 &+ 48, as: Vector.self)
            s0 &+= 16
        }
        if s0 < count {  // the last 1 … 8
            var v0 = Vector(), v1 = Vector()
            for j in 0..<width {
                let x = Vector(repeating: a[j])
                let offset = (j &* stride &+ s0) &* 4
                v0 += x * raw.loadUnaligned(fromByteOffset: offset, as: Vector.self)
                v1 += x * raw.loadUnaligned(fromByteOffset: offset &+ 16, as: Vector.self)
            }
            result.storeBytes(of: v0, toByteOffset: s0 &* 4, as: Vector.self)
            result.storeBytes(of: v1, toByteOffset: s0 &* 4 &+ 16, as: Vector.self)
        }
    }

    /// out[j] = Σₛ w[s·stride] · x_s[j] for j in 0 ..< width, s = 0 ..< count in order from a
    /// zero start (x rows `rowStride` apart); four j per vector (up to sixteen per pass over
    /// s), the rest one by one.
    @inline(__always)
    static func weightedSum(
        _ w: UnsafePointer<Float>, stride: Int, of x: UnsafePointer<Float>, rowStride: Int, count: Int, width: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        while j &+ 16 <= width {  // a whole 16-wide head in one pass over s
            var v0 = Vector(), v1 = Vector(), v2 = Vector(), v3 = Vector()
            for s in 0..<count {
                let ws = Vector(repeating: w[s &* stride])
                let xs = UnsafeRawPointer(x + (s &* rowStride &+ j))
                v0 += ws * xs.loadUnaligned(as: Vector.self)
                v1 += ws * xs.loadUnaligned(fromByteOffset: 16, as: Vector.self)
                v2 += ws * xs.loadUnaligned(fromByteOffset: 32, as: Vector.self)
                v3 += ws * xs.loadUnaligned(fromByteOffset: 48, as: Vector.self)
            }
            let result = UnsafeMutableRawPointer(out + j)
            result.storeBytes(of: v0, as: Vector.self)
            result.storeBytes(of: v1, toByteOffset: 16, as: Vector.self)
            result.storeBytes(of: v2, toByteOffset: 32, as: Vector.self)
            result.storeBytes(of: v3, toByteOffset: 48, as: Vector.self)
            j &+= 16
        }
        while j &+ 4 <= width {
            var sum = Vector()
            for s in 0..<count {
                sum += Vector(repeating: w[s &* stride]) * UnsafeRawPointer(x + (s &* rowStride &+ j)).loadUnaligned(as: Vector.self)
            }
            UnsafeMutableRawPointer(out + j).storeBytes(of: sum, as: Vector.self)
            j &+= 4
        }
        while j < width {
            var sum: Float = 0
            for s in 0..<count { sum += w[s &* stride] * x[s &* rowStride &+ j] }
            out[j] = sum
            j &+= 1
        }
    }
}
