import GGML
import GGUF
import TinyGPT

/// A whole TinyGPT as a GGUF file and back: every parameter one tensor under its TinyGPT name,
/// the block linears' weights in the block type `PostTraining.ggml` stored them in, everything
/// else (embeddings, LayerNorms, biases, the head) float32.
///
/// GGUF (ggml-org/llama.cpp `docs/gguf.md`, v3) is a header, key-value metadata, one info
/// record per tensor (name, dimensions innermost first, type, offset) and the aligned data;
/// module `GGUF` reads and writes it. llama.cpp loads only architectures it knows, so this
/// file is for `lowbit` and gguf-py (`general.architecture` = "tinygpt"), not `llama-cli`.
extension PostTraining {

    /// The GGUF file of `base` with each block linear stored as `storedTypes[slot]` (the
    /// ggml type name `PostTraining.ggml` returns), and `metadata` first.
    public static func ggufFile(
        _ base: TinyGPTModel, storedTypes: [String: String], metadata: [(String, GGUFValue)]
    ) throws -> GGUFFile {
        var typeOfWeight: [ObjectIdentifier: GGMLType] = [:]
        for (slot, linear) in base.blockLinears {
            guard let name = storedTypes[slot], let type = GGMLType(name: name) else {
                throw GGUFError.tensorNotFound(slot)
            }
            typeOfWeight[ObjectIdentifier(linear.weight)] = type
        }
        let tensors = try base.parameters.map { p in
            try GGUFTensor.quantizing(
                name: p.name, values: p.value, shape: p.shape,
                type: typeOfWeight[ObjectIdentifier(p)] ?? .F32)
        }
        return GGUFFile(metadata: metadata, tensors: tensors)
    }

    /// A copy of `base` whose every parameter is the tensor of the same name in `file`,
    /// dequantized to float32. Throws if a tensor is missing or its shape differs.
    public static func model(_ base: TinyGPTModel, from file: GGUFFile) throws -> TinyGPTModel {
        let model = base.copy()
        for p in model.parameters {
            let tensor = try file.tensor(named: p.name)
            guard tensor.shape == p.shape else {
                throw GGUFError.invalidShape(tensor: p.name, shape: tensor.shape)
            }
            p.value = try tensor.float32Values()
        }
        return model
    }
}
