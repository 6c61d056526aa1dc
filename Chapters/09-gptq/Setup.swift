import Core
import GPTQ
import PostTraining
import TinyGPT

/// What every section builds on: Chapter 6's model, the texts, the calibration windows and
/// the GPTQ settings the chapter uses throughout.
struct GPTQSetup {
    let base: TinyGPTModel
    let corpora: ChapterCorpora
    let calibration: Calibration
    /// The reference's defaults: percdamp 0.01, blocksize 128.
    let damping: Float = 0.01
    let blockSize = 128
    /// TinyGPT's inputs are 64 and 256 wide; 32 columns is the group that divides every
    /// layer and leaves several groups per row (see 9.3).
    let groupSize = 32

    /// A GPTQ configuration with the chapter's damping and block size.
    func configuration(bits: Int, groups: Bool, actOrder: Bool) -> GPTQConfiguration {
        GPTQConfiguration(
            bits: bits, groupSize: groups ? groupSize : nil, blockSize: blockSize,
            dampingPercent: damping, actOrder: actOrder)
    }
}

/// One linear layer and its calibration inputs: the sections' test bench.
///
/// ```
/// w: [out][in]  the layer's weight (nn.Linear layout)
/// x: [rows][in] its inputs, `windows` windows of rows / windows consecutive rows
/// h: [in][in]   H = (2 / windows) Σ XₛᵀXₛ (HessianAccumulator, one add_batch per window)
/// ```
struct LayerStudy {
    let name: String
    let w: [Float]
    let out: Int
    let n: Int
    let x: [Float]
    let rows: Int
    let windows: Int
    let h: [Float]

    init(name: String, w: [Float], out: Int, x: Tensor, windows: Int) {
        self.name = name
        self.w = w
        self.out = out
        n = x.shape[1]
        self.x = x.data
        rows = x.shape[0]
        self.windows = windows
        h = HessianAccumulator.accumulate(
            x.data, samples: rows, columns: n, sequenceLength: rows / windows
        ).h
    }

    /// ‖XWᵀ − XQᵀ‖² on the calibration rows, from H (`LayerCalibration.outputError`).
    func error(_ q: [Float]) -> Double {
        LayerCalibration.outputError(
            weight: w, approximation: q, hessian: h, outFeatures: out, inFeatures: n,
            windows: windows)
    }

    func gptq(_ c: GPTQConfiguration) throws -> GPTQResult {
        try GPTQ.quantize(weight: w, rows: out, columns: n, hessian: h, configuration: c)
    }

    func rtn(bits: Int, groupSize: Int?) -> GPTQResult {
        RoundToNearest.quantize(weight: w, rows: out, columns: n, bits: bits, groupSize: groupSize)
    }
}
