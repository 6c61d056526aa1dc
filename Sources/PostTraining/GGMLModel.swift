import GGML
import NN
import TinyGPT

/// A whole TinyGPT in llama.cpp's block formats: every block linear quantized row by row as
/// `llama-quantize` does it, with llama.cpp's rules for which type each tensor gets.
///
/// A GGML row is a weight matrix's innermost dimension (`ne[0]`): for `nn.Linear`'s
/// [out][in] layout, one row per output, `in` values long. A block never crosses a row, so a
/// type whose block does not divide `in` cannot store the tensor; llama.cpp then falls back
/// to a legacy type (`tensor_type_fallback` in `src/llama-quant.cpp`, ggml-org/llama.cpp):
///
/// ```
/// Q2_K, Q3_K → Q4_0     Q4_K → Q5_0     Q5_K → Q5_1     Q6_K → Q8_0
/// ```
///
/// TinyGPT's attention and fc layers read 64 channels, fewer than a super-block of 256: only
/// `mlp.proj` (256 inputs) keeps a k-quant, the other ten block linears take the fallback.
extension PostTraining {

    /// The type llama.cpp stores a tensor with rows of `rowLength` values in when `type` was
    /// asked for: `type` itself when its block divides the row, else the fallback above
    /// (nil when the fallback does not divide the row either: llama.cpp then writes F16).
    public static func ggmlStoredType(
        _ type: any BlockFormat.Type, rowLength: Int
    ) -> (any BlockFormat.Type)? {
        if rowLength % type.blockSize == 0 { return type }
        let fallbacks: [String: any BlockFormat.Type] = [
            "Q2_K": Q4_0.self, "Q3_K": Q4_0.self, "Q4_K": Q5_0.self, "Q5_K": Q5_1.self,
            "Q6_K": Q8_0.self,
        ]
        guard let fallback = fallbacks[type.name], rowLength % fallback.blockSize == 0 else {
            return nil
        }
        return fallback
    }

    /// llama.cpp's `use_more_bits(i_layer, n_layers)`: the first and last eighth of the layers
    /// and every third layer between them get more bits in the `_M` mixtures.
    public static func llamaUsesMoreBits(layer i: Int, of n: Int) -> Bool {
        i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2
    }

    /// The llama.cpp (GGUF) name of a TinyGPT slot: `blocks.1.attn.value` → `blk.1.attn_v.weight`
    /// (the names `convert_hf_to_gguf.py` gives a LLaMA's tensors); `head` → `output.weight`.
    public static func llamaTensorName(_ slot: String) -> String {
        if slot == "head" { return "output.weight" }
        let parts = slot.split(separator: ".")
        guard parts.count == 4, parts[0] == "blocks" else { return slot }
        let roles = [
            "query": "attn_q", "key": "attn_k", "value": "attn_v", "output": "attn_output",
            "fc": "ffn_up", "proj": "ffn_down",
        ]
        return "blk.\(parts[1]).\(roles[String(parts[3])] ?? String(parts[3])).weight"
    }

    /// The `Q4_K_M` rule of `llama_tensor_get_type` for a model of `layers` blocks: `attn_v`
    /// and `ffn_down` of the layers `llamaUsesMoreBits` picks get `promoted` (Q6_K in
    /// llama.cpp), every other block linear `base` (Q4_K). (llama.cpp also stores the output
    /// head in Q6_K; here the head stays float32, as everywhere in the book.)
    public static func mediumMixture(
        base: any BlockFormat.Type, promoted: any BlockFormat.Type, layers: Int
    ) -> (String) -> any BlockFormat.Type {
        return { slot in
            let name = llamaTensorName(slot)
            let sensitive = name.hasSuffix("attn_v.weight") || name.hasSuffix("ffn_down.weight")
            let layer = Int(slot.split(separator: ".")[1]) ?? 0
            return sensitive && llamaUsesMoreBits(layer: layer, of: layers) ? promoted : base
        }
    }

    /// Quantizes every block linear with the type `typeFor(slot)` asks for — or its fallback
    /// (`ggmlStoredType`) — and puts the dequantized weight back. Bits per weight are the
    /// stored bytes of all the blocks over the quantized weights. Returns the model and the
    /// type each slot was stored in (llama.cpp's names).
    public static func ggml(
        _ base: TinyGPTModel, label: String, typeFor: (String) -> any BlockFormat.Type
    ) throws -> (quantized: QuantizedModel, storedTypes: [String: String]) {
        var storedTypes: [String: String] = [:]
        var bytes = 0
        var weights = 0
        let (model, seconds) = try timed {
            let model = base.copy()
            for (name, linear) in model.blockLinears {
                let asked = typeFor(name)
                guard let type = ggmlStoredType(asked, rowLength: linear.inFeatures) else {
                    throw GGMLError.rowLengthNotMultipleOfBlockSize(
                        count: linear.inFeatures, blockSize: asked.blockSize)
                }
                let stored = try type.quantize(linear.weight.value)
                linear.weight.value = try type.dequantize(stored)
                storedTypes[name] = type.name
                bytes += stored.count
                weights += linear.weight.count
            }
            return model
        }
        let quantized = QuantizedModel(
            label: label, model: model, bitsPerWeight: 8 * Double(bytes) / Double(weights),
            seconds: seconds)
        return (quantized, storedTypes)
    }
}
