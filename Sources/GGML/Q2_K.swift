/// Q2_K: a super-block of 256 two-bit codes in 16 sub-blocks of 16, each with a 4-bit scale
/// and a 4-bit min under fp16 d and dmin: 2.625 bits per weight.
///
/// ```c
/// typedef struct {
///     uint8_t scales[QK_K / 16];  // scale in the low nibble, min in the high nibble
///     uint8_t qs[QK_K / 4];       // 2-bit codes
///     ggml_half d;                // super-scale of the scales
///     ggml_half dmin;             // super-scale of the mins
/// } block_q2_K;  // 84 bytes, QK_K = 256
/// ```
/// Element `e`, with `n = e / 128`, `k = (e % 128) / 32`, `l = e % 32`: code
/// `q = (qs[32n + l] >> 2k) & 3`. Dequantize (`dequantize_row_q2_K`):
/// `x = (d · (scales[e / 16] & 0xF)) · q − (dmin · (scales[e / 16] >> 4))`.
///
/// Quantize (`quantize_row_q2_K_ref`): each sub-block's scale and min from
/// `make_qkx2_quants` (nmax 3, weights |x|, rmin −0.5, rdelta 0.1, nstep 15, minimising the
/// weighted *absolute* error); the 4-bit scale `nearest_int(15 / max_scale · scale)`,
/// `d = fp16(max_scale / 15)`, the mins likewise; then every code is re-picked against the
/// stored d · sc and dmin · m. With an importance matrix (`quantize_row_q2_K_impl`):
/// weights `w · sqrt(σ² + x²)` with σ² = Σx² / 256, the finer grid (rmin −0.9, rdelta 0.05,
/// nstep 36, squared error), and the 4-bit scales, mins, d and dmin from `make_qp_quants`.
/// Without search: `nstep 0` — each sub-block's plain min(x, 0) and (max − min) / 3.
public enum Q2_K: KQuantFormat {
    public static let name = "Q2_K"
    public static let blockSize = 256
    /// 16 (scales) + 64 (qs) + 2 (d) + 2 (dmin).
    public static let bytesPerBlock = 84

    public static func appendBlock(
        _ block: ArraySlice<Float>, path: KQuantPath, to bytes: inout [UInt8]
    ) {
        let x = Array(block)
        var codes: [Int] = []
        var scaleBytes = [UInt8](repeating: 0, count: 16)
        var dBytes: [UInt8] = []
        switch path {
        case .reference, .withoutSearch:
            let reference = StepGrid(rmin: -0.5, rdelta: 0.1, nstep: 15, absoluteError: true)
            let grid = path.searches ? reference : StepGrid.none
            var scales: [Float] = []
            var mins: [Float] = []
            var maxScale: Float = 0
            var maxMin: Float = 0
            for j in 0..<16 {
                let sub = x[16 * j..<16 * j + 16]
                let r = makeQKX2Quants(sub, nmax: 3, weights: sub.map { abs($0) }, grid: grid)
                scales.append(r.scale)
                mins.append(r.min)
                codes += r.codes
                if r.scale > maxScale { maxScale = r.scale }
                if r.min > maxMin { maxMin = r.min }
            }
            if maxScale > 0 {
                let iscale = 15 / maxScale
                for j in 0..<16 {
                    scaleBytes[j] = UInt8(truncatingIfNeeded: nearestInt(iscale * scales[j]))
                }
                HalfField.append(maxScale / 15, to: &dBytes)
            } else {
                HalfField.append(0, to: &dBytes)
            }
            if maxMin > 0 {
                let iscale = 15 / maxMin
                for j in 0..<16 {
                    scaleBytes[j] |= UInt8(truncatingIfNeeded: nearestInt(iscale * mins[j]) << 4)
                }
                HalfField.append(maxMin / 15, to: &dBytes)
            } else {
                HalfField.append(0, to: &dBytes)
            }
        case .importance(let importance):
            let qw = Array(importance)
            let sigma2 = sumOfSquares(block) / 256
            var scales: [Float] = []
            var mins: [Float] = []
            var subBlockWeights: [Float] = []
            for j in 0..<16 {
                let sub = x[16 * j..<16 * j + 16]
                let weights = (16 * j..<16 * j + 16).map { i in
                    qw[i] * (sigma2 + x[i] * x[i]).squareRoot()
                }
                subBlockWeights.append(sequentialSum(weights))
                let r = makeQKX2Quants(
                    sub, nmax: 3, weights: weights, grid: ScaleMinSuperBlock.importanceGrid)
                scales.append(r.scale)
                mins.append(r.min)
                codes += r.codes
            }
            let (d, scaleCodes) = makeQPQuants(scales, nmax: 15, weights: subBlockWeights)
            let (dmin, minCodes) = makeQPQuants(mins, nmax: 15, weights: subBlockWeights)
            HalfField.append(d, to: &dBytes)
            HalfField.append(dmin, to: &dBytes)
            for j in 0..<16 { scaleBytes[j] = scaleCodes[j] | minCodes[j] << 4 }
        }
        let d = HalfField.read(dBytes[...], at: 0)
        let dmin = HalfField.read(dBytes[...], at: 2)
        for j in 0..<16 {
            let dj = d * Float(scaleBytes[j] & 0xF)
            if dj == 0 { continue }  // C: if (!d) continue; — keeps the search's codes
            let mj = dmin * Float(scaleBytes[j] >> 4)
            for i in 16 * j..<16 * j + 16 {
                codes[i] = Swift.max(0, Swift.min(3, nearestInt((x[i] + mj) / dj)))
            }
        }
        var qs = [UInt8](repeating: 0, count: 64)
        for e in 0..<256 {
            let q = UInt8(truncatingIfNeeded: codes[e])
            qs[32 * (e / 128) + e % 32] |= q << (2 * ((e % 128) / 32))
        }
        bytes += scaleBytes
        bytes += qs
        bytes += dBytes
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let b = Array(block)
        let d = HalfField.read(block, at: 80)
        let dmin = HalfField.read(block, at: 82)
        for e in 0..<256 {
            let q = (b[16 + 32 * (e / 128) + e % 32] >> (2 * ((e % 128) / 32))) & 3
            let sc = b[e / 16]
            values.append(d * Float(sc & 0xF) * Float(q) - dmin * Float(sc >> 4))
        }
    }
}
