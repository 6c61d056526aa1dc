import Book
import Core
import LoRA
import NF4
import NN
import QLoRA
import TinyGPT

/// What every section of this chapter builds on: Chapter 6's base model and recipe, the
/// adapters' configuration and the paged optimizer's settings.
struct QLoRASetup {
    let base: TinyGPTModel
    let recipe: FineTuneRecipe
    let lora: LoRAConfig
    let corpora: ChapterCorpora
    /// Tensors below this many values keep float32 states in 8-bit Adam.
    let min8BitSize: Int
    /// Page size of the simulated accelerator's paged optimizer states.
    let pageSize: Int

    var config: GPTConfig { base.config }

    /// A fresh float copy of the base.
    func freshBase() -> TinyGPTModel { recipe.freshCopy(of: base) }

    /// The base with every block linear layer in 4 bits (`storage`, blocks of 64) and, if
    /// `adapters`, QLoRA adapters on them drawn from the recipe's adapter seed.
    func quantizedBase(
        adapters: Bool, doubleQuantization: Bool = true, storage: FourBitType = .nf4,
        compute: ComputeType = .float32
    ) throws -> TinyGPTModel {
        let model = freshBase()
        var rng = recipe.adapterRNG()
        let q = QLoRAConfig(
            lora: LoRAConfig(
                rank: lora.rank, alpha: lora.alpha,
                targetModules: adapters ? lora.targetModules : []),
            doubleQuantization: doubleQuantization, storageType: storage.type, computeType: compute)
        try model.replaceLinearLayers { name, layer in
            try QLoRAInjection.adapt(layer, named: name, config: q, rng: &rng)
        }
        LoRAInjection.freezeAllButAdapters(model.parameters)
        return model
    }

    /// The float base with LoRA adapters (Chapter 6's "LoRA all linear r=8").
    func loraOnFloatBase() -> TinyGPTModel {
        let model = freshBase()
        var rng = recipe.adapterRNG()
        model.replaceLinearLayers { name, layer in
            LoRAInjection.adapt(layer, named: name, config: lora, rng: &rng)
        }
        LoRAInjection.freezeAllButAdapters(model.parameters)
        return model
    }
}

/// The three 4-bit code books of Chapter 4, by name.
enum FourBitType: String, CaseIterable {
    case int4 = "Int4"
    case fp4 = "FP4"
    case nf4 = "NF4"
    var type: FourBitDataType {
        switch self {
        case .int4: .int4
        case .fp4: .fp4
        case .nf4: .nf4
        }
    }
}

/// Bytes as "393,216 B" below 10 MB, "5.6 MB" above.
func bytes(_ b: Double) -> String {
    b < 1e7 ? Fmt.grouped(Int(b.rounded())) + " B" : Fmt.f(b / 1e6, 1) + " MB"
}
