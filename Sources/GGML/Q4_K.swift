/// Q4_K: a super-block of 256 four-bit codes in 8 sub-blocks of 32, each with a 6-bit scale
/// and a 6-bit min under fp16 d and dmin: 4.5 bits per weight.
///
/// ```c
/// typedef struct {
///     ggml_half d;                    // super-scale of the scales
///     ggml_half dmin;                 // super-scale of the mins
///     uint8_t scales[K_SCALE_SIZE];   // 8 scales + 8 mins, 6 bits each (12 bytes)
///     uint8_t qs[QK_K / 2];           // 4-bit codes
/// } block_q4_K;  // 144 bytes, QK_K = 256
/// ```
/// Element `e`, with `c = e / 64`, `l = e % 32`: its code is the low nibble of
/// `qs[32c + l]` for `e % 64 < 32`, the high nibble otherwise — sub-blocks 2c and 2c + 1
/// share 32 bytes. Dequantize (`dequantize_row_q4_K`): `x = (d · sc) · q − (dmin · m)`.
///
/// Quantize (ScaleMinSuperBlock.swift): `quantize_row_q4_K_ref` searches each sub-block
/// with `make_qkx2_quants` (nmax 15, rmin −1, rdelta 0.1, nstep 20, weights
/// `sqrt(mean(x²)) + |x|`); with an importance matrix, `quantize_row_q4_K_impl`; without
/// search, each sub-block's plain min(x, 0) and (max − min) / 15.
public enum Q4_K: KQuantFormat {
    public static let name = "Q4_K"
    public static let blockSize = 256
    /// 2 (d) + 2 (dmin) + 12 (scales) + 128 (qs).
    public static let bytesPerBlock = 144

    public static func appendBlock(
        _ block: ArraySlice<Float>, path: KQuantPath, to bytes: inout [UInt8]
    ) {
        let (header, codes) = ScaleMinSuperBlock.quantize(
            block, nmax: 15, referenceGrid: StepGrid(rmin: -1, rdelta: 0.1, nstep: 20), path: path,
            clampsImportanceCodes: false)
        bytes += header
        for c in 0..<4 {
            for l in 0..<32 {
                let low = UInt8(truncatingIfNeeded: codes[64 * c + l])
                let high = UInt8(truncatingIfNeeded: codes[64 * c + 32 + l])
                bytes.append(low | high << 4)
            }
        }
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let steps = ScaleMinSuperBlock.subBlockSteps(block)
        let qs = block.startIndex + 16
        for e in 0..<256 {
            let byte = block[qs + 32 * (e / 64) + e % 32]
            let q = e % 64 < 32 ? byte & 0xF : byte >> 4
            values.append(steps[e / 32].d * Float(q) - steps[e / 32].m)
        }
    }
}
