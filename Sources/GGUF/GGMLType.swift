import GGML

/// A tensor's storage type in a GGUF file: ggml's `enum ggml_type` (ggml/include/ggml.h), the
/// same numbers as gguf-py's `GGMLQuantizationType` (gguf-py/gguf/constants.py).
///
/// Each type stores a row as blocks: `blockSize` values in `typeSize` bytes (the plain types
/// F32, F16, BF16 … are blocks of one value). Sizes are gguf-py's `GGML_QUANT_SIZES`, which
/// mirror `ggml_type_size` / `ggml_blck_size`. Ids 4, 5 (Q4_2, Q4_3), 31–33 and 36–38 (the
/// repacked Q4_0_4_4 … and IQ4_NL_4_4 … layouts) were removed from ggml and are not valid;
/// the list ends at Q1_0 = 41 (gguf 0.19.0; `GGML_TYPE_COUNT` = 42).
///
/// Every type here can be read and written as raw bytes; `format` names the `GGML` module's
/// quantizer where one exists, and only those (plus F32, F16, BF16) can be dequantized.
public enum GGMLType: UInt32, CaseIterable, Sendable {
    case F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9
    case Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15
    case IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21
    case IQ2_S = 22, IQ4_XS = 23, I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28
    case IQ1_M = 29, BF16 = 30, TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39, NVFP4 = 40, Q1_0 = 41

    /// ggml's name for the type (`ggml_type_name`): "F32", "Q4_0", "Q6_K" …
    public var name: String { "\(self)" }

    /// The type named `name`, case-insensitively ("q4_k" or "Q4_K").
    public init?(name: String) {
        guard let type = Self.allCases.first(where: { $0.name.lowercased() == name.lowercased() })
        else { return nil }
        self = type
    }

    /// Values per block: 1 for the plain types, 32 for the legacy quants, MXFP4 and IQ4_NL,
    /// 64 for NVFP4, 128 for Q1_0, 256 (QK_K) for the k-quants and the other i-quants.
    public var blockSize: Int {
        switch self {
        case .F32, .F16, .BF16, .F64, .I8, .I16, .I32, .I64: return 1
        case .Q4_0, .Q4_1, .Q5_0, .Q5_1, .Q8_0, .Q8_1, .IQ4_NL, .MXFP4: return 32
        case .NVFP4: return 64
        case .Q1_0: return 128
        case .Q2_K, .Q3_K, .Q4_K, .Q5_K, .Q6_K, .Q8_K, .IQ2_XXS, .IQ2_XS, .IQ3_XXS, .IQ1_S,
            .IQ3_S, .IQ2_S, .IQ4_XS, .IQ1_M, .TQ1_0, .TQ2_0:
            return 256
        }
    }

    /// Bytes per block (`sizeof(block_q4_0)` …), from gguf-py's `GGML_QUANT_SIZES`
    /// (QK_K = 256; the formulas there are spelled out in the comments).
    public var typeSize: Int {
        switch self {
        case .I8: return 1
        case .F16, .BF16, .I16: return 2
        case .F32, .I32: return 4
        case .F64, .I64: return 8
        case .Q4_0, .IQ4_NL: return 18  // 2 + 16
        case .Q4_1: return 20  // 2 + 2 + 16
        case .Q5_0: return 22  // 2 + 4 + 16
        case .Q5_1: return 24  // 2 + 2 + 4 + 16
        case .Q8_0: return 34  // 2 + 32
        case .Q8_1: return 40  // 4 + 4 + 32
        case .MXFP4: return 17  // 1 + 16
        case .NVFP4: return 36  // 4 + 32
        case .Q1_0: return 18  // 2 + 16
        case .Q2_K: return 84  // 2 + 2 + 256/16 + 256/4
        case .Q3_K: return 110  // 2 + 256/4 + 256/8 + 12
        case .Q4_K: return 144  // 2 + 2 + 256/2 + 12
        case .Q5_K: return 176  // 2 + 2 + 256/2 + 256/8 + 12
        case .Q6_K: return 210  // 2 + 256/2 + 256/4 + 256/16
        case .Q8_K: return 292  // 4 + 256 + 256/8 (int16 bsums)
        case .IQ2_XXS: return 66  // 2 + 256/4
        case .IQ2_XS: return 74  // 2 + 256/4 + 256/32
        case .IQ3_XXS: return 98  // 2 + 256/4 + 256/8
        case .IQ1_S: return 50  // 2 + 256/8 + 256/16
        case .IQ3_S: return 110  // 2 + 256/4 + 256/8 + 256/32 + 4
        case .IQ2_S: return 82  // 2 + 256/4 + 256/16
        case .IQ4_XS: return 136  // 2 + 2 + 256/2 + 256/64
        case .IQ1_M: return 56  // 256/8 + 256/16 + 256/32
        case .TQ1_0: return 54  // 2 + 4 * 13
        case .TQ2_0: return 66  // 2 + 64
        }
    }

    /// The `GGML` module's implementation of this block format, if it has one.
    /// F32, F16 and BF16 are not block formats: they go through `FloatFormats`.
    public var format: BlockFormat.Type? {
        switch self {
        case .Q4_0: return GGML.Q4_0.self
        case .Q4_1: return GGML.Q4_1.self
        case .Q5_0: return GGML.Q5_0.self
        case .Q5_1: return GGML.Q5_1.self
        case .Q8_0: return GGML.Q8_0.self
        case .Q2_K: return GGML.Q2_K.self
        case .Q3_K: return GGML.Q3_K.self
        case .Q4_K: return GGML.Q4_K.self
        case .Q5_K: return GGML.Q5_K.self
        case .Q6_K: return GGML.Q6_K.self
        case .IQ4_NL: return GGML.IQ4_NL.self
        case .MXFP4: return GGML.MXFP4.self
        default: return nil
        }
    }

    /// Bytes of `count` values stored as whole blocks (`ggml_row_size`); nil when `count` is
    /// negative, not a whole number of blocks, or so large that the size overflows an `Int`
    /// (2⁶² F32 values would).
    public func byteCount(ofValues count: Int) -> Int? {
        guard count >= 0, count % blockSize == 0 else { return nil }
        let (bytes, overflow) = (count / blockSize).multipliedReportingOverflow(by: typeSize)
        return overflow ? nil : bytes
    }
}
