import Core
import NN

/// Merging an adapter into its base weight, and taking it out again (LoRA §4.1, "No
/// Additional Inference Latency"; peft's `merge`, `unmerge`, `get_delta_weight`,
/// `merge_and_unload`).
///
/// ```
/// ΔW = (B · A) · s          [out][r] · [r][in] → [out][in], then one multiplication by s
/// merge:    W ← W + ΔW      the layer becomes an ordinary Linear: y = x · Wᵀ + b
/// unmerge:  W ← W − ΔW
/// ```
///
/// **Exact to float rounding, not exact.** Merging rounds each W[o][i] + ΔW[o][i] to float32;
/// unmerging subtracts the same ΔW (recomputed, bit-identical) and rounds again. Each rounding
/// is within half an ulp of its result, so the restored W is within one ulp of
/// max(|W|, |W + ΔW|) of the original — most elements come back bit for bit (tested).
/// peft does the same (it subtracts `get_delta_weight` on unmerge rather than keeping a copy).
///
/// Likewise the merged layer's output x · (W + ΔW)ᵀ and the adapter's x · Wᵀ + s · (x Aᵀ) Bᵀ
/// are the same function summed in a different order: they agree to a few float32 ulps of
/// the output's magnitude, not bit for bit. peft's reference case shows the same: its own
/// adapter and merged outputs differ by up to 1.2e-6.
extension LoRALinear {
    /// ΔW = s · B · A, [out][in], in the base weight's layout.
    public var deltaWeight: [Float] { adapter.deltaWeight }

    /// W ← W + ΔW; afterwards the forward pass is the base layer's alone.
    public func merge() {
        precondition(!isMerged, "LoRA \(loraA.name): already merged")
        let delta = deltaWeight
        for i in base.weight.value.indices { base.weight.value[i] += delta[i] }
        isMerged = true
    }

    /// W ← W − ΔW: back to the frozen W₀ (to within float rounding, see above).
    public func unmerge() {
        precondition(isMerged, "LoRA \(loraA.name): not merged")
        let delta = deltaWeight
        for i in base.weight.value.indices { base.weight.value[i] -= delta[i] }
        isMerged = false
    }

    /// peft's `merge_and_unload` for one layer: a plain `Linear` holding W₀ + ΔW and the base
    /// bias, with the base layer's parameter names and trainability. This layer is unchanged.
    public func mergedLinear() -> Linear {
        var weight = base.weight.value
        if !isMerged {
            let delta = deltaWeight
            for i in weight.indices { weight[i] += delta[i] }
        }
        let w = Parameter(
            name: base.weight.name, shape: base.weight.shape, value: weight, isTrainable: base.weight.isTrainable)
        let b = base.bias.map {
            Parameter(name: $0.name, shape: $0.shape, value: $0.value, isTrainable: $0.isTrainable)
        }
        return Linear(weight: w, bias: b)
    }
}
