import Blockwise8
import Core

/// # NF4 — 4-bit NormalFloat, FP4 and blockwise 4-bit quantization (Chapter 4)
///
/// Sources: Dettmers, Pagnoni, Holtzman & Zettlemoyer, "QLoRA: Efficient Finetuning of
/// Quantized LLMs" (NeurIPS 2023), §2 (block-wise k-bit quantization) and §3 (4-bit
/// NormalFloat, Double Quantization); Belkada, Dettmers et al., "Making LLMs even more
/// accessible with bitsandbytes, 4-bit quantization and QLoRA" (Hugging Face blog, May 2023);
/// bitsandbytes 0.50.2 `quantize_4bit` / `dequantize_4bit` and its PyTorch kernel in
/// `backends/default/ops.py`, which this file reproduces bit for bit:
///
/// ```
/// flatten row-major; blocks of blockSize (32 … 4096, powers of two; 64 by default)
/// absmax_b = max |x| over block b
/// scaled   = clamp(x · (1 / max(absmax_b, 1e-38)), −1, 1)     full blocks
///          = clamp(x / max(absmax_b, 1e-38), −1, 1)           the short last block
/// code     = sortedCodes[bucketize(scaled, midpoints)]         nearest value, ties → lower
/// packed   = two codes per byte, first in the high nibble; odd count padded with zeroCode
/// x̂        = values[code] · absmax_b
/// ```
///
/// ## Properties (each one is tested in `NF4Tests`)
/// - Packed codes, absmax (or its double-quantized codes, second-level absmax and offset) and
///   dequantized values agree bit for bit with every bitsandbytes reference case.
/// - The NF4 table is sorted, holds exactly one zero, and ends at −1 and 1; its neighbouring
///   levels enclose equal normal probability mass.
/// - Packing then unpacking is the identity; a value exactly on a midpoint takes the lower code.
/// - An all-zero block comes back as zeros; NaN/±∞ are a typed error (or bitsandbytes'
///   encoding, on request); an empty tensor has no bytes; a block size outside 32 … 4096 or
///   not a power of two is a typed error.
/// - `BlockwiseQuantizer4.Fast` computes exactly the same bytes.
///
/// Where bitsandbytes' backends disagree, `Quantization4Rules` names the rule the reference
/// follows and keeps the alternatives, so the chapter can show what each one changes.
///
/// ### See Also
/// `NF4Codebook`, `FP4Codebook`, `Int4Grid`, `FourBitDataType`, `StandardNormal`,
/// `NibblePacking`, `DoubleQuantizedAbsmax`, `MemoryArithmetic`, `DataTypeComparison`,
/// `BlockwiseQuantizer4.Fast`; `Blockwise8` for the 8-bit quantizer double quantization reuses.
public enum BlockwiseQuantizer4 {
    /// The block sizes `quantize_4bit` accepts.
    public static let allowedBlockSizes = BlockLayout.powersOfTwo(from: 32, through: 4096)

    public static func quantize(
        _ tensor: Tensor, type: FourBitDataType = .nf4, blockSize: Int = 64,
        doubleQuantization: Bool = false, rules: Quantization4Rules = .reference,
        nonFinite: NonFinitePolicy = .reject
    ) throws(BlockwiseQuantizationError) -> QuantizedBlockwise4 {
        let layout = try BlockLayout(
            count: tensor.count, blockSize: blockSize, allowed: allowedBlockSizes)
        if nonFinite == .reject, let i = tensor.data.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(index: i, value: tensor.data[i])
        }
        var codes = [UInt8](repeating: 0, count: tensor.count)
        var absmax = [Float](repeating: 0, count: layout.blockCount)
        for b in 0..<layout.blockCount {
            let range = layout.range(ofBlock: b)
            absmax[b] = quantizeBlock(
                tensor.data[range], into: &codes, type: type, rules: rules,
                isPartial: layout.isPartial(block: b))
        }
        let packed = NibblePacking.pack(codes, padding: type.zeroCode)
        if doubleQuantization, !absmax.isEmpty, absmax.allSatisfy(\.isFinite),
            !TorchSum.mean(absmax).isFinite
        {
            // bitsandbytes' float32 mean of the absmax values overflows (issue #14: 2e38).
            throw .overflow(
                "double quantization's offset, the mean of the \(absmax.count) block absmax "
                    + "values (up to \(absmax.max() ?? 0)), exceeds 3.4e38")
        }
        let constants: BlockConstants =
            doubleQuantization
            ? .doubleQuantized(try DoubleQuantizedAbsmax.compress(absmax, nonFinite: nonFinite))
            : .float(absmax)
        return QuantizedBlockwise4(
            checked: type, shape: tensor.shape, blockSize: blockSize, packed: packed,
            constants: constants)
    }

    /// A flat vector, shape [count].
    public static func quantize(
        _ values: [Float], type: FourBitDataType = .nf4, blockSize: Int = 64,
        doubleQuantization: Bool = false, rules: Quantization4Rules = .reference,
        nonFinite: NonFinitePolicy = .reject
    ) throws(BlockwiseQuantizationError) -> QuantizedBlockwise4 {
        try quantize(
            Tensor(shape: [values.count], data: values), type: type, blockSize: blockSize,
            doubleQuantization: doubleQuantization, rules: rules, nonFinite: nonFinite)
    }

    /// Codes for one block (written into `codes` at the block's flat indices); returns the
    /// absmax to store.
    static func quantizeBlock(
        _ block: ArraySlice<Float>, into codes: inout [UInt8], type: FourBitDataType,
        rules: Quantization4Rules, isPartial: Bool
    ) -> Float {
        let blockMax = BlockScaling.absmax(block)
        if blockMax == 0 && rules.allZeroBlock == .cudaNaNCode {
            for i in block.indices { codes[i] = 0 }
            return blockMax
        }
        if isPartial && rules.partialBlock == .divide {
            let clamped = BlockScaling.clampedAbsmax(blockMax)
            for i in block.indices {
                let scaled = BlockScaling.clampToUnit(block[i] / clamped)
                codes[i] = code(forScaled: scaled, type: type, rules: rules)
            }
            return clamped
        }
        let reciprocal = BlockScaling.reciprocal(ofAbsmax: blockMax)
        for i in block.indices {
            let scaled = BlockScaling.clampToUnit(block[i] * reciprocal)
            codes[i] = code(forScaled: scaled, type: type, rules: rules)
        }
        return blockMax
    }

    /// The code of a scaled value in [−1, 1]: the nearest table value by the midpoint rule,
    /// mapped from sorted order back to code order.
    ///
    /// - nearest: `type.nearest.index(of: x)` (bucketize: on a midpoint, the lower value) under
    ///   `rules.midpointTie == .lowerCode`, `type.nearest.indexRoundingTiesUp(of: x)` under
    ///   `.upperCode`; a NaN lands on the largest value;
    /// - code: `type.sortedCodes[that index]`;
    /// - a type with two zeros (FP4, `negativeZeroCode` set): when the code's value is 0 and
    ///   `rules.fp4ZeroSign == .signOfInput`, the code is `negativeZeroCode` for x < 0 and
    ///   `zeroCode` otherwise (CUDA's sign bit; −0.0 < 0 is false). Under `.pytorchPath`'s
    ///   rule the sorted order decides, as for every other value.
    public static func code(
        forScaled x: Float, type: FourBitDataType, rules: Quantization4Rules = .reference
    ) -> UInt8 {
        // BEGIN EXERCISE 4c — the nearest 4-bit code
        let sortedIndex =
            rules.midpointTie == .lowerCode
            ? type.nearest.index(of: x) : type.nearest.indexRoundingTiesUp(of: x)
        let code = type.sortedCodes[sortedIndex]
        if let negativeZero = type.negativeZeroCode, rules.fp4ZeroSign == .signOfInput,
            type.values[Int(code)] == 0
        {
            return x < 0 ? negativeZero : type.zeroCode  // CUDA: sign bit = (x < 0)
        }
        return code
        // END EXERCISE 4c
    }

    /// Dequantize (the same as `q.dequantize()`, named for symmetry).
    public static func dequantize(_ q: QuantizedBlockwise4) -> Tensor { q.dequantizedTensor() }
}
