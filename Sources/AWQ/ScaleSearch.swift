import Core
/// The activation-aware scale search (paper §3.2, Eq. 4–5; the reference's
/// `auto_scale_block._search_module_scale`).
///
/// ```
/// x_max  = mean |x| per input channel                        (ActivationStatistics)
/// y      = block(W₁, …, W_k)                                   the float block's output
/// for i in 0 ..< 20:  α = i / 20
///     s     = ScaleFormula.scales(x_max, α)
///     Ŵⱼ    = Q(Wⱼ · diag(s)) · diag(s)⁻¹   for every linear j  (float32 divisions)
///     loss  = mean((y − block(Ŵ₁, …, Ŵ_k))²)                  float32
/// α* = the FIRST α with the strictly smallest loss             (`loss < best`)
/// ```
///
/// `block` is a closure from the linears' (possibly quantized) weights to the block's output,
/// so one search covers the reference's three shapes: one linear (`block` = x · Wᵀ), several
/// linears sharing one input (q, k, v: the outputs concatenated — the same objective as one
/// stacked weight), and an MLP (`down(silu(gate(x)) ⊙ up(x))` with gate and up scaled and
/// quantized while `down` stays float inside the closure).
///
/// Properties (tested): α = 0 is plain RTN (s = 1), so the chosen loss is never above RTN's
/// on this objective; on the reference cases the same α wins and the 20 losses agree within
/// the stated tolerance. The weights passed in are never modified (the reference restores
/// its state dict after each try).
///
/// Honest aside: the reference evaluates `block` with PyTorch's (MKL) matrix products; ours
/// use Core's `Matmul`, whose sums run in another order, so losses agree to ~1e-6, not to the bit.
public enum ScaleSearch {

    /// The search's outcome.
    public struct Result: Sendable {
        /// The ratios tried: 0, 0.05, …, 0.95.
        public let ratios: [Double]
        /// loss[i] for ratios[i], float32 as the reference computes them.
        public let lossHistory: [Float]
        /// The index of the first strictly smallest loss.
        public let bestIndex: Int
        /// s for the best ratio: [columns].
        public let scales: [Float]
        /// mean |x| per input channel: [columns].
        public let xMax: [Float]

        public var bestRatio: Double { ratios[bestIndex] }
        public var bestLoss: Float { lossHistory[bestIndex] }
        /// The loss of ratio 0, plain round-to-nearest.
        public var rtnLoss: Float { lossHistory[0] }
    }

    /// Searches the scales of `weights` (all reading input `x`: [tokens][columns]) for the
    /// block output `block(weights)`.
    public static func search(
        x: [Float], tokens: Int, weights: [LinearWeight], bits: Int, groupSize: Int,
        gridSize: Int = 20, block: ([LinearWeight]) -> [Float]
    ) -> Result {
        precondition(!weights.isEmpty, "search: no weights")
        let columns = weights[0].columns
        precondition(
            weights.allSatisfy { $0.columns == columns }, "search: the weights must share one input"
        )
        let xMax = ActivationStatistics.meanAbsolute(x, tokens: tokens, channels: columns)
        let reference = block(weights)
        let ratios = ScaleFormula.ratios(gridSize: gridSize)
        var losses: [Float] = []
        var scalesTried: [[Float]] = []
        for ratio in ratios {
            let s = ScaleFormula.scales(xMax: xMax, ratio: ratio)
            let quantized = weights.map {
                quantizedInInputSpace($0, scales: s, bits: bits, groupSize: groupSize)
            }
            losses.append(meanSquaredDifference(reference, block(quantized)))
            scalesTried.append(s)
        }
        // The reference raises when no loss is below infinity (all NaN); we fall back to
        // ratio 0, RTN (unreachable with finite inputs).
        let best = firstStrictlySmallest(losses) ?? 0
        return Result(
            ratios: ratios, lossHistory: losses, bestIndex: best,
            scales: scalesTried[best], xMax: xMax)
    }

    /// The common case: linears sharing input x, block output = their outputs concatenated
    /// along the feature dimension ([tokens][Σ rows]), as the reference's q/k/v case.
    public static func searchLinears(
        x: [Float], tokens: Int, weights: [LinearWeight], bits: Int, groupSize: Int,
        gridSize: Int = 20
    ) -> Result {
        search(
            x: x, tokens: tokens, weights: weights, bits: bits, groupSize: groupSize,
            gridSize: gridSize
        ) { concatenatedOutputs(x, tokens: tokens, weights: $0) }
    }

    /// x · Wⱼᵀ for every j, concatenated per token: [tokens][Σ rows].
    public static func concatenatedOutputs(_ x: [Float], tokens: Int, weights: [LinearWeight])
        -> [Float]
    {
        if weights.count == 1 { return weights[0].forward(x, tokens: tokens) }
        let outputs = weights.map { $0.forward(x, tokens: tokens) }
        let width = weights.map(\.rows).reduce(0, +)
        var y = [Float](repeating: 0, count: tokens * width)
        for t in 0..<tokens {
            var offset = t * width
            for (w, out) in zip(weights, outputs) {
                for r in 0..<w.rows { y[offset + r] = out[t * w.rows + r] }
                offset += w.rows
            }
        }
        return y
    }

    /// Q(W · diag(s)) · diag(s)⁻¹: the weight the scaled, quantized model effectively uses,
    /// back in the original input space (the reference's `w_quantize_func(W * s) / s`).
    public static func quantizedInInputSpace(
        _ weight: LinearWeight, scales s: [Float], bits: Int, groupSize: Int
    ) -> LinearWeight {
        let scaled = weight.scalingColumns(by: s)
        let q = PseudoQuantizer.dequantized(
            scaled.values, rows: weight.rows, columns: weight.columns,
            bits: bits, groupSize: groupSize)
        return LinearWeight(q, rows: weight.rows, columns: weight.columns).dividingColumns(by: s)
    }

    /// mean((a − b)²) in float32: differences and squares in float32, summed in PyTorch's
    /// order (`(org_out - out).float().pow(2).mean()`).
    public static func meanSquaredDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(
            a.count == b.count && !a.isEmpty,
            "meanSquaredDifference: \(a.count) vs \(b.count) values")
        let squares = zip(a, b).map { (x, y) -> Float in
            let d = x - y
            return d * d
        }
        return TorchSum.contiguousSum(squares) / Float(squares.count)
    }

    /// The index of the first strictly smallest value (`if loss < best`): a later equal value
    /// does not win, and NaN never does. nil when no value is below +∞.
    public static func firstStrictlySmallest(_ values: [Float]) -> Int? {
        // BEGIN EXERCISE 10c — the first strictly smallest loss
        var best: Int?
        var bestValue = Float.infinity
        for (i, v) in values.enumerated() where v < bestValue {
            best = i
            bestValue = v
        }
        return best
        // END EXERCISE 10c
    }
}
