// Chapter 7 — QLoRA: LoRA adapters trained through a frozen 4-bit NormalFloat base.
//
// Run: swift run -c release Chapter07 [--figures DIR] [--models DIR]
// Needs Models/tinygpt-fables.safetensors, which Chapter 6 trains and saves.
// Reads like a notebook: each section prints what it shows, the figures go to Figures/. The
// ideas live in Sources/QLoRA (the 4-bit layer, the adapter on it, merging, memory), built on
// Sources/NF4, Sources/LoRA and Sources/Optimizers; this file only calls, prints and plots.
import Book
import Core
import Foundation
import LoRA
import NF4
import NN
import Optimizers
import Plot
import QLoRA
import TensorIO
import TinyGPT

let seed: UInt64 = 7
let book = Notebook(chapter: 7, title: "QLoRA: LoRA adapters on a frozen 4-bit base")

// Chapter 6's data and fine-tuning recipe, so that the LoRA run below repeats its run exactly.
let diary = Corpus(grammar: .diary, characters: 200_000, seed: 63)
let diaryHeldOut = Corpus(grammar: .diary, characters: 20_000, seed: 64)
let fablesHeldOut = Corpus(grammar: .fables, characters: 20_000, seed: 62)
let batchSize = 8
let fineTuneSteps = 200
let learningRate = 1e-2
let lora = LoRAConfig(rank: 8, alpha: 16, targetModules: LoRAConfig.allLinear)
let adapterSeed: UInt64 = 16  // Chapter 6's: the same A for the same layer
let batchSeed: UInt64 = 17  // Chapter 6's: the same batches
let min8BitSize = 256
let pageSize = 4096
let modelFile = "tinygpt-fables.safetensors"

let modelPath = (book.modelsDirectory as NSString).appendingPathComponent(modelFile)
guard FileManager.default.fileExists(atPath: modelPath) else {
    FileHandle.standardError.write(Data("error: \(modelFile) not found in \(book.modelsDirectory); run Chapter06 first\n".utf8))
    exit(1)
}
let loaded: (model: TinyGPTModel, vocabulary: CharacterVocabulary, metadata: [String: String])
do { loaded = try TinyGPTCheckpoint.load(from: modelPath) } catch {
    FileHandle.standardError.write(Data("error: cannot load \(modelFile): \(error); run Chapter06 first\n".utf8))
    exit(1)
}
let config = loaded.model.config
let vocabulary = loaded.vocabulary
let baseFile = try TinyGPTCheckpoint.encode(loaded.model, vocabulary: vocabulary)
let fablesEval = fablesHeldOut.evaluationBatches(batchSize: batchSize, contextLength: config.contextLength, maxBatches: 16)
let diaryEval = diaryHeldOut.evaluationBatches(batchSize: batchSize, contextLength: config.contextLength, maxBatches: 16)

print("seed: \(seed)")
print("base model: \(modelFile), trained by \(loaded.metadata["trained_by"] ?? "?") "
    + "(\(loaded.metadata["steps"] ?? "?") steps on \(loaded.metadata["corpus"] ?? "?"))")
print("            \(config.parameterCount) parameters; held-out fables loss \(loaded.metadata["heldout_fables_loss"] ?? "?")")
print("adapters: r \(lora.rank), alpha \(Fmt.g(lora.alpha)), on \(lora.targetModules.joined(separator: ", ")) of both blocks")
print("fine-tuning: \(fineTuneSteps) steps on diary, batches of \(batchSize) x \(config.contextLength), lr \(Fmt.g(learningRate)) "
    + "(Chapter 6's seeds)")
print("4-bit storage: NF4, blocks of 64, double-quantized constants (8-bit, blocks of 256); the head stays float32")

/// Bytes as "393,216 B" below 10 MB, "5.6 MB" above.
func bytes(_ b: Double) -> String { b < 1e7 ? Fmt.grouped(Int(b.rounded())) + " B" : Fmt.f(b / 1e6, 1) + " MB" }

/// A fresh copy of the float base model.
func freshBase() throws -> TinyGPTModel {
    var rng = SeededRNG(seed: 0)
    let model = TinyGPTModel(config: config, rng: &rng)
    try TinyGPTCheckpoint.loadWeights(baseFile, into: model)
    return model
}

/// The base with every block linear layer in 4 bits and, if `adapters`, QLoRA adapters on them.
func quantizedBase(adapters: Bool, doubleQuantization: Bool = true) throws -> TinyGPTModel {
    let model = try freshBase()
    var rng = SeededRNG(seed: adapterSeed)
    let q = QLoRAConfig(lora: LoRAConfig(rank: lora.rank, alpha: lora.alpha, targetModules: adapters ? lora.targetModules : []),
                        doubleQuantization: doubleQuantization)
    try model.replaceLinearLayers { name, layer in try QLoRAInjection.adapt(layer, named: name, config: q, rng: &rng) }
    LoRAInjection.freezeAllButAdapters(model.parameters)
    return model
}

// MARK: - 7.1
book.section("7.1", "The base in 4 bits: NF4 with double quantization")
book.say(
    """
    QLoRA (Dettmers et al. 2023, §3) stores the frozen pretrained weights in 4-bit NormalFloat
    (Chapter 4): blocks of 64 weights share one absmax, and the absmax values are quantized again
    to 8 bits in blocks of 256 (double quantization), for 4 + 8/64 + 32/(64*256) = 4.127 bits per
    weight. The twelve block matrices of Chapter 6's model go to 4 bits; the embeddings, LayerNorms,
    biases and output head stay float32, as transformers keeps lm_head and the norms in 16 bits.
    """)
let floatBase = try freshBase()
let nf4Plain = try quantizedBase(adapters: false, doubleQuantization: false)
let nf4Base = try quantizedBase(adapters: false)
let floatLinears = floatBase.linearLayers.compactMap { $0.layer as? Linear }.filter { !$0.weight.name.hasPrefix("head") }
let linearWeightCount = floatLinears.reduce(0) { $0 + $1.weight.count }
let nf4Layers = QLoRAInjection.quantizedBases(in: nf4Base.linearLayers.map(\.layer))
let nf4PlainLayers = QLoRAInjection.quantizedBases(in: nf4Plain.linearLayers.map(\.layer))
var squaredError = 0.0, squaredWeight = 0.0
for (float, q) in zip(floatLinears, nf4Layers) {
    for (w, wHat) in zip(float.weight.value, q.dequantizedWeight()) {
        squaredError += Double(wHat - w) * Double(wHat - w)
        squaredWeight += Double(w) * Double(w)
    }
}
let floatBaseDiary = floatBase.meanLoss(diaryEval), floatBaseFables = floatBase.meanLoss(fablesEval)
let nf4BaseDiary = nf4Base.meanLoss(diaryEval), nf4BaseFables = nf4Base.meanLoss(fablesEval)
let weightBytes = { (layers: [NF4Linear]) in layers.reduce(0) { $0 + $1.weight.storageBytes } }
book.table(
    ["12 block matrices (\(Fmt.grouped(linearWeightCount)) weights)", "bytes", "bits / weight", "fables loss", "diary loss"],
    [
        ["float32", Fmt.grouped(4 * linearWeightCount), "32", Fmt.f(floatBaseFables, 4), Fmt.f(floatBaseDiary, 4)],
        ["NF4, float32 absmax", Fmt.grouped(weightBytes(nf4PlainLayers)),
         Fmt.f(8 * Double(weightBytes(nf4PlainLayers)) / Double(linearWeightCount), 3),
         Fmt.f(nf4Plain.meanLoss(fablesEval), 4), Fmt.f(nf4Plain.meanLoss(diaryEval), 4)],
        ["NF4 + double quantization", Fmt.grouped(weightBytes(nf4Layers)),
         Fmt.f(8 * Double(weightBytes(nf4Layers)) / Double(linearWeightCount), 3), Fmt.f(nf4BaseFables, 4),
         Fmt.f(nf4BaseDiary, 4)],
    ])
print()
print("relative RMS error of the 4-bit weights: \(Fmt.f(100 * (squaredError / squaredWeight).squareRoot(), 2)) %")
print()
book.say(
    """
    4-bit storage costs the base \(Fmt.f(nf4BaseFables - floatBaseFables, 3)) nats on its own domain. (This tiny model's
    matrices carry a few more bits than 4.127: a 64 x 64 matrix has only 64 blocks, and they share
    one float32 second-level absmax and one offset — 4.14 bits per weight.) Double quantization shrinks the constants from
    0.5 to 0.127 bits per weight and moves the fables loss by \(Fmt.e(abs(nf4BaseFables - nf4Plain.meanLoss(fablesEval)), 1)) nats. On
    diary, a domain the base never learnt, the rounding noise happens to help a little.
    """)

// MARK: - 7.2
book.section("7.2", "The QLoRA layer: dequantize on the fly, backpropagate through the frozen weight")
book.say(
    """
    A QLoRA layer (QLoRA §3, eq. 5) computes Y = X * dequant(W_NF4)^T + s * X A^T B^T. The 4-bit
    weight is turned into float32 inside the forward pass, used for one matrix product and dropped;
    backward dequantizes it again to pass the gradient dY * W down to the layers below (their
    adapters need it) — but never forms a gradient for W itself. Adapters are drawn exactly as in
    Chapter 6, with B = 0, so the QLoRA model starts as the dequantized base, bit for bit:
    """)
let qloraProbe = try quantizedBase(adapters: true)
let dequantizedModel = try quantizedBase(adapters: false)
dequantizedModel.replaceLinearLayers { _, layer in QLoRAInjection.dequantizedBase(layer) }
let probe = diaryEval[0]
let probeQLoRA = qloraProbe.forward(probe.inputs, batchSize: probe.batchSize, time: probe.time).data
let probeFloat = dequantizedModel.forward(probe.inputs, batchSize: probe.batchSize, time: probe.time).data
let differing = zip(probeQLoRA, probeFloat).filter { $0.bitPattern != $1.bitPattern }.count
print("logits of the QLoRA model (B = 0) vs the float model holding the dequantized weights, \(probe.batchSize) x \(probe.time) positions:")
print("  \(differing) of \(Fmt.grouped(probeQLoRA.count)) differ (bit patterns compared)")
let largestLayer = nf4Layers.map(\.weightCount).max()!
print("largest float32 weight alive at once during a step: \(Fmt.grouped(4 * largestLayer)) B (one 256 x 64 MLP matrix), "
    + "against \(Fmt.grouped(4 * linearWeightCount)) B for all twelve")
print()
book.check(differing == 0, "the QLoRA model with B = 0 differs from the dequantized base")
book.say(
    """
    Exercises 7a and 7b write NF4Linear's dequantization and backward, which every forward and
    backward pass of this chapter runs; their tests compare them with Chapter 4's dequantizer bit
    for bit and check every gradient, through one layer and through a frozen 4-bit layer stacked
    on top, against finite differences.
    """)

// MARK: - 7.3
book.section("7.3", "Fine-tuning: QLoRA against LoRA on the float base")
book.say(
    """
    Four runs from the same adapters and the same batches, two choices crossed: the base in float32
    or in NF4 + double quantization, and the adapters' optimizer AdamW with float32 states or
    bitsandbytes' paged 8-bit AdamW (Chapter 5; states 8-bit blockwise for tensors of at least
    \(min8BitSize) values — bitsandbytes' default min_8bit_size of 4096 would leave every adapter of this tiny
    model in float32 — in \(pageSize)-byte pages on the simulated accelerator). The first run is Chapter 6's
    "LoRA all linear r=8" again; the last is QLoRA.
    """)

struct FineTune {
    let name: String
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
        if let q = slot.layer as? QLoRALinear { return total + 4 * q.adapter.cachedFloats(rows: rows) }
        return total
    }
}

func fineTune(_ name: String, fourBit: Bool, paged8Bit: Bool, batches batchesSeed: UInt64 = batchSeed) throws -> FineTune {
    let model: TinyGPTModel
    if fourBit {
        model = try quantizedBase(adapters: true)
    } else {
        model = try freshBase()
        var rng = SeededRNG(seed: adapterSeed)
        model.replaceLinearLayers { name, layer in LoRAInjection.adapt(layer, named: name, config: lora, rng: &rng) }
        LoRAInjection.freezeAllButAdapters(model.parameters)
    }
    // The simulated accelerator: every byte the run keeps, allocated in the ledger.
    let memory = AcceleratorMemory(budget: 64 << 20)
    let quantized = QLoRAInjection.quantizedBases(in: model.linearLayers.map(\.layer))
    let frozen = model.parameters.filter { !$0.isTrainable }.totalCount
    let trainable = model.parameters.filter(\.isTrainable).totalCount
    try memory.allocate(quantized.reduce(0) { $0 + $1.weight.storageBytes } + 4 * frozen, for: .parameters, what: "base")
    try memory.allocate(4 * trainable, for: .parameters, what: "adapters")
    try memory.allocate(4 * trainable, for: .gradients, what: "adapter gradients")
    let hyperparameters = AdamHyperparameters(learningRate: learningRate)
    let step: () throws -> Void
    let stateBytes: Int
    var store: PagedStateStore?
    if paged8Bit {
        let pages = PagedStateStore(memory: memory, pageSize: pageSize, pagingEnabled: true)
        let optimizer = try PagedAdamW8bit(model.parameters, rule: Adam8bitRule(hyperparameters, min8BitSize: min8BitSize), store: pages)
        (step, stateBytes, store) = (optimizer.step, optimizer.stateBytes, pages)
    } else {
        let optimizer = AdamW(model.parameters, hyperparameters)
        try memory.allocate(optimizer.stateBytes, for: .optimizerState, what: "AdamW states")
        (step, stateBytes) = (optimizer.step, optimizer.stateBytes)
    }
    let rows = batchSize * config.contextLength
    let activations = model.activationBytes(batchSize: batchSize, time: config.contextLength) + adapterActivationBytes(model, rows: rows)
    var batches = SeededRNG(seed: batchesSeed)
    let run = try Trainer.train(
        model, on: diary, steps: fineTuneSteps, batchSize: batchSize, rng: &batches,
        progress: ProgressLine(label: "7.3 " + name).report
    ) {
        // The batch's activations were alive through forward and backward; the states stay resident.
        try memory.allocate(activations, for: .activations, what: "activations")
        memory.release(activations, for: .activations)
        try step()
    }
    return FineTune(
        name: name, losses: run.losses, diary: model.meanLoss(diaryEval), fables: model.meanLoss(fablesEval), model: model,
        stateBytes: stateBytes, memory: memory, statePages: store?.pageCount ?? 0)
}

let runs = [
    try fineTune("LoRA: float base, AdamW", fourBit: false, paged8Bit: false),
    try fineTune("float base, paged 8-bit AdamW", fourBit: false, paged8Bit: true),
    try fineTune("NF4 base, AdamW", fourBit: true, paged8Bit: false),
    try fineTune("QLoRA: NF4 base, paged 8-bit AdamW", fourBit: true, paged8Bit: true),
]
let loraRun = runs[0], qloraRun = runs[3]
book.table(
    ["run", "base", "optimizer states", "diary loss", "vs LoRA", "fables loss"],
    runs.map { run in
        let base = run.name.contains("NF4") ? "NF4 + DQ" : "float32"
        let optimizer = run.name.contains("8-bit") ? "8-bit, paged" : "float32"
        let delta = run.diary - loraRun.diary
        return [run.name, base, optimizer + " (" + Fmt.grouped(run.stateBytes) + " B)", Fmt.f(run.diary, 4),
                run.name == loraRun.name ? "" : (delta >= 0 ? "+" : "") + Fmt.f(delta, 4), Fmt.f(run.fables, 4)]
    })
print()
let qloraMargin = qloraRun.diary - loraRun.diary
print("margin: QLoRA ends \(Fmt.f(abs(qloraMargin), 4)) nats \(qloraMargin >= 0 ? "above" : "below") LoRA on the float base "
    + "(\(Fmt.f(100 * abs(qloraMargin) / loraRun.diary, 1)) %; checked on every run: within 0.1)")
print()
// The same LoRA run on two other batch orders: how much a loss moves for reasons that have
// nothing to do with 4 bits.
let reruns = try [batchSeed + 1, batchSeed + 2].map { s in try fineTune("LoRA, batches seed \(s)", fourBit: false, paged8Bit: false, batches: s) }
let spread = ([loraRun] + reruns).map(\.diary)
print("LoRA on the float base with two other batch orders: diary \(reruns.map { Fmt.f($0.diary, 4) }.joined(separator: " and ")) "
    + "(a spread of \(Fmt.f(spread.max()! - spread.min()!, 4)) nats)")
print()
book.check(abs(qloraMargin) < 0.1, "QLoRA is \(qloraMargin) nats from LoRA (bound 0.1)")
let largestDifference = runs.map { abs($0.diary - loraRun.diary) }.max()!
book.say(
    """
    The paper's finding (§4, Tables 3 and 4: NF4 with double quantization matches 16-bit LoRA)
    holds at this tiny scale. The largest difference in the table, \(Fmt.f(largestDifference, 4)) nats, is
    \(largestDifference < spread.max()! - spread.min()! ? "smaller than" : "of the order of") the \(Fmt.f(spread.max()! - spread.min()!, 4)) nats that LoRA itself moves when only the order of
    its batches changes. The adapters train through the quantization error of the frozen base, and
    the 8-bit states take a quarter of the bytes without a measurable cost.
    """)
// LoRA grey and QLoRA blue (fp32 and NF4 in every chapter); the two mixed runs dashed.
var curves = runs.map { smoothedSeries($0.name, $0.losses) }
for (i, (color, style)) in [(Palette.grey, LineStyle.solid), (Palette.orange, .dashed), (Palette.bluishGreen, .dashed),
                           (Palette.blue, .solid)].enumerated() {
    curves[i].color = color
    curves[i].style = style
}
book.figure(
    Charts.line(
        title: "QLoRA's loss curve follows LoRA's on the float base",
        xLabel: "fine-tuning step", yLabel: "training loss on diary (nats/char, mean of 10)",
        series: curves),
    "finetune-loss", caption: "training loss of the four runs; the same adapters and batches for each")

// MARK: - 7.4
book.section("7.4", "Where the memory goes: the tiny model measured, LLaMA-65B computed")
book.say(
    """
    Each fine-tuning run above allocated everything it keeps on Chapter 5's simulated accelerator:
    the frozen base, the adapters, their gradients, the optimizer states (in pages, for the paged
    optimizer), and at every step the activations of one batch of \(batchSize) x \(config.contextLength) characters, counted
    from the caches each layer keeps for backward. The ledger's peak is the measured total:
    """)
func measured(_ run: FineTune) -> QLoRAMemory.Breakdown {
    let rows = batchSize * config.contextLength
    return QLoRAMemory.measure(
        parameters: run.model.parameters, quantizedLayers: QLoRAInjection.quantizedBases(in: run.model.linearLayers.map(\.layer)),
        optimizerStateBytes: run.stateBytes,
        activationBytes: run.model.activationBytes(batchSize: batchSize, time: config.contextLength)
            + adapterActivationBytes(run.model, rows: rows))
}
let loraMemory = measured(loraRun), qloraMemory = measured(qloraRun)
book.table(
    ["TinyGPT, batch \(batchSize) x \(config.contextLength)", "LoRA: float base, AdamW", "QLoRA: NF4 base, paged 8-bit"],
    zip(loraMemory.parts, qloraMemory.parts).map { l, q in [l.name, bytes(l.bytes), bytes(q.bytes)] }
        + [["total", bytes(loraMemory.total), bytes(qloraMemory.total)],
           ["peak in the accelerator's ledger", bytes(Double(loraRun.memory.peak)), bytes(Double(qloraRun.memory.peak))]])
print()
print("paged 8-bit states: \(qloraRun.statePages) pages of \(pageSize) B (\(Fmt.grouped(qloraRun.statePages * pageSize)) B resident "
    + "for \(Fmt.grouped(qloraRun.stateBytes)) B of states: each tensor rounds up to whole pages)")
print()
book.say(
    """
    At this size the activations dominate and 4-bit weights save a few hundred kilobytes — the
    ledger's peak counts whole pages, so paging even costs a little here. The picture inverts for
    a large model, where the weights are the bulk. For LLaMA-65B, computed from its shape (r = 64 on
    every linear layer, qlora.py's default; bf16 for everything not in 4 bits; one sequence of 512
    tokens with gradient checkpointing, also qlora.py's default; activations counted like ours):
    """)
let shape65 = TransformerShape.llama65B
let plans: [(String, QLoRAMemory.Breakdown)] = [
    ("full, 16-bit", QLoRAMemory.fullFineTuning16Bit(shape65, heads: 64)),
    ("LoRA, 16-bit base", QLoRAMemory.lora16Bit(shape65, heads: 64)),
    ("QLoRA, paged 32-bit", QLoRAMemory.qlora(shape65, heads: 64, eightBitStates: false)),
    ("QLoRA, paged 8-bit", QLoRAMemory.qlora(shape65, heads: 64)),
]
let gigabytes = { (b: Double) in Fmt.f(b / 1e9, 2) }
book.table(
    ["LLaMA-65B, GB"] + plans.map(\.0),
    plans[0].1.parts.indices.map { i in [plans[0].1.parts[i].name] + plans.map { gigabytes($0.1.parts[i].bytes) } }
        + [["total"] + plans.map { gigabytes($0.1.total) }])
print()
let q65 = plans[3].1
let dqSaving = MemoryArithmetic.doubleQuantizationSavingBitsPerParameter() * Double(QLoRAMemory.linearWeights(shape65)) / 8
book.say(
    """
    Why 65B fits in 48 GB: the frozen weights, which dominate, drop from 2 bytes to 0.516 bytes each
    (\(gigabytes(q65.baseWeights)) GB with the embeddings and head kept in 16 bits); double quantization alone saves \(gigabytes(dqSaving)) GB
    of that. The adapters are 1.2 % of the parameters, so they, their gradients and their optimizer
    states together take \(gigabytes(q65.adapters + q65.gradients + q65.optimizerStates)) GB. Gradient checkpointing keeps the activations of one
    sequence under a gigabyte. The sum, \(gigabytes(q65.total)) GB, leaves room on a 48 GB GPU for the spikes of long
    sequences — and when a spike does not fit, the paged optimizer moves its states to CPU memory
    instead of failing (QLoRA §3, Figure 1). Full 16-bit fine-tuning needs \(gigabytes(plans[0].1.total)) GB; LoRA on a 16-bit base
    \(gigabytes(plans[1].1.total)) GB, more than one 80 GB GPU.
    """)
book.check(q65.total < 48e9, "QLoRA on LLaMA-65B needs \(q65.total / 1e9) GB")
book.figure(
    Charts.bar(
        title: "Only QLoRA fits LLaMA-65B fine-tuning in a 48 GB GPU",
        xLabel: "fine-tuning method (LLaMA-65B, r = 64, 512 tokens)", yLabel: "memory (GB, 10^9 bytes)",
        categories: plans.map(\.0), series: [("total", plans.map { $0.1.total / 1e9 })], yScale: .log10, showValues: true,
        annotations: [.horizontal(48, label: "48 GB GPU"), .horizontal(80, label: "80 GB GPU")]),
    "memory-65b", caption: "weights, gradients, optimizer states and activations of LLaMA-65B fine-tuning, computed")

// MARK: - 7.5
book.section("7.5", "After training: keep the adapters apart, merge, or merge and re-quantize")
book.say(
    """
    The trained QLoRA model can ship three ways. Apart: the 4-bit base plus the adapters, two extra
    thin products per layer. Merged into the dequantized weights: W' = dequant(W_NF4) + s * B A, an
    ordinary float model, the same function to float rounding — but 32 (or 16) bits per weight
    again. Merged and re-quantized to NF4: 4 bits again, but W' is rounded anew.
    """)
let trained = qloraRun.model
let qloraLayers = trained.linearLayers.compactMap { $0.layer as? QLoRALinear }
let adapterBytes = 4 * qloraLayers.reduce(0) { $0 + $1.adapter.loraA.count + $1.adapter.loraB.count }
let noAdapters = QLoRAConfig(lora: LoRAConfig(rank: lora.rank, alpha: lora.alpha, targetModules: []))

/// The trained model with every adapter merged: into float32 `Linear`s, or re-quantized to NF4.
func mergedModel(_ trained: TinyGPTModel, requantize: Bool) throws
    -> (model: TinyGPTModel, error: RequantizationError, fourBitBytes: Int)
{
    let model = try freshBase()
    var error = RequantizationError()
    var fourBitBytes = 0
    var rng = SeededRNG(seed: adapterSeed)
    try model.replaceLinearLayers { name, layer in
        if let q = trained.linearLayers.first(where: { $0.name == name })?.layer as? QLoRALinear {
            guard requantize else { return q.mergedLinear() }
            let requantized = try q.mergedAndRequantized()
            error.add(merged: q.mergedLinear(), requantized: requantized, original: q.base, delta: q.adapter.deltaWeight)
            fourBitBytes += requantized.weight.storageBytes
            return requantized
        }
        let frozen = try QLoRAInjection.adapt(layer, named: name, config: noAdapters, rng: &rng)
        return requantize ? frozen : QLoRAInjection.dequantizedBase(frozen)
    }
    return (model, error, fourBitBytes)
}

let apartLogits = trained.forward(probe.inputs, batchSize: probe.batchSize, time: probe.time).data
let merged = try mergedModel(trained, requantize: false)
let requantized = try mergedModel(trained, requantize: true)
let mergedLogits = merged.model.forward(probe.inputs, batchSize: probe.batchSize, time: probe.time).data
let mergeDifference = zip(apartLogits, mergedLogits).map { Double(abs($0 - $1)) }.max()!
let requantizedDiary = requantized.model.meanLoss(diaryEval)
book.table(
    ["trained QLoRA model", "12 block matrices", "diary loss", "fables loss"],
    [
        ["before fine-tuning (NF4 base)", Fmt.grouped(weightBytes(nf4Layers)) + " B", Fmt.f(nf4BaseDiary, 4), Fmt.f(nf4BaseFables, 4)],
        ["apart: NF4 base + adapters", Fmt.grouped(weightBytes(nf4Layers) + adapterBytes) + " B", Fmt.f(qloraRun.diary, 4),
         Fmt.f(qloraRun.fables, 4)],
        ["merged into float32", Fmt.grouped(4 * linearWeightCount) + " B", Fmt.f(merged.model.meanLoss(diaryEval), 4),
         Fmt.f(merged.model.meanLoss(fablesEval), 4)],
        ["merged, re-quantized to NF4", Fmt.grouped(requantized.fourBitBytes) + " B", Fmt.f(requantizedDiary, 4),
         Fmt.f(requantized.model.meanLoss(fablesEval), 4)],
    ])
print()
print("merged vs apart: max |logit difference| \(Fmt.e(mergeDifference)) over \(probe.batchSize) x \(probe.time) positions")
print("re-quantized: |dW| = \(Fmt.f(requantized.error.deltaNorm, 2)) (the adapters' update), |e| = \(Fmt.f(requantized.error.errorNorm, 2)) "
    + "(the new rounding error); \(Fmt.f(100 * requantized.error.fractionOfCodesChanged, 1)) % of the codes changed")
print()
book.check(mergeDifference < 1e-3, "merged logits differ from the adapter model's by \(mergeDifference)")
book.say(
    """
    Merging into float32 is exact to rounding, as in Chapter 6. Re-quantizing adds a fresh rounding
    error, and here it costs little: \(Fmt.f(requantizedDiary - qloraRun.diary, 4)) nats on diary. This fine-tuning moved the weights a long way
    — |dW| is \(Fmt.f(requantized.error.deltaNorm / requantized.error.errorNorm, 1)) times the new rounding error, and most codes changed. A gentler
    fine-tune moves them less. Scaling the learnt update dW by a factor c (B -> c * B) shows what
    happens then — the apart model is the exact c * dW, the re-quantized one whatever NF4 keeps of it:
    """)
let originalB = qloraLayers.map(\.adapter.loraB.value)
var scaledRows: [[String]] = []
var gainKept: [Double: Double] = [:]
let factors = [1.0, 0.3, 0.1, 0.03, 0.01]
for c in factors {
    for (layer, b) in zip(qloraLayers, originalB) { layer.adapter.loraB.value = b.map { $0 * Float(c) } }
    let apart = trained.meanLoss(diaryEval)
    let scaled = try mergedModel(trained, requantize: true)
    let requantizedLoss = scaled.model.meanLoss(diaryEval)
    let gain = nf4BaseDiary - apart
    let kept = (nf4BaseDiary - requantizedLoss) / gain
    gainKept[c] = kept
    scaledRows.append([
        Fmt.g(c), Fmt.f(scaled.error.relativeError, 2), Fmt.f(100 * scaled.error.fractionOfCodesChanged, 1),
        Fmt.f(apart, 4), Fmt.f(requantizedLoss, 4), Fmt.f(100 * kept, 0) + " %",
    ])
}
for (layer, b) in zip(qloraLayers, originalB) { layer.adapter.loraB.value = b }
book.table(
    ["c", "|e| / |c dW|", "codes changed %", "diary, apart", "diary, re-quantized", "gain kept"], scaledRows)
print()
book.say(
    """
    The smaller the update, the larger the rounding error relative to it. A weight changes code only
    if its update carries it across an NF4 midpoint, so small updates are mostly rounded away: the
    re-quantized model keeps \(Fmt.f(100 * gainKept[0.1]!, 0)) % of the adapters' gain at c = 0.1 and \(Fmt.f(100 * max(gainKept[0.01]!, 0), 0)) % at c = 0.01. How large a
    real update is depends on the run; a large model nudged toward a new style, at qlora.py's
    learning rate of 2e-4, sits nearer the small end than this tiny model taught a new vocabulary.
    That is why QLoRA ships its adapters apart (Guanaco is a 4-bit base plus adapters), and why
    QA-LoRA (Xu et al. 2023) constrains the adapters so that the merged weights stay on the
    quantization grid.
    """)

// MARK: - 7.6
book.section("7.6", "Exercises and the command line")
book.say(
    """
    Exercises (the exercise tool lists, blanks, checks and restores them; exercise hint 7a shows
    what to read): 7a dequantize the 4-bit weight on the fly (NF4Linear.dequantizedWeight, 7.1 and
    7.2), 7b backward through the frozen 4-bit weight (NF4Linear.backward, every step of 7.3), 7c
    the memory of QLoRA on a 65B model (QLoRAMemory.qlora, the LLaMA-65B table of 7.4). Their test
    suites are Ex7a_, Ex7b_ and Ex7c_. MarginTests pins the margin of QLoRA against LoRA on a small
    network.

    A float adapter merges with lowbit lora merge --base W.npy --lora-a A.npy --lora-b B.npy
    --alpha 16 --out M.npy. For a 4-bit base, dequantize first (W.npy = dequant(W_NF4), as
    QLoRALinear.mergedLinear does); quantize M.npy again with lowbit quantize only if you accept the
    cost measured in 7.5.
    """)
