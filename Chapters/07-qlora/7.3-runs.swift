import Book
import Core
import LoRA
import Optimizers
import QLoRA
import TinyGPT

/// One fine-tuning run of 7.3 and what it kept on the simulated accelerator.
struct FineTune {
    let name: String
    let fourBit: Bool
    let paged8Bit: Bool
    let compute: ComputeType
    let losses: [Float]
    let diary: Double
    let fables: Double
    let model: TinyGPTModel
    let stateBytes: Int
    let memory: AcceleratorMemory
    let statePages: Int
}

/// Rows × rank floats per adapter: the small caches LoRA adds to the model's activations.
func adapterActivationBytes(_ model: TinyGPTModel, rows: Int) -> Int {
    model.linearLayers.reduce(0) { total, slot in
        if let l = slot.layer as? LoRALinear { return total + 4 * rows * l.rank }
        if let q = slot.layer as? QLoRALinear {
            return total + 4 * q.adapter.cachedFloats(rows: rows)
        }
        return total
    }
}

/// Activation bytes of one batch: the layers' caches plus the adapters'.
func activationBytes(_ model: TinyGPTModel, setup: QLoRASetup) -> Int {
    let (b, t) = (setup.recipe.batchSize, setup.config.contextLength)
    return model.activationBytes(batchSize: b, time: t) + adapterActivationBytes(model, rows: b * t)
}

/// Fine-tunes adapters on the float or the 4-bit base with AdamW or paged 8-bit AdamW,
/// allocating everything the run keeps in a ledger. `recipe` is Chapter 6's unless a rerun
/// changes its batch order.
func fineTune(
    _ name: String, setup: QLoRASetup, fourBit: Bool, paged8Bit: Bool,
    compute: ComputeType = .float32,
    recipe: FineTuneRecipe
) throws -> FineTune {
    let model =
        fourBit
        ? try setup.quantizedBase(adapters: true, compute: compute) : setup.loraOnFloatBase()
    // The simulated accelerator: every byte the run keeps, allocated in the ledger.
    let memory = AcceleratorMemory(budget: 64 << 20)
    let quantized = QLoRAInjection.quantizedBases(in: model.linearLayers.map(\.layer))
    let frozen = model.parameters.filter { !$0.isTrainable }.totalCount
    let trainable = model.parameters.filter(\.isTrainable).totalCount
    try memory.allocate(
        quantized.reduce(0) { $0 + $1.weight.storageBytes } + 4 * frozen, for: .parameters,
        what: "base")
    try memory.allocate(4 * trainable, for: .parameters, what: "adapters")
    try memory.allocate(4 * trainable, for: .gradients, what: "adapter gradients")
    let hyperparameters = AdamHyperparameters(learningRate: recipe.learningRate(adapters: true))
    let step: () throws -> Void
    let stateBytes: Int
    var store: PagedStateStore?
    if paged8Bit {
        let pages = PagedStateStore(memory: memory, pageSize: setup.pageSize, pagingEnabled: true)
        let optimizer = try PagedAdamW8bit(
            model.parameters, rule: Adam8bitRule(hyperparameters, min8BitSize: setup.min8BitSize),
            store: pages)
        (step, stateBytes, store) = (optimizer.step, optimizer.stateBytes, pages)
    } else {
        let optimizer = AdamW(model.parameters, hyperparameters)
        try memory.allocate(optimizer.stateBytes, for: .optimizerState, what: "AdamW states")
        (step, stateBytes) = (optimizer.step, optimizer.stateBytes)
    }
    let activations = activationBytes(model, setup: setup)
    let run = try recipe.fineTune(
        model, on: setup.corpora.diary, progress: ProgressLine(label: "7.3 " + name).report
    ) {
        // The batch's activations were alive through forward and backward; the states stay
        // resident.
        try memory.allocate(activations, for: .activations, what: "activations")
        memory.release(activations, for: .activations)
        try step()
    }
    let (fables, diary) = setup.corpora.heldOutLosses(model)
    return FineTune(
        name: name, fourBit: fourBit, paged8Bit: paged8Bit, compute: compute, losses: run.losses,
        diary: diary, fables: fables, model: model,
        stateBytes: stateBytes, memory: memory, statePages: store?.pageCount ?? 0)
}
