import Core
import GPTQ
import NN
import PostTraining
import Testing
import TestSupport
import TinyGPT

/// The whole-model schemes: float, round-to-nearest, NF4 and sequential GPTQ.
@Suite struct WholeModelSchemeTests {

    /// The float scheme is a bit-for-bit copy: same loss, 32 bits.
    @Test func floatSchemeScoresTheBaseLossExactly() {
        let base = SmallModel.make()
        let float = PostTraining.float(base)
        #expect(float.model.meanLoss(SmallModel.evaluation) == base.meanLoss(SmallModel.evaluation))
        #expect(float.bitsPerWeight == 32)
    }

    /// No scheme writes into the model it is given.
    @Test func theBaseModelIsUnchanged() throws {
        let base = SmallModel.make()
        let before = base.parameters.map(\.value)
        _ = try PostTraining.roundToNearest(base, bits: 3, groupSize: 16)
        _ = try PostTraining.nf4(base, doubleQuantization: true)
        _ = try PostTraining.gptq(
            base, configuration: GPTQConfiguration(bits: 4, groupSize: 16, actOrder: true),
            calibration: SmallModel.calibration)
        for (parameter, values) in zip(base.parameters, before) {
            #expect(firstBitMismatch(values, parameter.value) == nil, "\(parameter.name)")
        }
    }

    /// GPTQ's error feedback never does worse than rounding on its own objective, layer by
    /// layer (GPTQ §3: each column's update is optimal for the columns left; in these cases
    /// the greedy sequence ends below RTN on every layer).
    @Test(arguments: [
        GPTQConfiguration(bits: 4),
        GPTQConfiguration(bits: 4, groupSize: 16, actOrder: true),
        GPTQConfiguration(bits: 3, groupSize: 16),
    ])
    func everyGPTQLayerErrorIsAtMostRTNs(configuration: GPTQConfiguration) throws {
        let q = try PostTraining.gptq(
            SmallModel.make(), configuration: configuration, calibration: SmallModel.calibration)
        #expect(q.layers.map(\.name) == SmallModel.make().blockLinearNames)
        for layer in q.layers {
            #expect(layer.outputError <= layer.rtnOutputError, "\(layer.name)")
            #expect(layer.rows == SmallModel.calibration.rows)
        }
    }

    /// Block 0 is calibrated on the float model's inputs — all six of its linears, fc and proj
    /// included, so they were recorded before any of the block was quantized; block 1 on what
    /// the quantized block 0 produces, which differs from the float model's.
    @Test func blockOneIsCalibratedOnTheQuantizedBlockZero() throws {
        let base = SmallModel.make()
        let calibration = SmallModel.calibration
        let q = try PostTraining.gptq(
            base, configuration: GPTQConfiguration(bits: 3), calibration: calibration)
        let floatInputs = base.linearInputs(calibration.batches)
        for layer in q.layers {
            let x = try #require(floatInputs[layer.name])
            let floatH = HessianAccumulator.accumulate(
                x.data, samples: x.shape[0], columns: layer.inFeatures,
                sequenceLength: calibration.windowLength
            ).h
            if layer.name.hasPrefix("blocks.0.") {
                #expect(firstBitMismatch(floatH, layer.hessian) == nil, "\(layer.name)")
            } else {
                // A Bool, so that a failure names the layer instead of quoting two Hessians.
                let differs = floatH != layer.hessian
                #expect(differs, "\(layer.name) saw the float model's inputs")
            }
        }
    }

    /// The model computes with the weights a GPTQ checkpoint stores: block 0's layers are GPTQ
    /// of the float model's inputs with float16 scales (StoredGPTQLayer), bit for bit; the head
    /// and every non-linear parameter keep their float values.
    @Test func theModelHoldsTheStoredGPTQWeights() throws {
        let base = SmallModel.make()
        let calibration = SmallModel.calibration
        let c = GPTQConfiguration(bits: 4, groupSize: 16, actOrder: true)
        let q = try PostTraining.gptq(base, configuration: c, calibration: calibration)
        let inputs = base.linearInputs(calibration.batches)
        let quantized = Dictionary(uniqueKeysWithValues: q.model.blockLinears.map {
            ($0.name, $0.layer.weight.value)
        })
        for (name, linear) in base.blockLinears where name.hasPrefix("blocks.0.") {
            let x = try #require(inputs[name])
            let result = try GPTQ.quantize(
                weight: linear.weight.value, rows: linear.outFeatures, columns: linear.inFeatures,
                calibration: x.data, samples: x.shape[0],
                sequenceLength: calibration.windowLength, configuration: c)
            let stored = try StoredGPTQLayer(result, bits: 4, storesGroupIndex: true)
            #expect(firstBitMismatch(stored.weight, try #require(quantized[name])) == nil, "\(name)")
        }
        let linearWeights = Set(q.model.blockLinears.map(\.layer.weight.name))
        for (kept, original) in zip(q.model.parameters, base.parameters)
        where !linearWeights.contains(kept.name) {
            #expect(kept.value == original.value, "\(kept.name)")
        }
    }

    /// ‖XWᵀ − XQᵀ‖² from H equals Core's OutputError on the recorded X. Tolerance 1e-4
    /// relative: H is a float32 running average of 24 windows (each entry a few ulps off).
    @Test func layerErrorFromTheHessianEqualsTheOutputError() throws {
        let base = SmallModel.make()
        let calibration = SmallModel.calibration
        let inputs = base.linearInputs(calibration.batches)
        let (name, linear) = base.blockLinears[4]  // blocks.0.mlp.fc: 32 → 128
        let x = try #require(inputs[name])
        let n = linear.inFeatures
        let h = HessianAccumulator.accumulate(
            x.data, samples: x.shape[0], columns: n, sequenceLength: calibration.windowLength
        ).h
        let w = linear.weight.value
        let q = RoundToNearest.quantize(
            weight: w, rows: linear.outFeatures, columns: n, bits: 3
        ).dequantized
        let direct = OutputError.squared(
            x: x.data, samples: x.shape[0], weight: w, approximation: q,
            rows: linear.outFeatures, columns: n)
        let fromH = LayerCalibration.outputError(
            weight: w, approximation: q, hessian: h, outFeatures: linear.outFeatures,
            inFeatures: n, windows: calibration.windows)
        #expect(direct > 0)
        #expect(abs(fromH - direct) <= 1e-4 * direct, "from H \(fromH), direct \(direct)")
    }
}
