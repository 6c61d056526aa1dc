import GGML
import GGUF

/// Which ggml type each tensor of a BERT GGUF file is stored in, and the `general.file_type`
/// number that names the whole file — the rules of llama.cpp's `convert_hf_to_gguf.py` (f32,
/// f16, bf16, q8_0) and `llama-quantize` (`src/llama-quant.cpp`, ggml-org/llama.cpp 0c1e57098,
/// the version llama-cpp-python 0.3.36 builds), applied to a BERT encoder:
///
/// ```
/// 1-D tensors (biases, LayerNorm γ/β), *_norm.weight   F32 always
/// position_embd.weight, token_types.weight              F32 always ("do not quantize
///                                                        positional embeddings and token
///                                                        types (BERT)",
///                                                        tensor_allows_quantization)
/// blk.N.attn_q/k/v/output, ffn_up, ffn_down .weight     the asked type T, or its fallback
/// token_embd.weight                                     see below
/// ```
///
/// **Fallback.** A block never crosses a row (`ne[0]`, the input features of a Linear), so
/// a type whose block does not divide the row cannot hold the tensor. MiniLM's rows are 384
/// (attention, ffn_up, token_embd) or 1536 (ffn_down) wide; 384 is not a multiple of a k-quant
/// super-block of 256, so only ffn_down keeps a k-quant and the rest take llama.cpp's fallback
/// (`tensor_type_fallback`: Q2_K, Q3_K → Q4_0, Q4_K → Q5_0, Q5_K → Q5_1, Q6_K → Q8_0; F16 when
/// even that does not divide) — `PostTraining.ggmlStoredType`, shared with TinyGPT's files.
///
/// **token_embd.** BERT has no `output.weight`, so llama-quantize counts its embeddings as
/// tied to the output and gives them the output's rule (`llama_tensor_get_type_impl`): Q8_0
/// when T's block does not divide the row (or for MXFP4), T itself when T is Q8_0, otherwise
/// Q6_K — which for a 384 row falls back to Q8_0. So in every quantized MiniLM file the
/// embedding table is Q8_0, as `llama-quantize` without `--pure` writes it. With `pure`, the
/// table takes T (and its fallback) like every other weight, as `llama-quantize --pure` does.
/// (The other `--pure`-less mixture rules — Q6_K for some attn_v and ffn_down in Q4_K_M — are
/// not applied: every Linear gets T, so the book's comparison is one type per file.)
///
/// **File type.** `general.file_type` is the `llama_ftype` llama-quantize writes for the type
/// (the alias `llama-quantize` accepts: "Q4_K" is Q4_K_M = 15, "Q3_K" is Q3_K_M, "Q5_K" is
/// Q5_K_M; MXFP4 is MXFP4_MOE = 38), 0 / 1 / 32 for f32 / f16 / bf16 as the converter writes.
extension PostTraining {

    /// The types `bertGGUF` writes, in the order `lowbit gguf convert --help` lists them.
    public static let bertGGUFTypes: [GGMLType] = [
        .F32, .F16, .BF16, .Q8_0, .Q4_0, .Q4_1, .Q5_0, .Q5_1, .Q2_K, .Q3_K, .Q4_K, .Q5_K, .Q6_K,
        .IQ4_NL, .MXFP4,
    ]

    /// `llama_ftype` of a file whose weights were asked to be `type` (llama.h; nil for a type
    /// `bertGGUF` does not write).
    public static func llamaFileType(_ type: GGMLType) -> UInt32? {
        let fileTypes: [GGMLType: UInt32] = [
            .F32: 0, .F16: 1, .Q4_0: 2, .Q4_1: 3, .Q8_0: 7, .Q5_0: 8, .Q5_1: 9, .Q2_K: 10,
            .Q3_K: 12, .Q4_K: 15, .Q5_K: 17, .Q6_K: 18, .IQ4_NL: 25, .BF16: 32, .MXFP4: 38,
        ]
        return fileTypes[type]
    }

    /// Whether llama.cpp quantizes a tensor of this GGUF name and shape at all
    /// (`tensor_allows_quantization`, the rules a BERT file meets): 2-D, a `.weight`, not a
    /// norm, not the position or token-type embeddings.
    public static func bertTensorIsQuantizable(_ name: String, shape: [Int]) -> Bool {
        shape.count == 2 && name.hasSuffix(".weight") && !name.hasSuffix("_norm.weight")
            && name != "position_embd.weight" && name != "token_types.weight"
    }

    /// The type a tensor is stored in when the file was asked to be `type` (see the rules
    /// above). Throws `GGUFError.noQuantizer` for a type not in `bertGGUFTypes`, and
    /// `GGMLError.rowLengthNotMultipleOfBlockSize` for a row no type of the chain can hold
    /// (llama.cpp: "no tensor type fallback is defined").
    public static func bertStoredType(
        _ name: String, shape: [Int], asked type: GGMLType, pure: Bool = false
    ) throws -> GGMLType {
        guard bertGGUFTypes.contains(type) else { throw GGUFError.noQuantizer(type) }
        guard bertTensorIsQuantizable(name, shape: shape) else { return .F32 }
        // F32, F16, BF16 are not block types: every quantizable tensor takes them as is.
        guard type.format != nil else { return type }
        let rowLength = shape[1]
        var wanted = type
        if name == "token_embd.weight" && !pure {
            if type == .MXFP4 || rowLength % type.blockSize != 0 {
                wanted = .Q8_0
            } else if type != .Q8_0 {
                wanted = .Q6_K
            }
        }
        return try storedTypeWithFallback(wanted, rowLength: rowLength)
    }

    /// `wanted` or llama.cpp's fallback for a row of `rowLength` values.
    static func storedTypeWithFallback(_ wanted: GGMLType, rowLength: Int) throws -> GGMLType {
        guard let format = wanted.format else { return wanted }
        if let stored = ggmlStoredType(format, rowLength: rowLength) {
            return GGMLType(name: stored.name) ?? wanted
        }
        // Only the k-quants have a fallback; when it does not fit either, llama.cpp writes F16.
        guard wanted.blockSize == 256 else {
            throw GGMLError.rowLengthNotMultipleOfBlockSize(
                count: rowLength, blockSize: wanted.blockSize)
        }
        return .F16
    }
}
