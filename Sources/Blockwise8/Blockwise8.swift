import Core

/// # Blockwise8 — block-wise 8-bit quantization with the dynamic map (Chapter 5)
///
/// Source: Dettmers, Lewis, Shleifer & Zettlemoyer, "8-bit Optimizers via Block-wise
/// Quantization" (ICLR 2022), §2–3: "Block-wise Quantization" (the equations below, in the
/// paper's notation N_b, T^Q, T^D) and "Dynamic Quantization"; bitsandbytes 0.50.2,
/// `functional.quantize_blockwise` / `dequantize_blockwise` and the PyTorch kernel in
/// `backends/default/ops.py`.
///
/// Split the flattened tensor into blocks of B values; normalise each block by its own
/// absmax; store the index of the nearest codebook entry:
///
/// ```
/// N_b   = max |x| over block b                          one float32 per block
/// q_i   = argmin_j | code[j] − x_i / N_b |               an 8-bit index, code sorted
/// x̂_i   = code[q_i] · N_b
/// ```
///
/// Why blocks: one outlier only coarsens the B values that share its block, and each block
/// can be processed independently (on a GPU: by one thread block, with no global
/// synchronisation) — the paper's argument for B = 2048 for optimizer states.
///
/// ## Properties (tested in `Blockwise8Tests`)
/// - Codes, absmax and dequantized values agree bit for bit with bitsandbytes 0.50.2.
/// - Each block's largest |x| comes back exactly when the code holds ±1 (the signed map
///   holds +1 but not −1: a block whose absmax is negative comes back at −0.99297·N_b).
/// - An all-zero block stores absmax 0 and dequantizes to exact zeros.
///
/// ## What bitsandbytes does differently
/// Its C CPU kernel looks the code up in an approximate table and its CUDA kernel runs a
/// binary search on the sorted code; both agree with the midpoint rule used here (and by its
/// PyTorch kernel, which made the reference data) except within rounding of a midpoint.
/// See `BlockScaling` for the partial-block and all-zero-block details we reproduce.
///
/// ### See Also
/// `DynamicMap`, `NearestCode`, `BlockScaling`, `BlockLayout`, `QuantizedBlockwise8`;
/// `NF4.DoubleQuantizedAbsmax` reuses this quantizer for the 4-bit constants, and the
/// `Optimizers` module for 8-bit Adam's states.
public enum BlockwiseQuantizer8 {
    /// The block sizes bitsandbytes documents for `quantize_blockwise`.
    public static let allowedBlockSizes = BlockLayout.powersOfTwo(from: 64, through: 4096)

    /// Quantize `tensor` blockwise; see the module comment for the formulas.
    ///
    /// Throws for a block size outside `allowedBlockSizes`, a codebook that is not sorted or
    /// longer than 256, or (under `.reject`) a NaN or ±∞. An empty tensor gives no codes and
    /// no blocks.
    public static func quantize(
        _ tensor: Tensor, blockSize: Int = 4096, code: [Float] = DynamicMap.signed,
        nonFinite: NonFinitePolicy = .reject
    ) throws(BlockwiseQuantizationError) -> QuantizedBlockwise8 {
        let layout = try BlockLayout(
            count: tensor.count, blockSize: blockSize, allowed: allowedBlockSizes)
        let nearest = try NearestCode(sortedValues: code, maxCount: 256)
        if nonFinite == .reject, let i = tensor.data.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(index: i, value: tensor.data[i])
        }
        let (codes, absmax) = quantizeBlocks(tensor.data, layout: layout, nearest: nearest)
        return QuantizedBlockwise8(
            checked: tensor.shape, blockSize: blockSize, code: code, codes: codes, absmax: absmax)
    }

    /// A flat vector, shape [count].
    public static func quantize(
        _ values: [Float], blockSize: Int = 4096, code: [Float] = DynamicMap.signed,
        nonFinite: NonFinitePolicy = .reject
    ) throws(BlockwiseQuantizationError) -> QuantizedBlockwise8 {
        try quantize(
            Tensor(shape: [values.count], data: values), blockSize: blockSize, code: code,
            nonFinite: nonFinite)
    }

    /// The codes and per-block absmax of `x`, as bitsandbytes' PyTorch kernel computes them:
    /// full blocks multiply by the float32 reciprocal of their absmax, the short last block
    /// divides (and stores its absmax clamped to ≥ 1e-38); the scaled value is clamped to
    /// [−1, 1] and its code is the nearest entry by the midpoint rule.
    ///
    /// ```
    /// codes:  [x.count] UInt8        absmax: [layout.blockCount] Float
    /// ```
    static func quantizeBlocks(_ x: [Float], layout: BlockLayout, nearest: NearestCode)
        -> (codes: [UInt8], absmax: [Float])
    {
        // BEGIN EXERCISE 5b — blockwise quantization
        var codes = [UInt8](repeating: 0, count: x.count)
        var absmax = [Float](repeating: 0, count: layout.blockCount)
        for b in 0..<layout.blockCount {
            let range = layout.range(ofBlock: b)
            let blockMax = BlockScaling.absmax(x[range])
            if layout.isPartial(block: b) {
                let clamped = BlockScaling.clampedAbsmax(blockMax)
                absmax[b] = clamped
                for i in range {
                    codes[i] = UInt8(nearest.index(of: BlockScaling.clampToUnit(x[i] / clamped)))
                }
            } else {
                absmax[b] = blockMax
                let reciprocal = BlockScaling.reciprocal(ofAbsmax: blockMax)
                for i in range {
                    codes[i] = UInt8(nearest.index(of: BlockScaling.clampToUnit(x[i] * reciprocal)))
                }
            }
        }
        return (codes, absmax)
        // END EXERCISE 5b
    }
}
