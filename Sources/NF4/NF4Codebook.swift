import Blockwise8

/// The 4-bit **NormalFloat** (NF4) table: 16 levels at quantiles of the normal distribution.
///
/// Source: Dettmers, Pagnoni, Holtzman & Zettlemoyer, "QLoRA: Efficient Finetuning of
/// Quantized LLMs" (NeurIPS 2023), §3 "4-bit NormalFloat Quantization"; bitsandbytes
/// `functional.create_normal_map(offset=0.9677083, use_extra_value=True)` and the table it
/// hard-codes in `get_4bit_type('nf4')`.
///
/// **Why quantiles.** Pretrained weights are close to N(0, σ). After a block is divided by
/// its absmax it is (nearly) N(0, σ') on [−1, 1] for every block, so one fixed table serves
/// all of them. If the levels sit at equally spaced *probabilities* of that normal, every
/// interval between neighbouring levels holds the same probability mass, so the 16 codes are
/// used about equally often — quantile quantization, which the paper calls
/// information-theoretically optimal for normal data: no code is wasted on values that
/// rarely occur, and where values are dense the levels are dense.
///
/// **bitsandbytes' construction** (what `construct` does, step for step):
///
/// ```
/// positive: p = linspace(offset, 0.5, 9) without its last point     8 levels Φ⁻¹(p)
/// negative: p = linspace(offset, 0.5, 8) without its last point     7 levels −Φ⁻¹(p)
/// table    = sort(positive ∪ negative ∪ {0}) / Φ⁻¹(offset)          16 levels in [−1, 1]
/// ```
///
/// So the positive levels split the mass between ½ and `offset` into 8 equal steps of
/// (offset − ½)/8 ≈ 0.0585 and the negative levels into 7 steps of (offset − ½)/7 ≈ 0.0668.
/// (The paper's formula, q_i = ½(Q(i/17) + Q((i+1)/17)), puts a level in the middle of each
/// equal-mass bin instead; the published table is this code's, and that is what we match.
/// `paperEquationTerms(k:)` in NF4PaperFormula.swift computes the formula: q_0 = −∞, and
/// 15 finite, symmetric levels with an exact 0.)
///
/// **Why an extra positive value.** 16 codes split evenly 8 + 8 leave no room for an exact
/// 0, and zero matters: padding, ReLU outputs, pruned weights and every all-zero block must
/// come back as exactly 0. With 7 negative levels, 0 and 8 positive ones all 16 codes are
/// used and 0 is exact; the price is a slight asymmetry (the largest negative level is −1,
/// the positive side is one level finer).
///
/// **Why offset ≠ 1.** Φ⁻¹(1) = ∞: the outermost level must sit inside the tail. A level
/// stands for a whole bin, so the natural place is the probability in the *middle* of the
/// last bin — 1 − 1/32 with 16 bins, 1 − 1/30 with 15. bitsandbytes' 0.9677083 is their mean,
/// 1 − ½(1/32 + 1/30) = 0.96770833…, i.e. Φ⁻¹(offset) = 1.848σ becomes ±1. (That reading is
/// ours; bitsandbytes' docstring calls the value "empirically optimized".) A larger offset
/// spreads the levels into the rarely visited tail and coarsens the centre; a smaller one
/// clips more of the tail onto ±1.
///
/// **Bit for bit.** bitsandbytes computes the probabilities with float32 `torch.linspace`
/// (see `TorchLinspace`), Φ⁻¹ in float64 (scipy), rounds the levels to float32 and divides by
/// the largest in float32; doing the same with our `StandardNormal.quantile` reproduces all 16
/// entries. Dividing in Double and rounding once instead would move 6 entries by one ulp —
/// which is why the quantizer does not trust a recomputation but uses the **published** table.
public enum NF4Codebook {
    /// bitsandbytes' default offset.
    public static let offset = 0.9677083

    /// The published float32 NF4 table, index = 4-bit code (sorted: code 0 = −1, code 7 = 0,
    /// code 15 = 1). Copied from bitsandbytes 0.50.2 `functional.get_4bit_type('nf4')`
    /// (MIT licence), which hard-codes the output of `create_normal_map()`.
    public static let table: [Float] = [
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
        -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
        0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
        0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
    ]

    /// The NF4 levels built from normal quantiles, as `create_normal_map` builds them:
    /// 16 values with `useExtraValue` (7 negative, 0, 8 positive), else 15 (7, 0, 7).
    ///
    /// In bitsandbytes' precisions, step for step (bit-exact with the published table needs
    /// exactly these roundings):
    /// ```
    /// positive = quantiles(from: offset, pointsIncludingHalf: 9)     (8 with useExtraValue false)
    /// negative = quantiles(from: offset, pointsIncludingHalf: 8), negated
    /// levels   = (positive + negative) each rounded to Float, then one 0; sorted ascending
    /// table    = levels[k] / levels.last, divided in float32
    /// ```
    public static func construct(offset: Double = offset, useExtraValue: Bool = true) -> [Float] {
        // BEGIN EXERCISE 4b — the NF4 table
        let positive = quantiles(from: offset, pointsIncludingHalf: useExtraValue ? 9 : 8)
        let negative = quantiles(from: offset, pointsIncludingHalf: 8).map { -$0 }
        var levels = (positive + negative).map { Float($0) } + [0]  // float32, like torch.Tensor(v)
        levels.sort()
        let largest = levels[levels.count - 1]
        return levels.map { $0 / largest }  // float32 division, like `values /= values.max()`
        // END EXERCISE 4b
    }

    /// Φ⁻¹(p) in Double at p = `TorchLinspace.float32(from: Float(offset), to: 0.5, count:)`
    /// without the last point (p = 0.5, where Φ⁻¹ = 0: the zero is added once, separately).
    /// `count − 1` values, largest first.
    static func quantiles(from offset: Double, pointsIncludingHalf count: Int) -> [Double] {
        // BEGIN EXERCISE 4b — the NF4 table
        let probabilities = TorchLinspace.float32(from: Float(offset), to: 0.5, count: count)
            .dropLast()
        return probabilities.map { StandardNormal.quantile(Double($0)) }
        // END EXERCISE 4b
    }

    /// bitsandbytes' 256-entry `create_normal_map()`: the NF4 levels plus zeros up to 256,
    /// sorted (the form an 8-bit kernel can index; 241 of the entries are 0).
    public static func normalMap(offset: Double = offset, useExtraValue: Bool = true) -> [Float] {
        let levels = construct(offset: offset, useExtraValue: useExtraValue).filter { $0 != 0 }
        return (levels + [Float](repeating: 0, count: 256 - levels.count)).sorted()
    }

    /// The unnormalised levels in units of σ: table · Φ⁻¹(offset) — where the levels sit on
    /// the standard normal the table was cut from (for drawing the bins over the density).
    public static func levelsInStandardDeviations(offset: Double = offset) -> [Double] {
        let scale = StandardNormal.quantile(offset)
        return table.map { Double($0) * scale }
    }
}
