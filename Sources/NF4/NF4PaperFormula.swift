/// QLoRA's quantile formula taken literally — beside bitsandbytes' NF4, which does not use it.
///
/// Source: QLoRA (Dettmers et al. 2023), §3 "4-bit NormalFloat Quantization", equation (4):
///
/// ```
/// q_i = ½ · ( Q_X(i / (2^k + 1)) + Q_X((i + 1) / (2^k + 1)) ),   i = 0 … 2^k − 1
/// ```
///
/// with Q_X the quantile function of N(0, 1) (`StandardNormal.quantile`). Each level is the
/// mean of two neighbouring quantiles: the middle of an equal-mass bin. bitsandbytes'
/// `create_normal_map` (``NF4Codebook/construct(offset:useExtraValue:)``, the published table)
/// does something else: quantiles at evenly spaced probabilities from 0.9677083 down to ½,
/// 8 positive and 7 negative, no averaging.
///
/// **What the formula gives for k = 4** (``paperEquationTerms(k:)``), properties tested in
/// `NF4PaperFormulaTests`:
/// - q_0 = ½(Q(0) + Q(1/17)) = −∞, because Q(0) = −∞ (artidoro/qlora issue #94 asks the same).
///   The formula has 2^k = 16 terms but only 15 finite ones, q_1 … q_15.
/// - The 15 finite terms are symmetric, q_i = −q_(16−i), so the middle one, q_8 =
///   ½(Q(8/17) + Q(9/17)), is exactly 0. We evaluate Q only at p ≤ ½ and mirror the rest, so
///   the symmetry and the zero hold to the bit, not just to rounding.
/// - Normalized to [−1, 1] as the paper says (divided by the largest, q_15 = 1.3758σ):
///   ``paperFormulaTable(k:)``, 15 levels, sorted, ±1 at the ends, 0 in the middle.
///
/// So the equation, read literally, yields a symmetric 15-level type with an exact zero —
/// the paper's next paragraph (two ranges, 2^(k−1) negative and 2^(k−1)+1 positive quantiles,
/// one zero removed) describes the 16-level asymmetric shape bitsandbytes builds, but with
/// bitsandbytes' unaveraged quantiles, not this equation.
///
/// ### See Also
/// - ``NF4Codebook``: the published table the quantizer uses.
extension NF4Codebook {
    /// The 2^k terms q_0 … q_(2^k − 1) of QLoRA's equation (4), in units of σ (not normalized).
    /// q_0 is −∞; the others are finite and exactly symmetric about q_(2^(k−1)) = 0.
    public static func paperEquationTerms(k: Int = 4) -> [Double] {
        precondition(k >= 1 && k <= 8, "paperEquationTerms: k must be 1 … 8, got \(k)")
        let bins = (1 << k) + 1  // the 2^k + 1 of the denominator
        /// Q(j / bins), evaluated at p ≤ ½ and mirrored, so Q(j) = −Q(bins − j) exactly.
        func quantile(_ j: Int) -> Double {
            if j == 0 { return -.infinity }
            if j == bins { return .infinity }
            if 2 * j > bins { return -quantile(bins - j) }
            return StandardNormal.quantile(Double(j) / Double(bins))
        }
        return (0..<(1 << k)).map { i in 0.5 * (quantile(i) + quantile(i + 1)) }
    }

    /// The finite terms of equation (4), divided by the largest (in Double, then rounded once
    /// to Float): 2^k − 1 levels on [−1, 1], sorted ascending, symmetric, with an exact 0.
    public static func paperFormulaTable(k: Int = 4) -> [Float] {
        let finite = paperEquationTerms(k: k).filter(\.isFinite)
        let largest = finite.max()!
        return finite.map { Float($0 / largest) }
    }
}
