import BERT
import Core
import Foundation
import GGML
import GGUF

/// A BERT sentence-embedding model as the GGUF file llama.cpp runs (`llama-embedding`,
/// llama-cpp-python's `Llama(embedding=True)`): the file `convert_hf_to_gguf.py` writes for
/// f32/f16/bf16/q8_0, and for the other types what `llama-quantize` makes of that file.
///
/// Tensors, renamed from Hugging Face's `BertModel` names (`BertModel` in the converter,
/// `MODEL_TENSOR` names in gguf-py's `tensor_mapping.py`), in the converter's order — sorted by
/// HF name, so within a layer `attention.output.LayerNorm` comes before `attention.output.dense`:
///
/// ```
/// embeddings.word_embeddings          → token_embd        [vocab, hidden]
/// embeddings.position_embeddings      → position_embd     [positions, hidden]
/// embeddings.token_type_embeddings    → token_types       [types, hidden]
/// embeddings.LayerNorm                → token_embd_norm
/// encoder.layer.N.attention.self.query/key/value → blk.N.attn_q / attn_k / attn_v
/// encoder.layer.N.attention.output.dense         → blk.N.attn_output
/// encoder.layer.N.attention.output.LayerNorm     → blk.N.attn_output_norm
/// encoder.layer.N.intermediate.dense             → blk.N.ffn_up
/// encoder.layer.N.output.dense                   → blk.N.ffn_down
/// encoder.layer.N.output.LayerNorm               → blk.N.layer_output_norm
/// (each .weight and .bias; the pooler and position_ids are dropped)
/// ```
///
/// Shapes stay PyTorch's ([out, in] for a Linear); the file stores them innermost first
/// (`ne` = [in, out]) and the bytes are the row-major bytes unchanged — no transpose, no q/k
/// permutation for BERT. Each tensor's type follows `bertStoredType` (BERTGGUFTypes.swift);
/// block types are quantized by module `GGML` (`quantize_row_*_ref`, byte for byte what
/// `ggml_quantize_chunk` gives without an importance matrix).
///
/// ### See Also
/// - `bertGGUFMetadata` (the keys), `PostTraining.ggufFile` (TinyGPT's GGUF, for lowbit only).
extension PostTraining {

    /// One tensor of the file: where it comes from, its GGUF name, shape and stored type.
    public struct BERTGGUFTensor: Equatable, Sendable {
        public var hfName: String
        public var name: String
        /// PyTorch order, outermost first.
        public var shape: [Int]
        public var type: GGMLType
    }

    /// The GGUF name of a Hugging Face `BertModel` tensor (nil for one the file leaves out).
    public static func bertGGUFName(_ hfName: String) -> String? {
        let embeddings = [
            "embeddings.word_embeddings": "token_embd",
            "embeddings.position_embeddings": "position_embd",
            "embeddings.token_type_embeddings": "token_types",
            "embeddings.LayerNorm": "token_embd_norm",
        ]
        let layer = [
            "attention.self.query": "attn_q", "attention.self.key": "attn_k",
            "attention.self.value": "attn_v", "attention.output.dense": "attn_output",
            "attention.output.LayerNorm": "attn_output_norm", "intermediate.dense": "ffn_up",
            "output.dense": "ffn_down", "output.LayerNorm": "layer_output_norm",
        ]
        guard let dot = hfName.lastIndex(of: ".") else { return nil }
        let module = String(hfName[..<dot])
        let suffix = String(hfName[dot...])  // ".weight" or ".bias"
        guard suffix == ".weight" || suffix == ".bias" else { return nil }
        if let name = embeddings[module] { return name + suffix }
        let parts = module.split(separator: ".", maxSplits: 3).map(String.init)
        guard parts.count == 4, parts[0] == "encoder", parts[1] == "layer",
            let block = Int(parts[2]), let role = layer[parts[3]]
        else { return nil }
        return "blk.\(block).\(role)\(suffix)"
    }

    /// The file's tensors for a model of `config` asked to be `type`, in file order.
    public static func bertGGUFTensors(
        _ config: BERTConfig, type: GGMLType, pure: Bool = false
    ) throws -> [BERTGGUFTensor] {
        let sorted = BERTCheckpoint.expectedShapes(config).sorted {
            Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8))
        }
        return try sorted.map { hfName, shape in
            guard let name = bertGGUFName(hfName) else { throw GGUFError.tensorNotFound(hfName) }
            let stored = try bertStoredType(name, shape: shape, asked: type, pure: pure)
            return BERTGGUFTensor(hfName: hfName, name: name, shape: shape, type: stored)
        }
    }

    /// The whole file: metadata, then every tensor stored as `bertGGUFTensors` says.
    public static func bertGGUF(
        _ checkpoint: BERTCheckpoint, type: GGMLType, pure: Bool = false
    ) throws -> GGUFFile {
        let metadata = try bertGGUFMetadata(checkpoint, type: type)
        let tensors = try bertGGUFTensors(checkpoint.config, type: type, pure: pure).map { t in
            guard let weights = checkpoint.tensors[t.hfName] else {
                throw BERTError.badTensor("no tensor \(t.hfName)")
            }
            return try GGUFTensor.quantizing(
                name: t.name, values: weights.data, shape: t.shape, type: t.type)
        }
        return GGUFFile(metadata: metadata, tensors: tensors)
    }

    /// The way back: `base` (its folder, config and vocabulary) with every tensor the file
    /// holds dequantized to float32 under its Hugging Face name — the weights llama.cpp
    /// computes with when it runs the file, ready for `BERTEncoder(checkpoint:)`.
    /// Throws if a tensor is missing or has another shape.
    public static func bertCheckpoint(
        from file: GGUFFile, base: BERTCheckpoint
    ) throws -> BERTCheckpoint {
        var tensors = base.tensors
        for t in try bertGGUFTensors(base.config, type: .F32) {
            let stored = try file.tensor(named: t.name)
            guard stored.shape == t.shape else {
                throw GGUFError.invalidShape(tensor: t.name, shape: stored.shape)
            }
            tensors[t.hfName] = Tensor(shape: t.shape, data: try stored.float32Values())
        }
        return BERTCheckpoint(
            folder: base.folder, config: base.config, vocabulary: base.vocabulary,
            tensors: tensors)
    }
}
