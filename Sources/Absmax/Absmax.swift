import Core

/// # Absmax — 8-bit quantization from first principles (Chapter 2)
///
/// Source: Younes Belkada & Tim Dettmers, "A Gentle Introduction to 8-bit Matrix
/// Multiplication for transformers at scale using transformers, accelerate and
/// bitsandbytes" (Hugging Face blog, August 2022), section "Introduction to model
/// quantization" with its worked absmax and zero-point examples; and Dettmers et al.,
/// "LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale" (NeurIPS 2022), §2.1
/// (absmax and zeropoint quantization), §2.2 (int8 matrix multiplication) and §3.1
/// (vector-wise quantization). The blog's symbols are used here.
///
/// **Absmax (symmetric)** — scale the largest magnitude to 127:
///
/// ```
/// s_x  = 127 / max|x|                       (one Float per group)
/// q    = round(x · s_x)                     ties to even, q ∈ [−127, 127]
/// x̂    = q / s_x
/// ```
///
/// **Zero-point (asymmetric, affine)** — stretch the range [min, max] over all 256 codes:
///
/// ```
/// nd_x = 255 / (max − min)                  ("normalized dynamic range")
/// zp_x = round(−min · nd_x) − 128           an integer zero point
/// q    = clamp(round(x · nd_x) + zp_x, −128, 127)
/// x̂    = (q − zp_x) / nd_x
/// ```
///
/// **Granularity** — one scale per tensor, per row ("vector-wise"), per column, or per
/// block of `blockSize` consecutive values; see `Granularity`.
///
/// **Int8 matrix multiplication** — int8 × int8 products summed in Int32, then one
/// multiplication by 1 / (s_A · s_B) brings the result back to float:
///
/// ```
/// C ≈ (Q_A · Q_Bᵀ) / (s_A ⊗ s_B)            Q_A · Q_Bᵀ accumulated exactly in Int32
/// ```
///
/// ## Properties (each one is tested in `AbsmaxTests`)
/// - Round trip: |x − x̂| ≤ ½ step (½ / s_x) for every element, up to float rounding
///   (zero-point: for every value that was not clamped — see `ZeroPoint`).
/// - Zero maps to zero exactly, in both schemes.
/// - An all-zero group does not divide by zero: it stores scale 1 and codes 0.
/// - The int8 product equals the float product of the dequantized operands up to float
///   rounding: only the inputs are rounded, the integer sum itself is exact.
///
/// ## What real libraries do differently
/// bitsandbytes stores the *absmax* per row (`SCB`, `row_stats`) rather than 127/absmax and
/// divides by 127 when it dequantizes. Its scale is (1/absmax)·127 — PyTorch evaluates
/// `127.0 / t` as `t.reciprocal() * 127` — which can differ from our 127/absmax by one ulp
/// and so, on an exact tie, move a code by one; `LLMInt8.VectorwiseQuantizer` reproduces
/// bitsandbytes bit for bit.
///
/// PyTorch's quantization observers, like our zero-point quantizer, widen [min, max] to
/// contain 0 so that zero stays exact and the zero point fits in an int8.
///
/// ### See Also
/// `ZeroPoint`, `Granularity`, `QuantizedInt8`, `Int8Matmul` (and Core's float `Matmul`),
/// `Int16Accumulation`; the `LLMInt8` module builds vector-wise int8 on top of this one.
public enum Absmax {

    /// The absmax scale s = 127 / max|x| of a group whose largest magnitude is `absmax`: one
    /// float division, `127 / absmax` (bitsandbytes' reciprocal-then-multiply can differ by
    /// an ulp, and the golden outputs and the blog's NumPy numbers are this division's).
    ///
    /// An all-zero group (`absmax == 0`) would give 127 / 0 = ∞ and then 0 · ∞ = NaN.
    /// Every code of such a group is 0 whatever the scale, so we store **scale 1**: it
    /// keeps the stored scales finite and dequantization (q / s) free of division by zero.
    @inlinable
    public static func scale(forAbsmax absmax: Float) -> Float {
        // BEGIN EXERCISE 2a — absmax quantize
        absmax > 0 ? 127 / absmax : 1
        // END EXERCISE 2a
    }

    /// q = round(x · s) with ties to even, as an Int8. For |x| ≤ absmax the product is at
    /// most 127 (plus a float rounding far below ½), so no clamping is needed; we still
    /// clamp to ±127 so that a caller passing a foreign scale can never trap.
    ///
    /// One corner: for a subnormal absmax (< 127 / Float.greatestFiniteMagnitude ≈ 3.7e−37)
    /// 127 / absmax overflows to ∞; then 0 · ∞ is NaN, which we map to code 0 so that zero
    /// still maps to zero, and every other value saturates at ±127.
    @inlinable
    public static func quantize(_ x: Float, scale: Float) -> Int8 {
        // BEGIN EXERCISE 2a — absmax quantize
        let q = (x * scale).rounded(.toNearestOrEven)
        if q.isNaN { return 0 }
        return Int8(Swift.max(-127, Swift.min(127, q)))
        // END EXERCISE 2a
    }

    /// x̂ = q / s.
    @inlinable
    public static func dequantize(_ q: Int8, scale: Float) -> Float {
        Float(q) / scale
    }

    /// Symmetric absmax int8 quantization of `tensor` with one scale per group.
    ///
    /// Throws `QuantizationError` for a non-finite value, a block size below 1, or a
    /// per-row / per-column granularity on a tensor that is not 2-D.
    public static func quantize(
        _ tensor: Tensor, granularity: Granularity = .perTensor
    ) throws(QuantizationError) -> QuantizedInt8 {
        try QuantizationError.checkFinite(tensor.data)
        let layout = try GroupLayout(shape: tensor.shape, granularity: granularity)
        // absmax: one Float per group — pass 1 over the data.
        var absmax = [Float](repeating: 0, count: layout.groupCount)
        for (i, x) in tensor.data.enumerated() {
            let g = layout.group(ofElement: i)
            absmax[g] = Swift.max(absmax[g], abs(x))
        }
        let scales = absmax.map(scale(forAbsmax:))
        // codes: one Int8 per value, in the input's order — pass 2.
        var codes = [Int8](repeating: 0, count: tensor.count)
        for (i, x) in tensor.data.enumerated() {
            codes[i] = quantize(x, scale: scales[layout.group(ofElement: i)])
        }
        return QuantizedInt8(
            scheme: .absmax, shape: tensor.shape, granularity: granularity,
            codes: codes, scales: scales, zeroPoints: [], absmax: absmax)
    }

    /// Convenience for a flat vector (the blog's worked example), per tensor.
    public static func quantize(_ values: [Float]) throws(QuantizationError) -> QuantizedInt8 {
        try quantize(Tensor(shape: [values.count], data: values), granularity: .perTensor)
    }
}
