/// Q5_K: Q4_K with a fifth code bit — 256 five-bit codes in 8 sub-blocks of 32, 6-bit scales
/// and mins under fp16 d and dmin: 5.5 bits per weight.
///
/// ```c
/// typedef struct {
///     ggml_half d;                    // super-scale of the scales
///     ggml_half dmin;                 // super-scale of the mins
///     uint8_t scales[K_SCALE_SIZE];   // packed exactly as Q4_K's (12 bytes)
///     uint8_t qh[QK_K / 8];           // bit 4 of each code
///     uint8_t qs[QK_K / 2];           // bits 0-3, nibbles as Q4_K
/// } block_q5_K;  // 176 bytes, QK_K = 256
/// ```
/// Element `e`: bits 0–3 as Q4_K's code (`qs[32 · (e / 64) + e % 32]`, low nibble for
/// `e % 64 < 32`), bit 4 is bit `e / 32` of `qh[e % 32]`. Dequantize
/// (`dequantize_row_q5_K`): `x = (d · sc) · q − (dmin · m)`, q in 0…31.
///
/// Quantize (ScaleMinSuperBlock.swift): `quantize_row_q5_K_ref` searches each sub-block
/// with `make_qkx2_quants` (nmax 31, rmin −0.5, rdelta 0.1, nstep 15); with an importance
/// matrix, `quantize_row_q5_K_impl`; without search, each sub-block's plain min(x, 0) and
/// (max − min) / 31.
public enum Q5_K: KQuantFormat {
    public static let name = "Q5_K"
    public static let blockSize = 256
    /// 2 (d) + 2 (dmin) + 12 (scales) + 32 (qh) + 128 (qs).
    public static let bytesPerBlock = 176

    public static func appendBlock(
        _ block: ArraySlice<Float>, path: KQuantPath, to bytes: inout [UInt8]
    ) {
        let (header, codes) = ScaleMinSuperBlock.quantize(
            block, nmax: 31, referenceGrid: StepGrid(rmin: -0.5, rdelta: 0.1, nstep: 15),
            path: path, clampsImportanceCodes: true)
        var qh = [UInt8](repeating: 0, count: 32)
        var qs = [UInt8](repeating: 0, count: 128)
        for e in 0..<256 {
            let q = UInt8(truncatingIfNeeded: codes[e])
            let byte = 32 * (e / 64) + e % 32
            qs[byte] |= e % 64 < 32 ? q & 0xF : (q & 0xF) << 4
            if q > 15 { qh[e % 32] |= 1 << (e / 32) }
        }
        bytes += header
        bytes += qh
        bytes += qs
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let steps = ScaleMinSuperBlock.subBlockSteps(block)
        let qh = block.startIndex + 16
        let qs = block.startIndex + 48
        for e in 0..<256 {
            let byte = block[qs + 32 * (e / 64) + e % 32]
            let low = e % 64 < 32 ? byte & 0xF : byte >> 4
            let high: UInt8 = block[qh + e % 32] >> (e / 32) & 1 == 1 ? 16 : 0
            values.append(steps[e / 32].d * Float(low + high) - steps[e / 32].m)
        }
    }
}
