import AWQ
import Core
import NN
import TinyGPT

/// The four groups of linears whose input channels AWQ scales together in one TinyGPT block,
/// each with the op before them that absorbs 1/s (Lin et al. 2023, §3.2; the reference's
/// `auto_scale_block` for `OPTDecoderLayer`, with OPT's ReLU replaced by GPT's GELU):
///
/// ```
/// group        linears scaled           previous op (takes 1/s)     output compared
/// attention    query, key, value        ln1   (γ, β divided)        the attention's output
/// output       attn.output              value (rows, bias divided)  attn.output's output
/// fc           mlp.fc                   ln2   (γ, β divided)        fc's output
/// proj         mlp.proj                 GELU  (AWQScaledActivation) proj's output
/// ```
///
/// Why the attention group compares the whole attention (the reference's `module2inspect =
/// self_attn` for OPT) rather than the stacked q, k, v outputs: a query or key error matters
/// only through the softmax, and a value error only through the attention weights, so the
/// attention's output is the quantity the model actually reads; the stacked outputs would
/// weigh every q, k, v channel alike. The other three groups compare the linear's own output,
/// as the reference does for OPT's `out_proj`, `fc1` and `fc2`.
///
/// The output group is possible because attention is linear in v: scaling v's output
/// channel c by 1/s[c] scales channel c of the attention's output by 1/s[c].
public enum AWQScaleGroupKind: String, CaseIterable, Sendable {
    case attention, output, fc, proj

    /// The slots scaled, for block `i`.
    public func linears(block i: Int) -> [String] {
        let p = "blocks.\(i)."
        switch self {
        case .attention: return [p + "attn.query", p + "attn.key", p + "attn.value"]
        case .output: return [p + "attn.output"]
        case .fc: return [p + "mlp.fc"]
        case .proj: return [p + "mlp.proj"]
        }
    }

    /// The op that absorbs 1/s, by name (a LayerNorm, the value projection, or the GELU).
    public func previous(block i: Int) -> String {
        let p = "blocks.\(i)."
        switch self {
        case .attention: return p + "ln1"
        case .output: return p + "attn.value"
        case .fc: return p + "ln2"
        case .proj: return p + "mlp.gelu"
        }
    }
}

/// One searched group: where it sits and what the search found (`ScaleSearch.Result`: the
/// 20 losses, the best ratio, s and mean |x| per channel).
public struct AWQScaleGroup: Sendable {
    public let block: Int
    public let kind: AWQScaleGroupKind
    public let search: ScaleSearch.Result

    public var linears: [String] { kind.linears(block: block) }
    public var previous: String { kind.previous(block: block) }
    public var scales: [Float] { search.scales }
}

extension TinyGPTModel {
    /// The `Linear` in slot `name`, also when an `AWQScaledActivation` wraps it.
    func awqLinear(_ name: String) -> Linear {
        guard let slot = linearLayers.first(where: { $0.name == name })?.layer else {
            preconditionFailure("AWQ: no linear slot \(name)")
        }
        if let linear = slot as? Linear { return linear }
        if let scaled = slot as? AWQScaledActivation, let linear = scaled.wrapped as? Linear {
            return linear
        }
        preconditionFailure("AWQ: slot \(name) holds neither a Linear nor a scaled one")
    }

    /// The weight of slot `name` as AWQ's `LinearWeight` ([out][in]).
    func awqWeight(_ name: String) -> LinearWeight {
        let linear = awqLinear(name)
        return LinearWeight(
            linear.weight.value, rows: linear.outFeatures, columns: linear.inFeatures)
    }

    /// Folds the searched scales into the model so that it computes the same function (the
    /// reference's `apply_scale`): W · diag(s) for the group's linears, 1/s into the previous op.
    /// Applied in the order given, as `apply_awq` applies `awq_results["scale"]`.
    public func applyAWQScales(_ groups: [AWQScaleGroup]) {
        for group in groups {
            let s = group.scales
            let block = blocks[group.block]
            switch group.kind {
            case .attention, .fc:
                let norm = group.kind == .attention ? block.ln1 : block.ln2
                let (affine, linears) = ScaleFolding.foldIntoLayerNorm(
                    .init(gamma: norm.weight.value, beta: norm.bias.value),
                    linears: group.linears.map(awqWeight), scales: s)
                norm.weight.value = affine.gamma
                norm.bias.value = affine.beta
                for (name, w) in zip(group.linears, linears) {
                    awqLinear(name).weight.value = w.values
                }
            case .output:
                let value = awqLinear(group.previous)
                let folded = ScaleFolding.foldIntoPreviousLinear(
                    awqWeight(group.previous), bias: value.bias?.value,
                    next: awqWeight(group.linears[0]), scales: s)
                value.weight.value = folded.previous.values
                if let bias = folded.bias { value.bias?.value = bias }
                awqLinear(group.linears[0]).weight.value = folded.next.values
            case .proj:
                // scale_gelu_fc: proj's columns times s; ScaledActivation: GELU's output / s.
                precondition(block.mlp.proj is Linear, "AWQ: \(group.linears[0]) is scaled already")
                let proj = awqLinear(group.linears[0])
                proj.weight.value = awqWeight(group.linears[0]).scalingColumns(by: s).values
                block.mlp.proj = AWQScaledActivation(wrapping: proj, scales: s)
            }
        }
    }
}
