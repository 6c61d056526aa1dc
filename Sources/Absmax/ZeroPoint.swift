import Core

/// Asymmetric ("zero-point", affine) int8 quantization, as in the int8 blog post by
/// Belkada & Dettmers and LLM.int8() §2.1:
///
/// ```
/// nd_x = 255 / (max − min)                  the normalized dynamic range (our "scale")
/// zp_x = round(−min · nd_x) − 128           the integer zero point, in [−128, 127]
/// q    = clamp(round(x · nd_x) + zp_x, −128, 127)
/// x̂    = (q − zp_x) / nd_x
/// ```
///
/// All 256 codes are used, so a one-sided distribution (ReLU outputs) loses no code to
/// values that never occur — the advantage over absmax. The price: a zero point per group,
/// and an extra term in every matrix product (Σ zp · x), which is why LLM.int8() and
/// bitsandbytes use absmax.
///
/// ## Two decisions
/// - **The range always contains 0**: min = min(min, 0), max = max(max, 0), as PyTorch's
///   observers do. For the mixed-sign data of the blog this changes nothing; for a group
///   of all-positive values it keeps 0 exact and the zero point inside an Int8 (otherwise
///   [10, 11] would need zp = −2678). A constant group c ≠ 0 thus gets the range [0, c]
///   (or [c, 0]) and round-trips exactly to c.
/// - **An all-zero group** (max = min = 0) would divide by zero: it stores scale 1 and
///   zero point 0, so every code is 0 and dequantizes to 0.
///
/// ## Properties
/// - Zero maps to zero: q(0) = zp and x̂ = (zp − zp) / nd = 0 exactly.
/// - |x − x̂| ≤ ½ / nd for every value whose code was not clamped; the two rounds (of
///   −min·nd and of x·nd) can push an extreme value one code past ±127.5, where clamping
///   costs at most one more step: |x − x̂| ≤ 1.5 / nd always.
public enum ZeroPoint {

    /// The scale nd and zero point zp for a group whose values lie in [min, max], after
    /// widening the range to contain 0: nd = 255 / (hi − lo), one float division (the blog's
    /// NumPy numbers and the golden outputs are this division's), zp = round(−lo · nd) − 128
    /// with ties to even. An all-zero range gives (scale 1, zero point 0).
    @inlinable
    public static func parameters(min: Float, max: Float) -> (scale: Float, zeroPoint: Int8) {
        // BEGIN EXERCISE 2b — zero-point quantize
        let lo = Swift.min(min, 0)
        let hi = Swift.max(max, 0)
        guard hi > lo else { return (scale: 1, zeroPoint: 0) }  // all-zero group
        let nd = 255 / (hi - lo)
        let zp = (-lo * nd).rounded(.toNearestOrEven) - 128
        return (scale: nd, zeroPoint: Int8(Swift.max(-128, Swift.min(127, zp))))
        // END EXERCISE 2b
    }

    /// q = clamp(round(x · nd) + zp, −128, 127): x · nd is rounded to an integer (ties to
    /// even) *before* the zero point is added.
    @inlinable
    public static func quantize(_ x: Float, scale nd: Float, zeroPoint zp: Int8) -> Int8 {
        // BEGIN EXERCISE 2b — zero-point quantize
        let q = (x * nd).rounded(.toNearestOrEven) + Float(zp)
        return Int8(Swift.max(-128, Swift.min(127, q)))
        // END EXERCISE 2b
    }

    /// x̂ = (q − zp) / nd. The difference q − zp is an exact integer in [−255, 255].
    @inlinable
    public static func dequantize(_ q: Int8, scale nd: Float, zeroPoint zp: Int8) -> Float {
        Float(Int(q) - Int(zp)) / nd
    }

    /// Zero-point int8 quantization of `tensor` with one (scale, zero point) per group.
    public static func quantize(
        _ tensor: Tensor, granularity: Granularity = .perTensor
    ) throws(QuantizationError) -> QuantizedInt8 {
        try QuantizationError.checkFinite(tensor.data)
        let layout = try GroupLayout(shape: tensor.shape, granularity: granularity)
        // lows, highs: one Float per group (start at 0: the range always contains 0).
        var lows = [Float](repeating: 0, count: layout.groupCount)
        var highs = [Float](repeating: 0, count: layout.groupCount)
        for (i, x) in tensor.data.enumerated() {
            let g = layout.group(ofElement: i)
            lows[g] = Swift.min(lows[g], x)
            highs[g] = Swift.max(highs[g], x)
        }
        let groupParameters = zip(lows, highs).map { ZeroPoint.parameters(min: $0, max: $1) }
        var codes = [Int8](repeating: 0, count: tensor.count)
        for (i, x) in tensor.data.enumerated() {
            let p = groupParameters[layout.group(ofElement: i)]
            codes[i] = quantize(x, scale: p.scale, zeroPoint: p.zeroPoint)
        }
        return QuantizedInt8(
            scheme: .zeroPoint, shape: tensor.shape, granularity: granularity, codes: codes,
            scales: groupParameters.map(\.scale), zeroPoints: groupParameters.map(\.zeroPoint))
    }

    /// Convenience for a flat vector (the blog's worked example), per tensor.
    public static func quantize(_ values: [Float]) throws(QuantizationError) -> QuantizedInt8 {
        try quantize(Tensor(shape: [values.count], data: values), granularity: .perTensor)
    }
}
