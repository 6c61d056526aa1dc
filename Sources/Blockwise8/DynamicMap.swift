/// bitsandbytes' **dynamic** 8-bit data type: a dynamic exponent plus a linear fraction.
///
/// Source: Dettmers, "8-Bit Approximations for Parallelism in Deep Learning" (ICLR 2016),
/// the dynamic tree data type, and Dettmers, Lewis, Shleifer & Zettlemoyer, "8-bit
/// Optimizers via Block-wise Quantization" (ICLR 2022), the sections "Dynamic Quantization"
/// and "Block-wise Quantization" (§2–3) with the figure of the dynamic data type's bits.
/// bitsandbytes: `functional.create_dynamic_map(signed, max_exponent_bits=7, total_bits=8)`.
///
/// As a bit pattern (the paper's figure) a code reads
///
/// ```
/// [sign] [E zeros] [1 = indicator] [F fraction bits]          E + 1 + F = 7
/// value = ±10^(−E) · fraction,  fraction ∈ (0.1, 1) on a linear grid of 2^F points
/// ```
///
/// Each leading zero buys one decade of range and costs one bit of precision: values near
/// 1 get 64 levels in [0.1, 1), values near 10⁻⁶ a single one. That is why it suits Adam's
/// states, whose magnitudes span many decades within one block.
///
/// bitsandbytes does not enumerate bit patterns; it builds the same set of values decade by
/// decade, then sorts them (so a code is just an index into the sorted table):
///
/// ```
/// for i in 0 ..< 7:                                  decade 10^(i−6)
///     n = 2^i (signed) or 2^(i+1) (unsigned)         fraction levels in this decade
///     b = linspace(0.1, 1, n + 1)                    float32
///     levels = 10^(i−6) · (b[k] + b[k+1]) / 2        the n bin centres, float32
///     add levels (and −levels if signed)
/// add 0 and 1; sort
/// ```
///
/// Signed: 2 · (1 + 2 + … + 64) = 254 levels + 0 + 1 = 256; the smallest value is −0.99297
/// (there is no −1). Unsigned: 2 + 4 + … + 128 = 254 levels + 0 + 1.
///
/// ### See Also
/// `TorchLinspace` (the float32 arithmetic that makes the table bit-identical),
/// `BlockwiseQuantizer8`.
public enum DynamicMap {
    /// `create_dynamic_map(signed=True)`: the default code of `quantize_blockwise`, of 8-bit
    /// Adam's first moment and of the nested absmax in 4-bit double quantization.
    public static let signed: [Float] = create(signed: true)
    /// `create_dynamic_map(signed=False)`: 8-bit Adam's second moment (never negative).
    public static let unsigned: [Float] = create(signed: false)

    /// The 2^totalBits values of the dynamic data type, sorted ascending (index = code).
    ///
    /// All arithmetic is float32, as PyTorch does it: the bin centres are
    /// (b[k] + b[k+1]) / 2 of a float32 `linspace`, multiplied by the decade rounded to float32.
    /// In general (E = maxExponentBits, N = totalBits − 1 non-sign bits), step i = 0 ..< E
    /// fills decade 10^(i − (E − 1)) with 2^(i + N − E) levels (one more fraction bit, so twice
    /// as many, when unsigned); when E < N, bitsandbytes adds 2^(N − E) − 1 more levels in the
    /// last decade (its loop variable leaks out of the loop). Then 0 and 1; a map of fewer
    /// than 8 bits is padded with zeros to 256 entries; finally everything is sorted.
    public static func create(signed: Bool = true, maxExponentBits: Int = 7, totalBits: Int = 8)
        -> [Float]
    {
        precondition(totalBits >= 2 && totalBits <= 8, "the map indexes a byte: 2…8 bits")
        precondition(
            (1...(totalBits - 1)).contains(maxExponentBits), "1 … totalBits−1 exponent bits")
        // BEGIN EXERCISE 5a — the dynamic map
        let nonSignBits = totalBits - 1
        var data: [Float] = []

        func addDecade(_ i: Int, levels: Int) {
            let boundaries = TorchLinspace.float32(from: 0.1, to: 1, count: levels + 1)
            let decade = Float(decadeScale(i - (maxExponentBits - 1)))
            let centres = (0..<levels).map { k in (boundaries[k] + boundaries[k + 1]) / 2 }
            data += centres.map { decade * $0 }
            if signed { data += centres.map { -decade * $0 } }
        }

        for i in 0..<maxExponentBits {
            // One fraction bit fewer per extra leading zero; unsigned codes have one bit more.
            let fractionBits = i + nonSignBits - maxExponentBits + (signed ? 0 : 1)
            addDecade(i, levels: 1 << fractionBits)
        }
        // With fewer exponent bits than non-sign bits, the all-zero exponent pattern leaves
        // 2^(nonSignBits − maxExponentBits) − 1 more levels; bitsandbytes puts them in the
        // last decade it visited (its loop variable leaks out of the loop).
        let additional = (1 << (nonSignBits - maxExponentBits)) - 1
        if additional > 0 { addDecade(maxExponentBits - 1, levels: additional) }

        data.append(0)
        data.append(1)
        // Fewer than 8 bits: pad to 256 entries with zeros, as bitsandbytes does.
        data += [Float](repeating: 0, count: max(0, 256 - data.count))
        return data.sorted()
        // END EXERCISE 5a
    }

    /// 10^exponent for exponent ≤ 0, correctly rounded to Double (1 / 10^k is one rounding),
    /// as Python's `10 ** exponent` gives it; the caller rounds it to float32.
    static func decadeScale(_ exponent: Int) -> Double {
        precondition(exponent <= 0 && exponent > -19, "decades 10⁰ … 10⁻¹⁸")
        var power: Int64 = 1
        for _ in 0..<(-exponent) { power *= 10 }
        return 1 / Double(power)
    }
}
