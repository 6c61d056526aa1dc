import Core
import GGML
import PostTraining
import TinyGPT

/// What every section builds on: Chapter 6's model, its texts, the calibration windows and
/// the inputs each linear layer sees while reading them.
struct GGUFSetup {
    let base: TinyGPTModel
    let corpora: ChapterCorpora
    let calibration: Calibration
    /// Every linear slot's input rows on the calibration windows (training text).
    let inputs: [String: Tensor]
    /// The same on held-out text: where the errors of 11.5 are measured.
    let heldOutInputs: [String: Tensor]
    let seed: UInt64

    init(base: TinyGPTModel, corpora: ChapterCorpora, seed: UInt64, windows: Int) {
        self.base = base
        self.corpora = corpora
        self.seed = seed
        calibration = Calibration(
            corpus: corpora.fables, windows: windows, contextLength: base.config.contextLength,
            seed: seed)
        inputs = base.linearInputs(calibration.batches)
        heldOutInputs = base.linearInputs(Array(corpora.fablesEval.prefix(2)))
    }

    var calibrationSummary: String {
        "\(calibration.windows) windows x \(calibration.windowLength) characters = "
            + "\(calibration.rows) tokens of fables (training text), seed \(seed)"
    }

    /// One trained block linear: W [rows][columns] (nn.Linear's [out][in]).
    func weight(_ name: String) -> (values: [Float], rows: Int, columns: Int) {
        guard let linear = base.blockLinears.first(where: { $0.name == name })?.layer else {
            preconditionFailure("no block linear \(name)")
        }
        return (linear.weight.value, linear.outFeatures, linear.inFeatures)
    }

    /// The held-out fables loss, nats per character.
    func heldOutLoss(_ model: TinyGPTModel) -> Double { model.meanLoss(corpora.fablesEval) }
}

/// The five legacy block formats, widest first.
var legacyFormats: [any BlockFormat.Type] {
    [Q8_0.self, Q5_1.self, Q5_0.self, Q4_1.self, Q4_0.self]
}

/// W → bytes → W': a matrix whose rows are whole blocks, quantized and dequantized.
func roundTrip(_ type: any BlockFormat.Type, _ w: [Float]) throws -> [Float] {
    try type.dequantize(try type.quantize(w))
}

/// ||W - W'||^2 / ||W||^2 in Double.
func relativeError(_ w: [Float], _ q: [Float]) -> Double {
    var num = 0.0
    var den = 0.0
    for (a, b) in zip(w, q) {
        num += (Double(a) - Double(b)) * (Double(a) - Double(b))
        den += Double(a) * Double(a)
    }
    return num / den
}

/// ||X W^T - X W'^T||^2 / ||X W^T||^2 on the rows of x (Core's OutputError).
func relativeOutputError(_ x: Tensor, _ w: [Float], _ q: [Float], rows: Int) -> Double {
    let columns = w.count / rows
    let error = OutputError.squared(
        x: x.data, samples: x.rows, weight: w, approximation: q, rows: rows, columns: columns)
    let signal = OutputError.squared(
        x: x.data, samples: x.rows, weight: w, approximation: [Float](repeating: 0, count: w.count),
        rows: rows, columns: columns)
    return error / signal
}

/// A heavy-tailed synthetic weight matrix: Student-t with 3 degrees of freedom (finite
/// variance, fat tails), scaled to TinyGPT's weight size, from the seeded RNG.
func heavyTailedMatrix(rows: Int, columns: Int, seed: UInt64) -> [Float] {
    var rng = SeededRNG(seed: seed)
    return (0..<(rows * columns)).map { _ in Float(0.05 * rng.studentT(degreesOfFreedom: 3)) }
}
