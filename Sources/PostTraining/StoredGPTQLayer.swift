import GPTQ

/// A GPTQ (or round-to-nearest) result as a GPTQ checkpoint stores it, and what that costs.
///
/// The weight a checkpoint holds is W[r, c] = scale[r, g] · (code[r, c] − zero[r, g]) with
/// the scale in **float16** (AutoGPTQ's `scales`), so the model is evaluated with exactly that:
/// GPTQ's float32 scales rounded to float16, through `CheckpointLayer.dequantized()` (GPTQ's
/// Checkpoint API). The bits are those of the four checkpoint tensors (`CheckpointTensors`):
///
/// ```
/// qweight   b bits per weight                          codes, 32 / b per int32 word
/// scales    16 bits per (row, group)                   float16
/// qzeros    b bits per (row, group)                    zeros, packed like the codes
/// g_idx     32 bits per input column                   act-order only (see below)
/// bits per weight = b + (16 + b) / G + (act-order ? 32 / out : 0)        G = group size or in
/// ```
///
/// Without act-order g_idx is c / G and a loader can rebuild it, so we do not count it;
/// AutoGPTQ writes it anyway. With act-order it is needed — and on TinyGPT's 64-row layers
/// it costs 0.5 bits per weight, where a 4096-row layer pays 0.008.
public struct StoredGPTQLayer: Sendable {
    /// The dequantized weight a checkpoint reader computes: [out][in].
    public let weight: [Float]
    /// Stored bits, summed over the tensors above.
    public let storageBits: Int

    /// `result` of `GPTQ.quantize` or `RoundToNearest.quantize` with `bits` per code;
    /// `storesGroupIndex` counts g_idx (act-order). Throws `CheckpointError` for a shape or
    /// bit width the checkpoint layout cannot hold (bits other than 2, 3, 4, 8; in·bits or
    /// out·bits not a multiple of 32).
    public init(_ result: GPTQResult, bits: Int, storesGroupIndex: Bool) throws {
        let layer = try CheckpointLayer(
            bits: bits, outFeatures: result.rows, inFeatures: result.columns,
            codes: result.codes, scales: result.scales.map { Float(Float16($0)) },
            zeros: result.zeros.map { UInt8($0) }, groupIndex: result.gIdx.map { Int32($0) })
        weight = layer.dequantized()
        let (out, inputs, groups) = (result.rows, result.columns, result.groups)
        storageBits = bits * out * inputs + (16 + bits) * out * groups
            + (storesGroupIndex ? 32 * inputs : 0)
    }
}
