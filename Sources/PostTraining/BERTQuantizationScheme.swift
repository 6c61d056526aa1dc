/// Every quantization scheme of the book, as one name a BERT encoder's dense layers can be
/// quantized with (Chapter 12: all-MiniLM-L6-v2 under each scheme).
///
/// The names are exactly those `lowbit quantize --scheme` knows, with the same meaning, plus
/// the schemes that only make sense on a whole layer (LLM.int8()'s run-time decomposition,
/// GPTQ and AWQ from calibration inputs) and NF4/FP4 with double quantization:
///
/// ```
/// name               module        what one [out, in] weight becomes
/// absmax-int8        Absmax        int8 codes, one absmax for the whole matrix
/// absmax-int8-row    LLMInt8       int8 codes, one absmax per output row (bnb's CB, SCB)
/// absmax-int8-block  Absmax        int8 codes, one absmax per 64 consecutive values
/// zeropoint-int8     Absmax        int8 codes, one scale and zero point for the matrix
/// dynamic8           Blockwise8    8-bit dynamic-map codes, one absmax per 4096 values
/// nf4, fp4           NF4           4-bit codes, one float32 absmax per 64 (bnb Linear4bit)
/// nf4-dq, fp4-dq     NF4           the same, absmax double-quantized (8-bit, blocks of 256)
/// llm-int8           LLMInt8       int8 rows + LLM.int8() at run time (threshold 6)
/// gptq               GPTQ          4-bit, groups of 128, error feedback on calibration rows
/// awq                AWQ           4-bit, groups of 128, activation-aware scales + clipping
/// q8_0 … mxfp4       GGML          llama.cpp's block types, row by row (fallbacks below)
/// ```
///
/// Every scheme except `llm-int8` is *weight-only*: the layer computes x · Ŵᵀ + b in float32
/// with the dequantized weight Ŵ — what bitsandbytes' `Linear4bit` does on the CPU with
/// `compute_dtype=float32` (dequantize, then `F.linear`) and what the GPTQ and AWQ papers
/// evaluate. llama.cpp instead multiplies its blocks by 8-bit-quantized activations (the
/// type's `vec_dot_type`); we leave that out, so its schemes here measure the weight format
/// alone. `llm-int8` is the one scheme that quantizes activations too: int8 × int8 for the
/// normal feature columns, float for the outlier columns, at every call (Dettmers et al.
/// 2022, arXiv:2208.07339, §3.2).
public enum BERTQuantizationScheme: String, CaseIterable, Sendable {
    case absmaxInt8 = "absmax-int8"
    case absmaxInt8Row = "absmax-int8-row"
    case absmaxInt8Block = "absmax-int8-block"
    case zeropointInt8 = "zeropoint-int8"
    case dynamic8
    case nf4
    case nf4DQ = "nf4-dq"
    case fp4
    case fp4DQ = "fp4-dq"
    case llmInt8 = "llm-int8"
    case gptq
    case awq
    // llama.cpp's block types (Chapter 11), the names `lowbit quantize` gives them.
    case q8_0, q4_0, q4_1, q5_0, q5_1, q2_k, q3_k, q4_k, q5_k, q6_k, iq4_nl, mxfp4

    /// The scheme called `name` (`lowbit quantize`'s spelling), or nil.
    public init?(name: String) { self.init(rawValue: name) }

    /// True for the schemes that need each layer's calibration input rows (GPTQ, AWQ).
    public var needsCalibration: Bool { self == .gptq || self == .awq }

    /// The GGML block type name (`"Q4_K"`) of a llama.cpp scheme, nil for the others.
    public var ggmlTypeName: String? {
        switch self {
        case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_k, .q3_k, .q4_k, .q5_k, .q6_k, .iq4_nl, .mxfp4:
            rawValue.uppercased()
        default: nil
        }
    }

    /// Absmax int8's block size for `absmax-int8-block` (bitsandbytes' 4-bit default).
    public static let absmaxBlockSize = 64
    /// Blockwise8's block size for `dynamic8` (bitsandbytes' `quantize_blockwise` default).
    public static let dynamicBlockSize = 4096
    /// NF4 / FP4 block size: bitsandbytes' `Linear4bit` and `Params4bit` default.
    public static let fourBitBlockSize = 64
    /// LLM.int8()'s outlier threshold α (the paper's and bitsandbytes' 6.0).
    public static let outlierThreshold: Float = 6
    /// GPTQ and AWQ: 4-bit codes in groups of 128 input channels (both papers' and
    /// AutoGPTQ/AutoAWQ's default). 128 divides both of MiniLM's row lengths (384 = 3 · 128,
    /// 1536 = 12 · 128); 64 would too, at 4 + 20/64 = 4.31 bits per weight instead of 4.16.
    public static let calibratedBits = 4
    public static let calibratedGroupSize = 128
    /// AWQ's clip search compares outputs on every (tokens / 64)-th calibration token, as
    /// Chapter 10 does; the reference's n_sample_token = 512 used all ~480 tokens of the
    /// calibration sentences and took 78 s of Chapter 12's run on this machine, 64 about 10.
    public static let awqClipSampleTokens = 64
}
