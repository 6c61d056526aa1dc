import Core
import NN

/// What the quantizers of Chapters 9 and 10 calibrate on: the rows each linear layer of a
/// trained model actually sees when the model reads real text.
///
/// GPTQ (Frantar et al. 2022, §3, "layer-wise quantization") and AWQ (Lin et al. 2023, §3.2)
/// both solve one problem per layer, `min ‖XWᵀ − XŴᵀ‖²` over the layer's inputs X, so they
/// need X. The reference code collects it with PyTorch forward hooks on every `nn.Linear`
/// while a few calibration sequences run through the model; `LinearInputRecorder` is that
/// hook: a layer that sits in a linear slot, copies every input it is given and passes it
/// on to the layer it wraps, so the model computes exactly what it computed before.
public final class LinearInputRecorder: Layer {
    /// The layer whose inputs are recorded (left in the slot again by `linearInputs`).
    public let wrapped: any Layer
    /// Every input row seen so far, row after row: [rows][inFeatures] once reshaped.
    public private(set) var rows: [Float] = []
    /// The width of one input row (the last dimension of the first input).
    public private(set) var inFeatures = 0

    public init(wrapping layer: any Layer) { wrapped = layer }

    public var parameters: [Parameter] { wrapped.parameters }

    public func forward(_ x: Tensor) -> Tensor {
        if rows.isEmpty { inFeatures = x.cols }
        precondition(
            x.cols == inFeatures, "LinearInputRecorder: width \(x.cols), then \(inFeatures)")
        rows += x.data
        return wrapped.forward(x)
    }

    public func backward(_ dy: Tensor) -> Tensor { wrapped.backward(dy) }

    /// The recorded inputs as a [rows][inFeatures] matrix.
    public var inputs: Tensor {
        Tensor(shape: [rows.count / max(inFeatures, 1), inFeatures], data: rows)
    }
}

extension TinyGPTModel {
    /// Runs `batches` through the model and returns, for every linear slot that `slots`
    /// accepts (by name: `blocks.0.attn.query`, …, `head`), the input rows it saw: a
    /// [batches · B · T][in] matrix, batch after batch, window after window.
    ///
    /// The slots are wrapped in `LinearInputRecorder`s for the run and given back their own
    /// layers afterwards, so the model is unchanged. Because the whole model runs, a slot in
    /// block 1 sees what block 0 *currently* computes: after block 0 has been quantized,
    /// calling this again gives block 1's inputs as the quantized model produces them — the
    /// order in which GPTQ's and AWQ's reference code quantize a model, block by block.
    public func linearInputs(
        _ batches: [Corpus.Batch], slots accept: (String) -> Bool = { _ in true }
    ) -> [String: Tensor] {
        var recorders: [String: LinearInputRecorder] = [:]
        replaceLinearLayers { name, layer in
            guard accept(name) else { return layer }
            let recorder = LinearInputRecorder(wrapping: layer)
            recorders[name] = recorder
            return recorder
        }
        for batch in batches {
            _ = forward(batch.inputs, batchSize: batch.batchSize, time: batch.time)
        }
        replaceLinearLayers { name, layer in recorders[name]?.wrapped ?? layer }
        return recorders.mapValues(\.inputs)
    }
}
