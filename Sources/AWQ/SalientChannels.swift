import Core

/// The observation AWQ starts from (paper §3.1, Table 1): keeping only 1 % of a layer's
/// weight channels in float recovers most of the accuracy lost to round-to-nearest — if
/// they are chosen by the *activation* magnitude, not by the weight magnitude or at random.
///
/// ```
/// RTN everything:                  Ŵ = Q(W)
/// keep channels K in float:        Ŵ[:, c] = W[:, c] for c ∈ K, Q(W)[:, c] otherwise
///   K by activation:  the ⌈1 %⌉ input channels with the largest mean |x|
///   K by weight:      the ⌈1 %⌉ input channels with the largest ‖W[:, c]‖₂
///   K at random:      ⌈1 %⌉ channels drawn without replacement (SeededRNG)
/// error = ‖X Wᵀ − X Ŵᵀ‖²_F
/// ```
///
/// Why activation wins: the output error of channel c is about |x_c| · |Δw_c|, and the
/// rounding error |Δw_c| is the same order for every channel, so the channels to protect are
/// those whose input is large (§3.1). A weight-magnitude choice mostly protects channels
/// whose inputs are ordinary.
///
/// Honest aside: the paper measures perplexity of OPT models with the kept channels in FP16;
/// we measure one layer's output error. Q is quantized with the salient columns still inside
/// their groups (as the mixed-precision experiment does); the kept columns are then restored.
public enum SalientChannels {

    /// How the float channels are chosen.
    public enum Selection: String, CaseIterable, Sendable {
        case activation, weight, random
    }

    /// The experiment's output errors.
    public struct Report: Sendable {
        /// Channels kept in float (⌈fraction · columns⌉).
        public let kept: Int
        /// ‖X Wᵀ − X Q(W)ᵀ‖², nothing kept.
        public let rtnError: Double
        /// The error with `kept` channels restored, per selection rule.
        public let errors: [Selection: Double]
        /// The channels each rule kept, ascending.
        public let channels: [Selection: [Int]]
    }

    /// Runs the experiment on one linear: weight [rows][columns], x [tokens][columns].
    public static func experiment(
        weight: LinearWeight, x: [Float], tokens: Int, bits: Int, groupSize: Int,
        fraction: Double = 0.01, seed: UInt64
    ) -> Report {
        let columns = weight.columns
        let kept = max(1, Int((fraction * Double(columns)).rounded(.up)))
        let rtn = LinearWeight(
            PseudoQuantizer.dequantized(
                weight.values, rows: weight.rows, columns: columns,
                bits: bits, groupSize: groupSize),
            rows: weight.rows, columns: columns)
        let xMax = ActivationStatistics.meanAbsolute(x, tokens: tokens, channels: columns)
        var norms = [Double](repeating: 0, count: columns)
        for r in 0..<weight.rows {
            for c in 0..<columns {
                norms[c] +=
                    Double(weight.values[r * columns + c]) * Double(weight.values[r * columns + c])
            }
        }
        var rng = SeededRNG(seed: seed)
        var pool = Array(0..<columns)
        var randomPick: [Int] = []
        for _ in 0..<kept { randomPick.append(pool.remove(at: rng.index(below: pool.count))) }
        let chosen: [Selection: [Int]] = [
            .activation: largest(kept, of: xMax.map(Double.init)),
            .weight: largest(kept, of: norms),
            .random: randomPick.sorted(),
        ]
        var errors: [Selection: Double] = [:]
        for (rule, keep) in chosen {
            var mixed = rtn
            for r in 0..<weight.rows {
                for c in keep { mixed.values[r * columns + c] = weight.values[r * columns + c] }
            }
            errors[rule] = AWQ.outputError(
                x: x, tokens: tokens, weight: weight, approximation: mixed)
        }
        return Report(
            kept: kept,
            rtnError: AWQ.outputError(x: x, tokens: tokens, weight: weight, approximation: rtn),
            errors: errors, channels: chosen)
    }

    /// The indices of the k largest values, ascending (ties: the lower index first).
    static func largest(_ k: Int, of values: [Double]) -> [Int] {
        let order = values.indices.sorted {
            values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1)
        }
        return Array(order.prefix(k)).sorted()
    }
}
