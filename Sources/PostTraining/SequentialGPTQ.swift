import Core
import GPTQ
import TinyGPT

extension PostTraining {

    /// GPTQ on every block linear of a model, block by block, as the reference's
    /// `opt_sequential` (IST-DASLab/gptq `opt.py`; Frantar et al. 2022, arXiv:2210.17323, §3
    /// "layer-wise quantization" and §5 "Setup": "we quantize … sequentially, block by block,
    /// … on the inputs of the already quantized blocks"):
    ///
    /// ```
    /// model = base.copy()
    /// for block i = 0, 1, …:
    ///     run the calibration windows through the model, recording the input rows of every
    ///         linear of block i — ONE pass, before any of them is quantized
    ///     for each linear of block i (query, key, value, output, fc, proj):
    ///         H = HessianAccumulator(its rows, one add_batch call per window)
    ///         Q = GPTQ.quantize(W, H, configuration);  W ← Q as a checkpoint stores it
    /// ```
    ///
    /// So block i is calibrated on what the already-quantized blocks < i produce, and inside
    /// a block `fc` sees the float attention's output, not the quantized one (the reference
    /// registers its forward hooks on all of a block's linears and runs the block once before
    /// calling `fasterquant` on any of them). Ours runs the whole model for each block — the
    /// reference runs only block i on cached inputs and once more to produce block i + 1's
    /// inputs; the rows block i sees are the same, the cost is `blocks` full passes.
    ///
    /// Every layer's result is stored as a GPTQ checkpoint stores it (`StoredGPTQLayer`:
    /// float16 scales, b-bit zeros, g_idx counted with act-order) and its layer-wise error is
    /// reported next to round-to-nearest's on the same inputs (`LayerCalibration`).
    /// Throws if a damped Hessian is not positive definite or the checkpoint layout cannot
    /// hold the layer.
    public static func gptq(
        _ base: TinyGPTModel, configuration c: GPTQConfiguration, calibration: Calibration
    ) throws -> QuantizedModel {
        var layers: [LayerCalibration] = []
        var storageBits = 0
        var weights = 0
        let (model, seconds) = try timed {
            let model = base.copy()
            for block in model.blocks.indices {
                let prefix = "blocks.\(block)."
                let inputs = model.linearInputs(calibration.batches) { $0.hasPrefix(prefix) }
                for (name, linear) in model.blockLinears where name.hasPrefix(prefix) {
                    guard let x = inputs[name] else { preconditionFailure("no inputs for \(name)") }
                    let (out, n) = (linear.outFeatures, linear.inFeatures)
                    let h = HessianAccumulator.accumulate(
                        x.data, samples: x.shape[0], columns: n,
                        sequenceLength: calibration.windowLength
                    ).h
                    let w = linear.weight.value
                    let result = try GPTQ.quantize(
                        weight: w, rows: out, columns: n, hessian: h, configuration: c)
                    let stored = try StoredGPTQLayer(
                        result, bits: c.bits, storesGroupIndex: c.actOrder)
                    let rtn = try StoredGPTQLayer(
                        RoundToNearest.quantize(
                            weight: w, rows: out, columns: n, bits: c.bits,
                            groupSize: c.groupSize, symmetric: c.symmetric),
                        bits: c.bits, storesGroupIndex: false)
                    let error = { (q: [Float]) in
                        LayerCalibration.outputError(
                            weight: w, approximation: q, hessian: h, outFeatures: out,
                            inFeatures: n, windows: calibration.windows)
                    }
                    layers.append(
                        LayerCalibration(
                            name: name, rows: x.shape[0], windows: calibration.windows,
                            outFeatures: out, inFeatures: n, hessian: h,
                            deadInputs: (0..<n).filter { h[$0 * n + $0] == 0 }.count,
                            outputError: error(stored.weight), rtnOutputError: error(rtn.weight)))
                    linear.weight.value = stored.weight
                    storageBits += stored.storageBits
                    weights += w.count
                }
            }
            return model
        }
        let label = "GPTQ int\(c.bits)" + groupLabel(c.groupSize) + (c.actOrder ? " act-order" : "")
            + (c.symmetric ? " sym" : "")
        return QuantizedModel(
            label: label, model: model, bitsPerWeight: Double(storageBits) / Double(weights),
            seconds: seconds, layers: layers)
    }
}
