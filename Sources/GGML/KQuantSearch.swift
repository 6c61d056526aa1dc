/// The scale searches of llama.cpp's k-quants, `ggml/src/ggml-quants.c` (llama.cpp 0c1e57098):
/// `make_qx_quants`, `make_q3_quants` and `make_qp_quants` for scales without a minimum (Q3_K,
/// Q6_K, and the scales of the scales); `make_qkx2_quants` — with `make_qkx3_quants`, the
/// same search — for a scale and a minimum (Q2_K, Q4_K, Q5_K) is in KQuantMinSearch.swift.
///
/// All of them answer one question for a small group of values x with weights w: which
/// step `s` (and offset) and which integer codes `q` in a fixed range make
///
/// ```
/// E(s) = Σᵢ wᵢ (xᵢ − s · qᵢ)²
/// ```
///
/// small? For fixed codes the best step is the least-squares one, `s = Σ w x q / Σ w q²`,
/// and then `E = Σ w x² − (Σ w x q)² / Σ w q²`: the codes that maximise
/// `(Σ w x q)² / Σ w q²` win. The codes come from rounding `x` against a handful of
/// candidate inverse steps near `nmax / max|x|` — the plain absmax choice is just one of them.
///
/// Every float operation is written in the order and precision the C code uses (float32,
/// no fused multiply-add), because the byte-for-byte tests depend on it.

/// ggml's `nearest_int`: round to nearest, ties to even, through float32 bits — adding
/// 1.5 · 2²³ = 12582912 pushes the integer part into the low mantissa bits (valid for
/// |v| ≤ 4194303; outside that range, and for NaN, the result is the same garbage integer
/// C computes, never a trap).
@inline(__always)
func nearestInt(_ v: Float) -> Int {
    let bits = Int32(bitPattern: (v + 12_582_912).bitPattern)
    return Int((bits & 0x007f_ffff) - 0x0040_0000)
}

/// `GROUP_MAX_EPS`: a group whose largest |x| is below this is treated as all zeros.
let groupMaxEpsilon: Float = 1e-15

/// `make_qx_quants(n, nmax, x, L, rmse_type 1, qw)`: a symmetric step for codes
/// q ∈ −nmax … nmax−1, returned as `codes = q + nmax`.
///
/// Minimises Σ w (x − s·q)² with w = `weights` (llama.cpp's `qw`) or, when nil, w = x².
/// Candidates: inverse steps `−(nmax + 0.1·k) / max` for k = −9 … 9, where `max` is the
/// signed value of largest magnitude (so the largest value lands on −nmax, the code with no
/// positive twin); for each, round, then refit `s = Σ w x q / Σ w q²`; keep the best.
///
/// `search: false` is `rmse_type 0`: only the plain candidate k = 0 and its own step
/// `max / −nmax`, no refit. A group with max|x| < 1e-15 gives s = 0 and every code 0.
func makeQXQuants(
    _ x: ArraySlice<Float>, nmax: Int, weights: ArraySlice<Float>?, search: Bool = true
) -> (scale: Float, codes: [Int]) {
    let x = Array(x)
    let max = signedAbsmax(x[...])  // the first of largest magnitude, with its sign
    let amax = abs(max)
    if amax < groupMaxEpsilon { return (0, [Int](repeating: 0, count: x.count)) }
    func code(_ iscale: Float, _ v: Float) -> Int {
        Swift.max(-nmax, Swift.min(nmax - 1, nearestInt(iscale * v)))
    }
    var iscale = Float(-nmax) / max
    if !search { return (1 / iscale, x.map { code(iscale, $0) + nmax }) }
    let w = weights.map { Array($0) } ?? x.map { $0 * $0 }
    func sums(_ iscale: Float) -> (lx: Float, l2: Float) {
        var sumLX: Float = 0
        var sumL2: Float = 0
        for i in x.indices {
            let l = Float(code(iscale, x[i]))
            sumLX += w[i] * x[i] * l
            sumL2 += w[i] * l * l
        }
        return (sumLX, sumL2)
    }
    var s = sums(iscale)
    var codes = x.map { code(iscale, $0) + nmax }
    var scale: Float = s.l2 != 0 ? s.lx / s.l2 : 0
    var best = scale * s.lx
    for k in -9...9 where k != 0 {
        iscale = -(Float(nmax) + 0.1 * Float(k)) / max
        s = sums(iscale)
        if s.l2 > 0 && s.lx * s.lx > best * s.l2 {
            codes = x.map { code(iscale, $0) + nmax }
            scale = s.lx / s.l2
            best = scale * s.lx
        }
    }
    return (scale, codes)
}

/// `make_q3_quants(n, nmax, x, L, do_rmse)`: Q3_K's symmetric step for codes
/// q ∈ −nmax … nmax−1, returned as `codes = q + nmax`.
///
/// Minimises Σ x² (x − s·q)² by coordinate descent instead of a grid: start from the
/// absmax rounding (`iscale = −nmax / max`), then, up to 5 sweeps, move each code alone to
/// the value the other codes' least-squares step asks for, keeping the move when it raises
/// (Σ w x q)² / Σ w q². The step is the refit `Σ w x q / Σ w q²`.
///
/// `search: false` is `do_rmse false`: the absmax rounding and its step `max / −nmax`.
func makeQ3Quants(
    _ x: ArraySlice<Float>, nmax: Int, search: Bool = true
) -> (scale: Float, codes: [Int]) {
    let x = Array(x)
    let max = signedAbsmax(x[...])  // the first of largest magnitude, with its sign
    let amax = abs(max)
    if amax < groupMaxEpsilon { return (0, [Int](repeating: 0, count: x.count)) }
    func clamp(_ l: Int) -> Int { Swift.max(-nmax, Swift.min(nmax - 1, l)) }
    let iscale = Float(-nmax) / max
    var q = x.map { clamp(nearestInt(iscale * $0)) }
    if !search { return (1 / iscale, q.map { $0 + nmax }) }
    var sumLX: Float = 0
    var sumL2: Float = 0
    for i in x.indices {
        let w = x[i] * x[i]
        sumLX += w * x[i] * Float(q[i])
        sumL2 += w * Float(q[i]) * Float(q[i])
    }
    for _ in 0..<5 {
        var changed = 0
        for i in x.indices {
            let w = x[i] * x[i]
            var slx = sumLX - w * x[i] * Float(q[i])
            guard slx > 0 else { continue }
            var sl2 = sumL2 - w * Float(q[i]) * Float(q[i])
            let newL = clamp(nearestInt(x[i] * sl2 / slx))
            guard newL != q[i] else { continue }
            slx += w * x[i] * Float(newL)
            sl2 += w * Float(newL) * Float(newL)
            if sl2 > 0 && slx * slx * sumL2 > sumLX * sumLX * sl2 {
                q[i] = newL
                sumLX = slx
                sumL2 = sl2
                changed += 1
            }
        }
        if changed == 0 { break }
    }
    return (sumL2 > 0 ? sumLX / sumL2 : 0, q.map { $0 + nmax })
}

/// `make_qp_quants(n, nmax, x, L, quant_weights)`: the importance-matrix path's quantizer
/// for a super-block's non-negative sub-block scales (or mins): codes 0 … nmax and one
/// step d, minimising Σ w (x − d·q)² with w = each sub-block's summed weights.
///
/// First a grid: inverse steps `(nmax + 0.1·k) / max` for k = −4 … 4, each judged by its
/// own error with its own step `1 / iscale` (no refit); then, from the best, up to 5
/// sweeps of coordinate descent as in `make_q3_quants`; the step is the least-squares refit.
/// Codes are bytes as in C: a negative input's code wraps modulo 256.
func makeQPQuants(_ x: [Float], nmax: Int, weights w: [Float]) -> (scale: Float, codes: [UInt8]) {
    var max: Float = 0
    for v in x { max = max > v ? max : v }  // C's MAX(max, x[i]): a NaN x wins
    if max < groupMaxEpsilon { return (0, [UInt8](repeating: 0, count: x.count)) }
    var iscale = Float(nmax) / max
    var codes = x.map { UInt8(truncatingIfNeeded: nearestInt(iscale * $0)) }
    let scale = 1 / iscale
    var bestError: Float = 0
    for i in x.indices {
        let diff = x[i] - scale * Float(codes[i])
        bestError += w[i] * diff * diff
    }
    for k in -4...4 where k != 0 {
        let iscaleK = (0.1 * Float(k) + Float(nmax)) / max
        let scaleK = 1 / iscaleK
        var error: Float = 0
        for i in x.indices {
            let l = Swift.min(nmax, nearestInt(iscaleK * x[i]))
            let diff = x[i] - scaleK * Float(l)
            error += w[i] * diff * diff
        }
        if error < bestError {
            bestError = error
            iscale = iscaleK
        }
    }
    var sumLX: Float = 0
    var sumL2: Float = 0
    for i in x.indices {
        let l = Swift.min(nmax, nearestInt(iscale * x[i]))
        codes[i] = UInt8(truncatingIfNeeded: l)
        sumLX += w[i] * x[i] * Float(l)
        sumL2 += w[i] * Float(l) * Float(l)
    }
    for _ in 0..<5 {
        var changed = 0
        for i in x.indices {
            var slx = sumLX - w[i] * x[i] * Float(codes[i])
            var sl2 = sumL2 - w[i] * Float(codes[i]) * Float(codes[i])
            guard slx > 0 && sl2 > 0 else { continue }
            let newL = Swift.min(nmax, nearestInt(x[i] * sl2 / slx))
            guard newL != Int(codes[i]) else { continue }
            slx += w[i] * x[i] * Float(newL)
            sl2 += w[i] * Float(newL) * Float(newL)
            if slx * slx * sumL2 > sumLX * sumLX * sl2 {
                codes[i] = UInt8(truncatingIfNeeded: newL)
                sumLX = slx
                sumL2 = sl2
                changed += 1
            }
        }
        if changed == 0 { break }
    }
    return (sumL2 > 0 ? sumLX / sumL2 : 0, codes)
}
