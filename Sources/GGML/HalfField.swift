import FloatFormats

/// A `ggml_half` field: an IEEE fp16 stored little-endian, two bytes.
///
/// llama.cpp's `GGML_FP32_TO_FP16` rounds to nearest, ties to even (the portable C of
/// `ggml_compute_fp32_to_fp16`); `FloatFormats`' fp16 kernels round the same way, so this
/// file only moves bytes.
enum HalfField {
    /// Appends `value` rounded to fp16: low byte first.
    static func append(_ value: Float, to bytes: inout [UInt8]) {
        let half = FloatFormat.Fast.halfBits(fromFloatBits: value.bitPattern)
        bytes.append(UInt8(truncatingIfNeeded: half))
        bytes.append(UInt8(truncatingIfNeeded: half >> 8))
    }

    /// The fp16 at `bytes[offset]`, `bytes[offset + 1]` (low byte first) as a float32 (exact).
    static func read(_ bytes: ArraySlice<UInt8>, at offset: Int) -> Float {
        let i = bytes.startIndex + offset
        let half = UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
        return Float(bitPattern: FloatFormat.Fast.floatBits(fromHalfBits: half))
    }
}

/// C's conversion of a float to a small integer type — `(int8_t)v`, `(uint8_t)v` — as gcc
/// compiles it on x86-64: truncate toward zero to a 32-bit integer (`cvttss2si`, which gives
/// 0x8000_0000 for NaN and out-of-range values), then keep the low byte.
///
/// For every finite block the quantizers below stay inside 0…31 or −127…127, where this is
/// plain truncation; the rule only decides what a NaN or infinity in the input becomes,
/// instead of a trap.
@inline(__always)
func cTruncatedByte(_ v: Float) -> UInt8 {
    let inRange = v > -2_147_483_648 && v < 2_147_483_648  // false for NaN too
    let wide = inRange ? Int32(v) : Int32.min
    return UInt8(truncatingIfNeeded: wide)
}
