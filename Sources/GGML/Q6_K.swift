/// Q6_K: a super-block of 256 six-bit codes in 16 sub-blocks of 16, each with an int8 scale,
/// under one fp16 super-scale: 6.5625 bits per weight.
///
/// ```c
/// typedef struct {
///     uint8_t ql[QK_K / 2];      // low 4 bits
///     uint8_t qh[QK_K / 4];      // high 2 bits
///     int8_t  scales[QK_K / 16];
///     ggml_half d;
/// } block_q6_K;  // 210 bytes, QK_K = 256
/// ```
/// Element `e`, with `n = e / 128`, `k = (e % 128) / 32`, `l = e % 32`: its low 4 bits are
/// nibble `k / 2` of `ql[64n + 32(k % 2) + l]`, its high 2 bits are bits `2k…2k+1` of
/// `qh[32n + l]`; `q = (low | high << 4) − 32` in −32…31.
/// Dequantize (`dequantize_row_q6_K`): `x = d · scales[e / 16] · q`, float32, left to right.
///
/// Quantize (`quantize_row_q6_K_ref`): each sub-block's own best scale from `make_qx_quants`
/// (nmax 32, weights x²; ``subBlockScale(_:)``); the scale of largest magnitude sets
/// `iscale = −128 / max_scale`, `d = fp16(1 / iscale)`; each sub-block scale becomes
/// `min(127, nearest_int(iscale · scale))`; then every code is re-picked against the stored
/// `d · scales[j]`. `nearest_int` rounds half to even (adding 1.5 · 2²³).
public enum Q6_K: BlockFormat {
    public static let name = "Q6_K"
    public static let blockSize = 256
    /// 128 (ql) + 64 (qh) + 16 (int8 scales) + 2 (fp16 d).
    public static let bytesPerBlock = 210

    /// ggml's `nearest_int`: round to nearest, ties to even, through float32 bits
    /// (valid for |v| ≤ 4194303).
    static func nearestInt(_ v: Float) -> Int {
        let bits = Int32(bitPattern: (v + 12_582_912).bitPattern)
        return Int((bits & 0x007f_ffff) - 0x0040_0000)
    }

    /// `make_qx_quants(16, 32, x, L, rmse_type 1, NULL)`: the weighted least-squares scale
    /// (weights x²) over 19 candidate grids `iscale = −(32 + 0.1 · s) / max`, s = −9…9, and
    /// the codes `L` (q + 32) of the grid that won — kept where a sub-block's int8 scale
    /// rounds to 0. A negligible sub-block gives scale 0 and every code 0.
    static func subBlockScale(_ x: ArraySlice<Float>) -> (scale: Float, codes: [UInt8]) {
        let nmax: Float = 32
        var amax: Float = 0
        var max: Float = 0
        for v in x where abs(v) > amax {
            amax = abs(v)
            max = v
        }
        if amax < 1e-15 { return (0, [UInt8](repeating: 0, count: x.count)) }  // GROUP_MAX_EPS
        func codes(_ iscale: Float) -> [UInt8] {
            x.map { UInt8(Swift.max(-32, Swift.min(31, nearestInt(iscale * $0))) + 32) }
        }
        func sums(_ iscale: Float) -> (lx: Float, l2: Float) {
            var sumLX: Float = 0
            var sumL2: Float = 0
            for v in x {
                let l = Float(Swift.max(-32, Swift.min(31, nearestInt(iscale * v))))
                let w = v * v
                sumLX += w * v * l
                sumL2 += w * l * l
            }
            return (sumLX, sumL2)
        }
        var s = sums(-nmax / max)
        var bestL = codes(-nmax / max)
        var scale: Float = s.l2 != 0 ? s.lx / s.l2 : 0
        var best = scale * s.lx
        for step in -9...9 where step != 0 {
            let iscale = -(nmax + 0.1 * Float(step)) / max
            s = sums(iscale)
            if s.l2 > 0 && s.lx * s.lx > best * s.l2 {
                bestL = codes(iscale)
                scale = s.lx / s.l2
                best = scale * s.lx
            }
        }
        return (scale, bestL)
    }

    public static func appendBlock(_ block: ArraySlice<Float>, to bytes: inout [UInt8]) {
        let x = Array(block)
        let perSubBlock = (0..<16).map { subBlockScale(x[16 * $0..<16 * $0 + 16]) }
        let scales = perSubBlock.map(\.scale)
        var maxScale: Float = 0
        var maxAbsScale: Float = 0
        for s in scales where abs(s) > maxAbsScale {
            maxAbsScale = abs(s)
            maxScale = s
        }
        if maxAbsScale < 1e-15 {  // an all-zero block: every byte 0, d = +0
            bytes.append(contentsOf: [UInt8](repeating: 0, count: bytesPerBlock))
            return
        }
        let iscale = -128 / maxScale
        var dBytes: [UInt8] = []
        HalfField.append(1 / iscale, to: &dBytes)
        let d = HalfField.read(dBytes[...], at: 0)
        let intScales = scales.map {
            Int8(truncatingIfNeeded: Swift.min(127, nearestInt(iscale * $0)))
        }
        var codes = perSubBlock.flatMap(\.codes)  // q + 32, in 0…63
        for j in 0..<16 {
            let dj = d * Float(intScales[j])
            if dj == 0 { continue }  // C leaves these codes from make_qx_quants
            for i in 0..<16 {
                let l = Swift.max(-32, Swift.min(31, nearestInt(x[16 * j + i] / dj)))
                codes[16 * j + i] = UInt8(l + 32)
            }
        }
        var ql = [UInt8](repeating: 0, count: 128)
        var qh = [UInt8](repeating: 0, count: 64)
        for n in 0..<2 {
            for l in 0..<32 {
                let c = (0..<4).map { codes[128 * n + 32 * $0 + l] }
                ql[64 * n + l] = (c[0] & 0x0F) | (c[2] & 0x0F) << 4
                ql[64 * n + 32 + l] = (c[1] & 0x0F) | (c[3] & 0x0F) << 4
                qh[32 * n + l] = c[0] >> 4 | (c[1] >> 4) << 2 | (c[2] >> 4) << 4 | (c[3] >> 4) << 6
            }
        }
        bytes.append(contentsOf: ql)
        bytes.append(contentsOf: qh)
        bytes.append(contentsOf: intScales.map { UInt8(bitPattern: $0) })
        bytes.append(contentsOf: dBytes)
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let b = Array(block)
        let d = HalfField.read(block, at: 208)
        for e in 0..<256 {
            let n = e / 128, k = (e % 128) / 32, l = e % 32
            let low = (b[64 * n + 32 * (k % 2) + l] >> (4 * (k / 2))) & 0x0F
            let high = (b[128 + 32 * n + l] >> (2 * k)) & 3
            let q = Int(low | high << 4) - 32
            let scale = Float(Int8(bitPattern: b[192 + e / 16]))
            values.append(d * scale * Float(q))
        }
    }
}
