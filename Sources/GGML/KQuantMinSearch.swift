/// The grid of candidate steps llama.cpp's `make_qkx2_quants` searches (and
/// `make_qkx3_quants`, which differs only when no weights are passed — every caller here
/// passes them): `(nmax + rmin + rdelta · k) / (max − min)` for k = 0 … nstep.
///
/// `quantize_row_q2_K_ref`: rmin −0.5, rdelta 0.1, nstep 15 with absolute-error weights;
/// `quantize_row_q4_K_ref`: rmin −1, rdelta 0.1, nstep 20; `quantize_row_q5_K_ref`:
/// rmin −0.5, rdelta 0.1, nstep 15; every `quantize_row_qN_K_impl` (importance matrix):
/// rmin −0.9, rdelta 0.05, nstep 36.
struct StepGrid {
    let rmin: Float
    let rdelta: Float
    let nstep: Int
    /// true: minimise Σ w |error| (`use_mad`, Q2_K's reference path); false: Σ w error².
    var absoluteError = false

    /// `nstep 0`: no candidate is tried; the plain min/max step stands.
    static let none = StepGrid(rmin: 0, rdelta: 0, nstep: 0)
}

/// `make_qkx2_quants(n, nmax, x, weights, L, &the_min, Laux, rmin, rdelta, nstep, use_mad)`:
/// an asymmetric step for codes q ∈ 0 … nmax with an offset, x ≈ scale · q − min.
///
/// Minimises the weighted error Σ w (scale · q + m − x)² (or Σ w |…| with
/// `grid.absoluteError`), m = −min ≤ 0. Start: m = min(x, 0) (the minimum, but never above
/// zero), scale = (max − m) / nmax — the plain min/max rounding. Then for each candidate
/// inverse step of `grid`, round the codes against it and solve the 2×2 weighted least
/// squares for (scale, m) in closed form,
///
/// ```
/// D = Σw · Σw q² − (Σw q)²
/// scale = (Σw · Σw q x − Σw x · Σw q) / D,   m = (Σw q² · Σw x − Σw q · Σw q x) / D
/// ```
///
/// (if that m is positive, m = 0 and scale = Σw q x / Σw q²); keep the candidate whose
/// error is lowest. Returns the step, `min` = −m ≥ 0 as ggml stores it, and codes 0 … nmax.
/// A constant group (max = min after the clamp) gives scale 0, codes 0.
func makeQKX2Quants(
    _ x: ArraySlice<Float>, nmax: Int, weights: [Float], grid: StepGrid
) -> (scale: Float, min: Float, codes: [Int]) {
    let x = Array(x)
    let w = weights
    var min = x[0]
    var max = x[0]
    var sumW = w[0]
    var sumX = sumW * x[0]
    for i in 1..<x.count {
        if x[i] < min { min = x[i] }
        if x[i] > max { max = x[i] }
        sumW += w[i]
        sumX += w[i] * x[i]
    }
    if min > 0 { min = 0 }
    if max == min { return (0, -min, [Int](repeating: 0, count: x.count)) }
    func error(_ scale: Float, _ m: Float, _ codes: [Int]) -> Float {
        var total: Float = 0
        for i in x.indices {
            var diff = scale * Float(codes[i]) + m - x[i]
            diff = grid.absoluteError ? abs(diff) : diff * diff
            total += w[i] * diff
        }
        return total
    }
    // Codes are written into `codes` in place (one buffer per candidate would cost an
    // allocation each of the 21–37 steps).
    func round(_ iscale: Float, _ m: Float, into codes: inout [Int]) {
        for i in x.indices {
            codes[i] = Swift.max(0, Swift.min(nmax, nearestInt(iscale * (x[i] - m))))
        }
    }
    var iscale = Float(nmax) / (max - min)
    var scale = 1 / iscale
    var best = [Int](repeating: 0, count: x.count)
    round(iscale, min, into: &best)
    var bestError = error(scale, min, best)
    if grid.nstep < 1 { return (scale, -min, best) }
    var candidate = best
    for k in 0...grid.nstep {
        iscale = (grid.rmin + grid.rdelta * Float(k) + Float(nmax)) / (max - min)
        round(iscale, min, into: &candidate)
        var sumL: Float = 0
        var sumL2: Float = 0
        var sumXL: Float = 0
        for i in x.indices {
            let l = Float(candidate[i])
            sumL += w[i] * l
            sumL2 += w[i] * l * l
            sumXL += w[i] * l * x[i]
        }
        let D = sumW * sumL2 - sumL * sumL
        guard D > 0 else { continue }
        var thisScale = (sumW * sumXL - sumX * sumL) / D
        var thisMin = (sumL2 * sumX - sumL * sumXL) / D
        if thisMin > 0 {
            thisMin = 0
            thisScale = sumXL / sumL2
        }
        let thisError = error(thisScale, thisMin, candidate)
        if thisError < bestError {
            swap(&best, &candidate)  // candidate is overwritten by the next step
            bestError = thisError
            scale = thisScale
            min = thisMin
        }
    }
    return (scale, -min, best)
}
