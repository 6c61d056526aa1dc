import AWQ
import Core
import NN
import PostTraining
import TinyGPT

/// What every section builds on: Chapter 6's model, the calibration text and the inputs each
/// of its linear layers sees while reading it.
struct AWQSetup {
    let base: TinyGPTModel
    let corpora: ChapterCorpora
    /// Calibration windows drawn from the fables training text (the reference draws 128
    /// sequences of 512 tokens from the Pile; see `calibrationSummary`).
    let calibration: Calibration
    /// Every linear slot's input rows while the float model reads the calibration windows.
    let inputs: [String: Tensor]
    let seed: UInt64

    init(base: TinyGPTModel, corpora: ChapterCorpora, seed: UInt64, windows: Int) {
        self.base = base
        self.corpora = corpora
        self.seed = seed
        calibration = Calibration(
            corpus: corpora.fables, windows: windows, contextLength: base.config.contextLength,
            seed: seed)
        inputs = base.linearInputs(calibration.batches)
    }

    var calibrationTokens: Int { calibration.rows }

    var calibrationSummary: String {
        "\(calibration.windows) windows x \(calibration.windowLength) characters = "
            + "\(calibrationTokens) tokens of fables (training text), seed \(seed)"
    }

    /// One trained layer: its weight and its calibration inputs.
    func layer(_ name: String) -> (weight: LinearWeight, x: Tensor) {
        guard let linear = base.linearLayers.first(where: { $0.name == name })?.layer as? Linear
        else { fatalError("no linear \(name)") }
        return (
            LinearWeight(linear.weight.value, rows: linear.outFeatures, columns: linear.inFeatures),
            inputs[name]!
        )
    }

    /// The held-out fables loss, nats per character.
    func heldOutLoss(_ model: TinyGPTModel) -> Double { model.meanLoss(corpora.fablesEval) }
}

/// A synthetic layer whose inputs have a few salient channels, as Chapter 3's emergent
/// outliers: x ~ N(0, 1) everywhere, `salient` channels multiplied by `magnitude`;
/// weights ~ N(0, 1/in).
struct SyntheticLayer {
    let weight: LinearWeight
    let x: Tensor
    let salientChannels: [Int]
    let magnitude: Float

    init(rows: Int, columns: Int, tokens: Int, salient: Int, magnitude: Float, seed: UInt64) {
        var rng = SeededRNG(seed: seed)
        weight = LinearWeight(
            rng.normalFloats(rows * columns, std: 1 / Double(columns).squareRoot()),
            rows: rows, columns: columns)
        var pool = Array(0..<columns)
        salientChannels = (0..<salient).map { _ in pool.remove(at: rng.index(below: pool.count)) }
            .sorted()
        var data = rng.normalFloats(tokens * columns)
        for t in 0..<tokens {
            for c in salientChannels { data[t * columns + c] *= magnitude }
        }
        x = Tensor(shape: [tokens, columns], data: data)
        self.magnitude = magnitude
    }
}

/// ‖X Wᵀ − X Ŵᵀ‖² for a layer's calibration inputs.
func outputError(_ x: Tensor, _ w: LinearWeight, _ approximation: LinearWeight) -> Double {
    AWQ.outputError(x: x.data, tokens: x.rows, weight: w, approximation: approximation)
}

/// Round-to-nearest with AWQ's quantizer (pseudo_quantize_tensor), as a LinearWeight.
func roundToNearest(_ w: LinearWeight, bits: Int, groupSize: Int) -> LinearWeight {
    LinearWeight(
        PseudoQuantizer.dequantized(
            w.values, rows: w.rows, columns: w.columns, bits: bits, groupSize: groupSize),
        rows: w.rows, columns: w.columns)
}
