import Foundation

/// MXFP4: 32 E2M1 codes sharing one power-of-two scale, 4.25 bits per weight (OCP
/// Microscaling Formats spec v1.0; llama.cpp's `block_mxfp4`).
///
/// ```c
/// typedef struct { uint8_t e; uint8_t qs[QK_MXFP4 / 2]; } block_mxfp4;  // 17 bytes
/// ```
/// Byte 0: `e`, an E8M0 exponent; bytes 1–16: codes, element `j` in the low nibble of byte
/// `j`, element `j + 16` in the high nibble. A code is an E2M1 float4 (bit 3 = sign) read
/// through `kvalues_mxfp4 = {0, 1, 2, 3, 4, 6, 8, 12, 0, −1, −2, −3, −4, −6, −8, −12}`
/// — *twice* the E2M1 values, which is why the scale is half of 2^(e − 127).
///
/// Quantize (`quantize_row_mxfp4_ref`): `amax = max |x|`;
/// `e = amax > 0 ? (uint8_t)(floorf(log2f(amax)) − 2 + 127) : 0` (the largest E2M1 value,
/// 6 = 1.5 · 2², sits two binades up); `d = ggml_e8m0_to_fp32_half(e)`; each element takes
/// the index `i` of the smallest `|kvalues[i] · d − x|`, scanning 0…15 with a strict `<`, so
/// the first index wins a tie (+0 before −0) — not round-to-nearest-even arithmetic.
/// Dequantize (`dequantize_row_mxfp4`): `x = kvalues[q] · d`.
public enum MXFP4: BlockFormat {
    public static let name = "MXFP4"
    /// 1 (e) + 16 (two codes per byte).
    public static let bytesPerBlock = 17

    /// `kvalues_mxfp4` (ggml-common.h): twice the E2M1 values, code order.
    public static let values: [Float] = [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12]

    /// `ggml_e8m0_to_fp32_half`: 2^(e − 128) built as float32 bits — a subnormal
    /// `0x0020_0000 << e` for e < 2, else the exponent field `e − 1`.
    static func halfScale(_ e: UInt8) -> Float {
        let bits: UInt32 = e < 2 ? 0x0020_0000 << UInt32(e) : UInt32(e - 1) << 23
        return Float(bitPattern: bits)
    }

    /// The first index of the nearest table value (`best_index_mxfp4`).
    static func nearestCode(_ x: Float, scale d: Float) -> UInt8 {
        var best = 0
        var bestError = abs(values[0] * d - x)
        for i in 1..<16 {
            let error = abs(values[i] * d - x)
            if error < bestError {
                best = i
                bestError = error
            }
        }
        return UInt8(best)
    }

    /// The block's E8M0 exponent `e`: the shared scale is 2^(e − 127), chosen so the block's
    /// largest magnitude lands in E2M1's top binade [4, 8) (`quantize_row_mxfp4_ref`).
    public static func sharedExponent(_ block: ArraySlice<Float>) -> UInt8 {
        // BEGIN EXERCISE 11d — MXFP4's shared exponent
        var amax: Float = 0
        for v in block where amax < abs(v) { amax = abs(v) }
        // glibc's log2f, the same function C calls; the float → uint8_t cast as gcc does it.
        return amax > 0 ? cTruncatedByte(log2(amax).rounded(.down) - 2 + 127) : 0
        // END EXERCISE 11d
    }

    public static func appendBlock(_ block: ArraySlice<Float>, to bytes: inout [UInt8]) {
        let e = sharedExponent(block)
        let d = halfScale(e)
        bytes.append(e)
        let x = Array(block)
        for j in 0..<16 {
            bytes.append(nearestCode(x[j], scale: d) | nearestCode(x[j + 16], scale: d) << 4)
        }
    }

    public static func appendValues(ofBlock block: ArraySlice<UInt8>, to values: inout [Float]) {
        let d = halfScale(block[block.startIndex])
        let qs = Array(block.dropFirst(1))
        for j in 0..<16 { values.append(Self.values[Int(qs[j] & 0x0F)] * d) }
        for j in 0..<16 { values.append(Self.values[Int(qs[j] >> 4)] * d) }
    }
}
