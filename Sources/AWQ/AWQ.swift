import Core
/// The whole AWQ recipe for the linears that read one input (the reference's `run_awq`
/// then `pseudo_quantize_model_weight`, for one group of linears):
///
/// ```
/// 1. search s (ScaleSearch)                          α* and s = ScaleFormula(x_max, α*)
/// 2. fold: W' = W · diag(s), the input becomes X / s (ScaleFolding)
/// 3. optionally clip W' per row and group (ClipSearch on W', X / s)
/// 4. Q_scaled = Q(W')                                what the quantized model stores
///    W_awq    = Q_scaled · diag(s)⁻¹                 the same weight in the original input
///                                                    space: X · W_awqᵀ ≈ (X / s) · Q_scaledᵀ
/// ```
///
/// `W_awq` is what the CLI writes (`lowbit awq … --dequantized`): a drop-in replacement for W
/// that needs no folding, so its output error can be compared with RTN's directly.
public enum AWQ {

    /// What `quantize` produces for each linear.
    public struct Layer: Sendable {
        /// Q(W · diag(s)) with its codes, scales and zeros (the stored quantized weight).
        public let scaledQuantized: PseudoQuantizer.Result
        /// Q(W · diag(s)) · diag(s)⁻¹: [rows][columns].
        public let dequantized: LinearWeight
        /// The clip search's max values per row and group, when clipping ran.
        public let clipMaxValues: [Float]?
    }

    /// The search result and one `Layer` per input linear (same order).
    public struct Result: Sendable {
        public let search: ScaleSearch.Result
        public let layers: [Layer]
    }

    /// AWQ for `weights` sharing input x ([tokens][columns]); the block output of the search
    /// is their concatenated output unless `block` is given (e.g. an MLP). `clip` runs the
    /// clip search on each linear (the reference skips q and k; pass `clip: false` for them).
    public static func quantize(
        x: [Float], tokens: Int, weights: [LinearWeight], bits: Int, groupSize: Int,
        clip: Bool = false, clipSampleTokens: Int = 512,
        block: (([LinearWeight]) -> [Float])? = nil
    ) -> Result {
        let search = ScaleSearch.search(
            x: x, tokens: tokens, weights: weights, bits: bits, groupSize: groupSize,
            block: block ?? { ScaleSearch.concatenatedOutputs(x, tokens: tokens, weights: $0) })
        let s = search.scales
        // The clip search sees the folded input X / s (apply_scale divides the cached inputs).
        let scaledInput: [Float]? = clip ? x.enumerated().map { $1 / s[$0 % s.count] } : nil
        let layers = weights.map { w -> Layer in
            var folded = w.scalingColumns(by: s)
            var maxValues: [Float]?
            if let scaledInput {
                let m = ClipSearch.maxValues(
                    weight: folded, x: scaledInput, tokens: tokens,
                    bits: bits, groupSize: groupSize, sampleTokens: clipSampleTokens)
                folded = ClipSearch.apply(folded, maxValues: m, groupSize: groupSize)
                maxValues = m
            }
            let q = PseudoQuantizer.quantize(
                folded.values, rows: w.rows, columns: w.columns,
                bits: bits, groupSize: groupSize)
            let back = LinearWeight(q.values, rows: w.rows, columns: w.columns).dividingColumns(
                by: s)
            return Layer(scaledQuantized: q, dequantized: back, clipMaxValues: maxValues)
        }
        return Result(search: search, layers: layers)
    }

    /// ‖X Wᵀ − X Ŵᵀ‖²_F in Double (the reference's output errors are float64 from float32
    /// arrays): the layer-output error a quantized weight Ŵ causes on inputs X — Core's
    /// `OutputError`, for AWQ's weight type.
    public static func outputError(
        x: [Float], tokens: Int, weight: LinearWeight, approximation: LinearWeight
    ) -> Double {
        precondition(
            weight.rows == approximation.rows && weight.columns == approximation.columns,
            "outputError: the weights differ in shape")
        precondition(
            x.count == tokens * weight.columns, "outputError: x is not \(tokens) × \(weight.columns)")
        return OutputError.squared(
            x: x, samples: tokens, weight: weight.values, approximation: approximation.values,
            rows: weight.rows, columns: weight.columns)
    }
}
