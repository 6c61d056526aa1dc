/// Q3_K: a super-block of 256 three-bit codes in 16 sub-blocks of 16, each with a signed
/// 6-bit scale under one fp16 super-scale, no mins: 3.4375 bits per weight.
///
/// ```c
/// typedef struct {
///     uint8_t hmask[QK_K / 8];   // the high bit of each code
///     uint8_t qs[QK_K / 4];      // the low 2 bits
///     uint8_t scales[12];        // 16 six-bit scales, stored + 32
///     ggml_half d;
/// } block_q3_K;  // 110 bytes, QK_K = 256
/// ```
/// Element `e`, with `n = e / 128`, `k = (e % 128) / 32`, `l = e % 32`: low bits
/// `(qs[32n + l] >> 2k) & 3`, high bit = bit `e / 32` of `hmask[l]`; `q = low − 4` when the
/// high bit is clear, `low` when set: −4 … 3. Scale `s` (0…15) is `S − 32` with `S`'s bits
/// 0–3 in `scales[s % 8]` (low nibble for s < 8, high nibble for s ≥ 8) and bits 4–5 in bits
/// `2(s / 4)…2(s / 4) + 1` of `scales[8 + s % 4]`. Dequantize (`dequantize_row_q3_K`):
/// `x = (d · (S − 32)) · q`.
///
/// Quantize (`quantize_row_q3_K_ref`): each sub-block's signed scale from `make_q3_quants`
/// (nmax 4, coordinate descent on Σ x²(x − s·q)²); the scale of largest magnitude sets
/// `iscale = −32 / max_scale`, `S = clamp(nearest_int(iscale · scale), −32, 31) + 32`,
/// `d = fp16(1 / iscale)`; every code is re-picked against the stored `d · (S − 32)`.
/// With an importance matrix (`quantize_row_q3_K_impl`): weights `w · sqrt(σ² + x²)`,
/// σ² = 2 · Σx² / 256, `make_qx_quants` per sub-block, and the 16 scales themselves
/// quantized by `make_qx_quants(16, 32, scales, weights = summed sub-block weights)`, which
/// gives d. Without search: `make_q3_quants`' `do_rmse false`, scale `max / −4`.
public enum Q3_K: KQuantFormat {
    public static let name = "Q3_K"
    public static let blockSize = 256
    /// 32 (hmask) + 64 (qs) + 12 (scales) + 2 (d).
    public static let bytesPerBlock = 110

    public static func appendBlock(
        _ block: ArraySlice<Float>, path: KQuantPath, to bytes: inout [UInt8]
    ) {
        let x = Array(block)
        var codes: [Int] = []  // q + 4, 0…7 (0 for a negligible sub-block)
        var packedScales: [UInt8]
        var dBytes: [UInt8] = []
        switch path {
        case .reference, .withoutSearch:
            let search = path.searches
            var scales: [Float] = []
            var maxScale: Float = 0
            var amax: Float = 0
            for j in 0..<16 {
                let r = makeQ3Quants(x[16 * j..<16 * j + 16], nmax: 4, search: search)
                scales.append(r.scale)
                codes += r.codes
                if abs(r.scale) > amax {
                    amax = abs(r.scale)
                    maxScale = r.scale
                }
            }
            if maxScale != 0 {
                let iscale = -32 / maxScale
                let S = scales.map { s in
                    let l = Int(Int8(truncatingIfNeeded: nearestInt(iscale * s)))
                    return Swift.max(-32, Swift.min(31, l)) + 32
                }
                packedScales = packScales(S)
                HalfField.append(1 / iscale, to: &dBytes)
            } else {
                packedScales = [UInt8](repeating: 0, count: 12)
                HalfField.append(0, to: &dBytes)
            }
        case .importance(let importance):
            let qw = Array(importance)
            let sigma2 = 2 * sumOfSquares(block) / 256
            var scales: [Float] = []
            var subBlockWeights: [Float] = []
            for j in 0..<16 {
                let weights = (16 * j..<16 * j + 16).map { i in
                    qw[i] * (sigma2 + x[i] * x[i]).squareRoot()
                }
                subBlockWeights.append(sequentialSum(weights))
                let r = makeQXQuants(x[16 * j..<16 * j + 16], nmax: 4, weights: weights[...])
                scales.append(r.scale)
                codes += r.codes
            }
            let (d, S) = makeQXQuants(scales[...], nmax: 32, weights: subBlockWeights[...])
            packedScales = packScales(S)
            HalfField.append(d, to: &dBytes)
        }
        let d = HalfField.read(dBytes[...], at: 0)
        let S = unpackScales(packedScales[...])
        for j in 0..<16 {
            let dj = d * Float(S[j] - 32)
            if dj == 0 { continue }  // C: if (!d) continue; — keeps the search's codes
            for i in 16 * j..<16 * j + 16 {
                codes[i] = Swift.max(-4, Swift.min(3, nearestInt(x[i] / dj))) + 4
            }
        }
        var hmask = [UInt8](repeating: 0, count: 32)
        var qs = [UInt8](repeating: 0, count: 64)
        for e in 0..<256 {
            var q = UInt8(truncatingIfNeeded: codes[e])
            if q > 3 {
                hmask[e % 32] |= 1 << (e / 32)
                q -= 4
            }
            qs[32 * (e / 128) + e % 32] |= q << (2 * ((e % 128) / 32))
        }
        bytes += hmask
        bytes += qs
        bytes += packedScales
        bytes += dBytes
    }

    /// Sixteen 6-bit values (0…63) into 12 bytes: low nibbles in bytes 0–7 (s < 8 low, s ≥ 8
    /// high), bits 4–5 in bytes 8–11 (`quantize_row_q3_K_ref`'s packing loop).
    static func packScales(_ S: [Int]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 12)
        for j in 0..<16 {
            let l = UInt8(truncatingIfNeeded: S[j])
            if j < 8 { bytes[j] = l & 0xF } else { bytes[j - 8] |= (l & 0xF) << 4 }
            bytes[8 + j % 4] |= (l >> 4) << (2 * (j / 4))
        }
        return bytes
    }

    /// The 16 stored values S (scale + 32) from the 12 bytes.
    static func unpackScales(_ bytes: ArraySlice<UInt8>) -> [Int] {
        let b = Array(bytes)
        return (0..<16).map { j in
            let low = j < 8 ? b[j] & 0xF : b[j - 8] >> 4
            let high = (b[8 + j % 4] >> (2 * (j / 4))) & 3
            return Int(low | high << 4)
        }
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let b = Array(block)
        let d = HalfField.read(block, at: 108)
        let S = unpackScales(block[block.startIndex + 96..<block.startIndex + 108])
        for e in 0..<256 {
            let low = Int((b[32 + 32 * (e / 128) + e % 32] >> (2 * ((e % 128) / 32))) & 3)
            let highSet = (b[e % 32] >> (e / 32)) & 1 == 1
            let dl = d * Float(S[e / 16] - 32)
            values.append(dl * Float(low - (highSet ? 0 : 4)))
        }
    }
}
