import AWQ
import Core
import NN
import TinyGPT

/// AWQ on a whole TinyGPT (Lin et al. 2023, arXiv:2306.00978, §3.2–3.3; the reference's
/// `run_awq` then `apply_awq` and `pseudo_quantize_model_weight`, llm-awq's `pre_quant.py`):
///
/// ```
/// work = a float copy of the model
/// for block i = 0, 1, …:
///     X    = every linear's input rows in block i while `work` reads the calibration text
///     for each scale group (AWQScaleGroupKind):      attention, output, fc, proj
///         search s on X and block i's float weights   (ScaleSearch: 20 ratios)
///     fold every group's s into `work`               (apply_scale; same function)
///     if clip: for v, output, fc, proj (not q, k)    (auto_clip_block)
///         max values per row and group on W · diag(s) and X / s   (ClipSearch)
/// quantized = a fresh copy; fold all scales; clip; every block linear W ← Q(W)
/// ```
///
/// The reference computes block i+1's inputs from block i's float output *before* folding
/// (folding does not change the function) and never clipped or quantized (clipping is applied
/// to the weights afterwards); here block i+1's inputs come from `work`, whose earlier blocks
/// are folded but neither clipped nor quantized — the same numbers up to float32 rounding.
/// All four groups of a block are searched on the block's unfolded weights, as
/// `auto_scale_block` searches before `apply_scale` runs.
///
/// Differences from the reference, stated: the single-linear groups compare x · Wᵀ without
/// the bias (the bias cancels in the difference, up to rounding); the GELU scale sits in the
/// proj slot (`AWQScaledActivation`); biases and LayerNorms stay float32, as in the reference.
public struct AWQRun {
    /// The model every block linear of which is Q(clip(W · diag(s))), computing in float32.
    public let quantized: QuantizedModel
    /// The float model with every scale folded in, before clipping and quantization: it
    /// computes the base model's function up to float32 rounding.
    public let folded: TinyGPTModel
    /// Every searched group, block by block, in the order they were folded.
    public let groups: [AWQScaleGroup]
    /// The clip search's max values per clipped slot ([rows][groups]); empty without clip.
    public let clipMaxValues: [String: [Float]]
}

extension PostTraining {

    /// AWQ `bits`-bit with groups of `groupSize` input channels on every block linear of
    /// `base` (unchanged), calibrated on `calibration`. `gridSize` 1 tries only ratio 0 (s = 1):
    /// plain round-to-nearest with AWQ's quantizer. The clip search looks at every
    /// (tokens / `clipSampleTokens`)-th calibration token (the reference's n_sample_token, 512).
    public static func awq(
        _ base: TinyGPTModel, calibration: Calibration, bits: Int = 4, groupSize: Int,
        clip: Bool, gridSize: Int = 20, clipSampleTokens: Int = 512, label: String? = nil
    ) -> AWQRun {
        let (run, seconds) = timed {
            awqRun(
                base, calibration: calibration.batches, bits: bits, groupSize: groupSize,
                clip: clip, gridSize: gridSize, clipSampleTokens: clipSampleTokens)
        }
        return AWQRun(
            quantized: QuantizedModel(
                label: label ?? "AWQ int\(bits) g\(groupSize)" + (clip ? " + clip" : ""),
                model: run.quantized,
                bitsPerWeight: awqBitsPerWeight(run.quantized, bits: bits, groupSize: groupSize),
                seconds: seconds),
            folded: run.folded, groups: run.groups, clipMaxValues: run.clipMaxValues)
    }

    /// The steps of `awq` above, untimed.
    static func awqRun(
        _ base: TinyGPTModel, calibration: [Corpus.Batch], bits: Int, groupSize: Int,
        clip: Bool, gridSize: Int, clipSampleTokens: Int
    ) -> (
        quantized: TinyGPTModel, folded: TinyGPTModel, groups: [AWQScaleGroup],
        clipMaxValues: [String: [Float]]
    ) {
        let work = base.copy()
        var groups: [AWQScaleGroup] = []
        var clipMaxValues: [String: [Float]] = [:]
        for i in work.blocks.indices {
            let inputs = work.linearInputs(calibration) { $0.hasPrefix("blocks.\(i).") }
            let blockGroups = AWQScaleGroupKind.allCases.map { kind in
                AWQScaleGroup(
                    block: i, kind: kind,
                    search: searchScales(
                        kind, block: i, in: work, inputs: inputs, calibration: calibration,
                        bits: bits, groupSize: groupSize, gridSize: gridSize))
            }
            work.applyAWQScales(blockGroups)
            groups += blockGroups
            guard clip else { continue }
            for group in blockGroups {
                for name in group.linears where !name.hasSuffix("query") && !name.hasSuffix("key") {
                    let x = inputs[name]!
                    // apply_scale divides the cached inputs by s before the clip search.
                    let scaled = x.data.enumerated().map { $1 / group.scales[$0 % x.cols] }
                    clipMaxValues[name] = ClipSearch.maxValues(
                        weight: work.awqWeight(name), x: scaled, tokens: x.rows,
                        bits: bits, groupSize: groupSize, sampleTokens: clipSampleTokens)
                }
            }
        }
        let quantized = base.copy()
        quantized.applyAWQScales(groups)
        for name in quantized.blockLinearNames {
            var w = quantized.awqWeight(name)
            if let m = clipMaxValues[name] {
                w = ClipSearch.apply(w, maxValues: m, groupSize: groupSize)
            }
            quantized.awqLinear(name).weight.value = PseudoQuantizer.dequantized(
                w.values, rows: w.rows, columns: w.columns, bits: bits, groupSize: groupSize)
        }
        return (quantized, work, groups, clipMaxValues)
    }

    /// Stored bits per quantized weight of an AWQ model: `bits` per code, and per group of
    /// `groupSize` a float16 scale and a `bits`-bit zero point (AWQ's kernels pack the zeros
    /// like the codes), plus the float16 scales of every `AWQScaledActivation` (the reference
    /// keeps them as a buffer) that is not all ones. The scales folded into the LayerNorms and
    /// the value rows cost nothing.
    public static func awqBitsPerWeight(_ model: TinyGPTModel, bits: Int, groupSize: Int)
        -> Double
    {
        let weights = model.blockLinearNames.map { model.awqLinear($0).weight.count }
            .reduce(0, +)
        // A scaled activation whose scales are all 1 (RTN's alpha = 0) can be dropped: free.
        let activationScales = model.blocks.compactMap { $0.mlp.proj as? AWQScaledActivation }
            .filter { $0.scales.contains { $0 != 1 } }.map(\.scales.count).reduce(0, +)
        let groups = weights / groupSize
        let stored = weights * bits + groups * (16 + bits) + activationScales * 16
        return Double(stored) / Double(weights)
    }

    /// `_search_module_scale` for one group of block `i` of `model` (not yet folded).
    static func searchScales(
        _ kind: AWQScaleGroupKind, block i: Int, in model: TinyGPTModel,
        inputs: [String: Tensor], calibration: [Corpus.Batch],
        bits: Int, groupSize: Int, gridSize: Int
    ) -> ScaleSearch.Result {
        let names = kind.linears(block: i)
        let x = inputs[names[0]]!
        let weights = names.map(model.awqWeight)
        let compared: ([LinearWeight]) -> [Float]
        if kind == .attention {
            let attention = model.blocks[i].attention
            compared = { attentionOutput(attention, x: x, calibration: calibration, qkv: $0) }
        } else {
            compared = { ScaleSearch.concatenatedOutputs(x.data, tokens: x.rows, weights: $0) }
        }
        return ScaleSearch.search(
            x: x.data, tokens: x.rows, weights: weights, bits: bits, groupSize: groupSize,
            gridSize: gridSize, block: compared)
    }

    /// The attention's output (`module2inspect = self_attn`) with query, key and value weights
    /// `qkv` in place of its own: their biases and the output projection unchanged, float32.
    /// `x` holds the calibration batches' ln1 outputs, batch after batch.
    static func attentionOutput(
        _ attention: CausalSelfAttention, x: Tensor, calibration: [Corpus.Batch],
        qkv: [LinearWeight]
    ) -> [Float] {
        var rng = SeededRNG(seed: 0)  // the scratch layer's own weights are all replaced
        let scratch = CausalSelfAttention(
            channels: attention.channels, heads: attention.heads, name: "awq", rng: &rng)
        func replaced(_ layer: any Layer, _ w: LinearWeight) -> Linear {
            guard let linear = layer as? Linear else { preconditionFailure("AWQ: not a Linear") }
            let weight = Parameter(
                name: linear.weight.name, shape: [w.rows, w.columns], value: w.values)
            return Linear(weight: weight, bias: linear.bias)
        }
        scratch.query = replaced(attention.query, qkv[0])
        scratch.key = replaced(attention.key, qkv[1])
        scratch.value = replaced(attention.value, qkv[2])
        scratch.output = attention.output
        var out: [Float] = []
        out.reserveCapacity(x.count)
        var row = 0
        for batch in calibration {
            let rows = batch.batchSize * batch.time
            let slice = Array(x.data[(row * x.cols)..<((row + rows) * x.cols)])
            out += scratch.forward(
                Tensor(shape: [batch.batchSize, batch.time, x.cols], data: slice)
            ).data
            row += rows
        }
        precondition(row == x.rows, "AWQ: the calibration batches do not match the inputs")
        return out
    }
}
