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
/// (nmax 32, weights x²; KQuantSearch.swift); the scale of largest magnitude sets
/// `iscale = −128 / max_scale`, `d = fp16(1 / iscale)`; each sub-block scale becomes
/// `min(127, nearest_int(iscale · scale))`; then every code is re-picked against the stored
/// `d · scales[j]`. `nearest_int` rounds half to even (adding 1.5 · 2²³).
/// With an importance matrix (`quantize_row_q6_K_impl`): the same, with `make_qx_quants`
/// weighting each error by the importance itself (`qw[i]`, not x² — ggml's σ²-weighting is
/// commented out there). Without search: `make_qx_quants`' `rmse_type 0`, each sub-block's
/// scale `max / −32` from its signed absmax, codes by plain rounding.
public enum Q6_K: KQuantFormat {
    public static let name = "Q6_K"
    public static let blockSize = 256
    /// 128 (ql) + 64 (qh) + 16 (int8 scales) + 2 (fp16 d).
    public static let bytesPerBlock = 210

    public static func appendBlock(
        _ block: ArraySlice<Float>, path: KQuantPath, to bytes: inout [UInt8]
    ) {
        let x = Array(block)
        let qw = path.importance.map { Array($0) }  // nil: weights x² (rmse_type 1)
        let perSubBlock = (0..<16).map { j in
            makeQXQuants(
                x[16 * j..<16 * j + 16], nmax: 32, weights: qw?[16 * j..<16 * j + 16],
                search: path.searches)
        }
        let scales = perSubBlock.map(\.scale)
        var maxScale: Float = 0
        var maxAbsScale: Float = 0
        for s in scales where abs(s) > maxAbsScale {
            maxAbsScale = abs(s)
            maxScale = s
        }
        if maxAbsScale < groupMaxEpsilon {  // an all-zero block: every byte 0, d = +0
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
        var codes = perSubBlock.flatMap(\.codes).map { UInt8(truncatingIfNeeded: $0) }  // q + 32
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
                let c0 = codes[128 * n + l], c1 = codes[128 * n + 32 + l]
                let c2 = codes[128 * n + 64 + l], c3 = codes[128 * n + 96 + l]
                ql[64 * n + l] = (c0 & 0x0F) | (c2 & 0x0F) << 4
                ql[64 * n + 32 + l] = (c1 & 0x0F) | (c3 & 0x0F) << 4
                qh[32 * n + l] = c0 >> 4 | (c1 >> 4) << 2 | (c2 >> 4) << 4 | (c3 >> 4) << 6
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
