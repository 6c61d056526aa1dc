/// What Q4_K and Q5_K share: a super-block of 256 values in 8 sub-blocks of 32, each stored
/// as x ≈ (d · sc) · q − (dmin · m) with 6-bit `sc` and `m` (ScaleMinPacking.swift) under the
/// fp16 super-scales d and dmin; codes q in 0 … nmax (15 or 31). Only the code bits differ
/// (Q5_K adds a fifth bit plane), so the scale work lives here once.
///
/// The 16 header bytes: fp16 d, fp16 dmin, then the 12 packed scale bytes
/// (`block_q4_K`/`block_q5_K` in ggml-common.h).
enum ScaleMinSuperBlock {
    /// Quantizes 256 values: the 16 header bytes and the 256 codes (0 … nmax).
    ///
    /// Reference (`quantize_row_q4_K_ref`, `…q5_K_ref`): per sub-block, weights
    /// `sqrt(mean(x²)) + |x|` and `make_qkx2_quants` over `grid`; then the eight scales are
    /// rounded to 6 bits against the largest, `sc = min(63, nearest_int(63 / max · scale))`,
    /// `d = fp16(max / 63)`, and the mins the same way.
    /// Importance (`…_impl`): weights `w · sqrt(σ² + x²)` with σ² = 2 · Σx² / 256 over the
    /// super-block, the finer grid (rmin −0.9, rdelta 0.05, nstep 36), and the 6-bit scales,
    /// mins, d and dmin from `make_qp_quants` weighted by each sub-block's summed weights
    /// (Q5_K clamps those codes to 63 as well, Q4_K does not: `clampsImportanceCodes`).
    /// Without search: the reference path with `nstep 0` — each sub-block's min = min(x, 0)
    /// and scale = (max − min) / nmax.
    /// Every path then re-rounds each code against the stored fp16 d · sc and dmin · m.
    static func quantize(
        _ block: ArraySlice<Float>, nmax: Int, referenceGrid: StepGrid, path: KQuantPath,
        clampsImportanceCodes: Bool
    ) -> (header: [UInt8], codes: [Int]) {
        let x = Array(block)
        var scales: [Float] = []
        var mins: [Float] = []
        var codes: [Int] = []
        var header: [UInt8] = []
        switch path {
        case .reference, .withoutSearch:
            let grid = path.searches ? referenceGrid : StepGrid.none
            var maxScale: Float = 0
            var maxMin: Float = 0
            for j in 0..<8 {
                let sub = x[32 * j..<32 * j + 32]
                let averageMagnitude = (sumOfSquares(sub) / 32).squareRoot()
                let weights = sub.map { averageMagnitude + abs($0) }
                let r = makeQKX2Quants(sub, nmax: nmax, weights: weights, grid: grid)
                scales.append(r.scale)
                mins.append(r.min)
                codes += r.codes
                if r.scale > maxScale { maxScale = r.scale }
                if r.min > maxMin { maxMin = r.min }
            }
            let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
            let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
            func sixBits(_ v: Float) -> UInt8 {
                Swift.min(63, UInt8(truncatingIfNeeded: nearestInt(v)))
            }
            let sc = scales.map { sixBits(inverseScale * $0) }
            let m = mins.map { sixBits(inverseMin * $0) }
            HalfField.append(maxScale / 63, to: &header)
            HalfField.append(maxMin / 63, to: &header)
            header += ScaleMinPacking.pack(scales: sc, mins: m)
        case .importance(let importance):
            let qw = Array(importance)
            let sigma2 = 2 * sumOfSquares(block) / 256
            var subBlockWeights: [Float] = []
            for j in 0..<8 {
                let sub = x[32 * j..<32 * j + 32]
                let weights = (0..<32).map { l in
                    qw[32 * j + l] * (sigma2 + x[32 * j + l] * x[32 * j + l]).squareRoot()
                }
                subBlockWeights.append(sequentialSum(weights))
                let r = makeQKX2Quants(sub, nmax: nmax, weights: weights, grid: importanceGrid)
                scales.append(r.scale)
                mins.append(r.min)
                codes += r.codes
            }
            let (d, scaleCodes) = makeQPQuants(scales, nmax: 63, weights: subBlockWeights)
            let (dmin, minCodes) = makeQPQuants(mins, nmax: 63, weights: subBlockWeights)
            let limit: UInt8 = clampsImportanceCodes ? 63 : 255
            HalfField.append(d, to: &header)
            HalfField.append(dmin, to: &header)
            header += ScaleMinPacking.pack(
                scales: scaleCodes.map { Swift.min(limit, $0) },
                mins: minCodes.map { Swift.min(limit, $0) })
        }
        let steps = subBlockSteps(header[...])
        for j in 0..<8 where steps[j].d != 0 {  // C: if (!d) continue; — keeps the search's codes
            for i in 32 * j..<32 * j + 32 {
                let q = nearestInt((x[i] + steps[j].m) / steps[j].d)
                codes[i] = Swift.max(0, Swift.min(nmax, q))
            }
        }
        return (header, codes)
    }

    /// `make_qkx3_quants`' grid in every `quantize_row_qN_K_impl`.
    static let importanceGrid = StepGrid(rmin: -0.9, rdelta: 0.05, nstep: 36)

    /// Each sub-block's step d · sc and offset dmin · m from the 16 header bytes (float32
    /// products, as `dequantize_row_q4_K` forms them).
    static func subBlockSteps(_ header: ArraySlice<UInt8>) -> [(d: Float, m: Float)] {
        let d = HalfField.read(header, at: 0)
        let dmin = HalfField.read(header, at: 2)
        let start = header.startIndex + 4
        let (sc, m) = ScaleMinPacking.unpack(Array(header[start..<start + 12]))
        return (0..<8).map { (d * Float(sc[$0]), dmin * Float(m[$0])) }
    }
}
