/// # AWQ — activation-aware weight quantization (Chapter 10)
///
/// Source: Lin, Tang, Tang, Yang, Chen, Wang, Xiao, Dang, Gan & Han, "AWQ: Activation-aware
/// Weight Quantization for LLM Compression and Acceleration" (MLSys 2024, arXiv:2306.00978),
/// and the authors' code, mit-han-lab/llm-awq (`awq/quantize/quantizer.py`,
/// `auto_scale.py`, `auto_clip.py`), which this module ports in float32, operation for
/// operation where the last bit matters.
///
/// This file is the quantizer every other step calls, the reference's
/// `pseudo_quantize_tensor(w, n_bit, zero_point=True, q_group_size=G)` (paper §3.2, Eq. 1:
/// "Q(w) = Δ · Round(w / Δ)", here with a zero point):
///
/// ```
/// W: [rows][columns], groups of G consecutive values of a row (along the input dimension)
/// max, min = max and min of the group            (NOT widened to include 0, unlike GPTQ)
/// maxq     = 2^bits − 1
/// scale    = max(max − min, 1e-5) / maxq         float32
/// zero     = clamp(−round(min / scale), 0, maxq) round half to even
/// code     = clamp(round(w / scale) + zero, 0, maxq)
/// Q        = (code − zero) · scale
/// ```
///
/// ## Properties (tested in `AWQTests`)
/// - Codes, scales, zeros and Q equal the reference bit for bit (`rtn_*` cases).
/// - Q = (code − zero) · scale exactly; codes lie in 0 … maxq.
/// - A group entirely above 0 gets zero = 0 and reaches at most 15 · scale = max − min, so
///   its top is lost (the range is not widened to 0); a constant group c ≠ 0 has
///   max − min = 0, scale = 1e-5 / maxq, and comes back as ±1e-5 or so, not as c.
/// - zero is −round(min / scale) clamped the way `torch.clamp` does it: a group whose min
///   rounds to +0 keeps zero = −0.0, as the reference's `zeros.npy` shows (same codes and Q).
/// - Because the range is asymmetric and not widened, round(min / scale) can sit on a tie
///   (−min / scale = 7.5 when min = −max): ties go to even, as `torch.round` does.
///
/// ### See Also
/// `ActivationStatistics`, `ScaleFormula`, `ScaleSearch`, `ScaleFolding`, `ClipSearch`,
/// `SalientChannels` (the paper's Table 1), `AWQ` (the whole recipe for one layer).
public enum PseudoQuantizer {

    /// The result of pseudo-quantizing a weight matrix.
    public struct Result: Sendable {
        /// Q: [rows][columns] float32, the dequantized weight (what the model multiplies by).
        public var values: [Float]
        /// code: [rows][columns], 0 … 2^bits − 1.
        public var codes: [UInt8]
        /// scale: [rows][columns / groupSize], one per group.
        public var scales: [Float]
        /// zero: [rows][columns / groupSize], a whole number 0 … 2^bits − 1 stored as Float
        /// (as the reference keeps it).
        public var zeros: [Float]
    }

    /// Pseudo-quantizes `weight` ([rows][columns], row-major) in groups of `groupSize`
    /// consecutive values of a row, with `bits` bits (2 … 8).
    public static func quantize(
        _ weight: [Float], rows: Int, columns: Int, bits: Int, groupSize: Int
    ) -> Result {
        precondition(
            weight.count == rows * columns,
            "pseudoQuantize: \(weight.count) values are not \(rows) × \(columns)")
        precondition((2...8).contains(bits), "pseudoQuantize: bits must be 2 … 8, got \(bits)")
        precondition(
            groupSize > 0 && columns % groupSize == 0,
            "pseudoQuantize: group size \(groupSize) does not divide \(columns) columns")
        let groups = weight.count / groupSize
        var result = Result(
            values: [Float](repeating: 0, count: weight.count),
            codes: [UInt8](repeating: 0, count: weight.count),
            scales: [Float](repeating: 0, count: groups),
            zeros: [Float](repeating: 0, count: groups))
        for g in 0..<groups {
            let range = (g * groupSize)..<((g + 1) * groupSize)
            let (scale, zero) = groupParameters(weight[range], bits: bits)
            result.scales[g] = scale
            result.zeros[g] = zero
            for i in range {
                let code = quantizeValue(weight[i], scale: scale, zero: zero, bits: bits)
                result.codes[i] = UInt8(code)
                result.values[i] = (code - zero) * scale
            }
        }
        return result
    }

    /// Just Q, the dequantized weight (what the scale search and the clip search need).
    public static func dequantized(
        _ weight: [Float], rows: Int, columns: Int, bits: Int, groupSize: Int
    ) -> [Float] {
        quantize(weight, rows: rows, columns: columns, bits: bits, groupSize: groupSize).values
    }

    /// One group's scale and zero point (the min–max rule above, range not widened to 0).
    public static func groupParameters(
        _ group: ArraySlice<Float>, bits: Int
    ) -> (scale: Float, zero: Float) {
        // BEGIN EXERCISE 10a — one group's scale and zero point
        let maxq = Float((1 << bits) - 1)
        var maxValue = group.first ?? 0
        var minValue = maxValue
        for w in group {
            maxValue = max(maxValue, w)
            minValue = min(minValue, w)
        }
        let scale = max(maxValue - minValue, 1e-5) / maxq
        // clamp as PyTorch's: a value not below 0 stays itself, so −0.0 stays −0.0
        var zero = -(minValue / scale).rounded(.toNearestOrEven)
        if zero < 0 { zero = 0 }
        if zero > maxq { zero = maxq }
        return (scale, zero)
        // END EXERCISE 10a
    }

    /// One value's code: clamp(round(w / scale) + zero, 0, maxq), ties to even.
    @inline(__always)
    public static func quantizeValue(_ w: Float, scale: Float, zero: Float, bits: Int) -> Float {
        let maxq = Float((1 << bits) - 1)
        return min(max((w / scale).rounded(.toNearestOrEven) + zero, 0), maxq)
    }
}
