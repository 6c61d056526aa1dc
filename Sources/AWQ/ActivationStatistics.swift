import Core
/// The activation statistic AWQ scales by: the mean magnitude of each input channel over the
/// calibration tokens (paper §3.2, "s_X, the average magnitude of activation (per-channel)";
/// the reference's `get_act_scale(x) = x.abs().view(-1, x.shape[-1]).mean(0)`).
///
/// ```
/// X: [tokens][channels]
/// x_max[c] = (Σ_t |X[t][c]|) / tokens        float32, summed in PyTorch's order
/// ```
///
/// The reference calls it `x_max` although it is a mean: a channel that is large on average
/// matters more than one with a single spike (§3.1, Figure 2: salient channels are found by
/// the activation *distribution*). A dead channel (all zeros) has x_max = 0; the scale
/// formula then clamps its scale to 1e-4 (see `ScaleFormula`).
///
/// Property (tested): equal to the reference's `x_mean_abs.npy` bit for bit in every search
/// case, because the sum runs in PyTorch's cascade order (`TorchSum.columnSums`).
public enum ActivationStatistics {

    /// Mean |x| per input channel of X ([tokens][channels], row-major).
    public static func meanAbsolute(_ x: [Float], tokens: Int, channels: Int) -> [Float] {
        precondition(
            tokens > 0 && x.count == tokens * channels,
            "meanAbsolute: \(x.count) values are not \(tokens) × \(channels)")
        let sums = TorchSum.columnSums(x, rows: tokens, columns: channels, transform: abs)
        return sums.map { $0 / Float(tokens) }
    }
}
