import AWQ
import BERT
import Core
import GPTQ

/// The two schemes that look at data: GPTQ and AWQ on one dense layer of the encoder, given
/// the rows that layer reads on a calibration set (x: [tokens, in], every real token of every
/// calibration sentence; padding is never a row).
///
/// Both store 4-bit codes in groups of 128 input channels with a float16 scale and a 4-bit
/// zero point per group (`BERTQuantizationScheme.calibratedGroupSize`), and both compute
/// weight-only: the layer multiplies by the dequantized weight in float32.
extension BERTQuantization {

    /// GPTQ (Frantar et al. 2022, arXiv:2210.17323, §3–4; Chapter 9's `GPTQ.quantize`):
    /// H = 2/N · XᵀX from `calibration` (all rows in one `add_batch`; with one call the
    /// running average is just the mean), then column-by-column rounding with error feedback,
    /// damping 1 % of mean diag(H), no act-order. Stored as a GPTQ checkpoint stores it
    /// (`StoredGPTQLayer`: float16 scales, 4-bit packed zeros):
    ///
    /// ```
    /// bits = 4 · out · in + (16 + 4) · out · in / 128       = 4.156 per weight
    /// ```
    ///
    /// Throws if the damped Hessian is not positive definite (it is, with damping, even for
    /// fewer calibration rows than inputs) or the calibration rows do not fit the layer.
    public static func gptq(
        _ layer: FloatLinear, calibration x: Tensor
    ) throws -> WeightOnlyLinear {
        let (out, n) = (layer.outFeatures, layer.inFeatures)
        try checkCalibration(x, inFeatures: n)
        var configuration = GPTQConfiguration(
            bits: BERTQuantizationScheme.calibratedBits,
            groupSize: BERTQuantizationScheme.calibratedGroupSize)
        // The blocked Cholesky of Chapter 9's fast path: 1536 inputs make the readable O(n³)
        // loops slow; U differs by float rounding only (CholeskyFastPathTests).
        configuration.blockedCholesky = true
        let result = try GPTQ.quantize(
            weight: layer.weight.data, rows: out, columns: n, calibration: x.data,
            samples: x.count / n, configuration: configuration)
        let stored = try StoredGPTQLayer(
            result, bits: configuration.bits, storesGroupIndex: false)
        return WeightOnlyLinear(
            scheme: .gptq, dequantizedWeight: Tensor(shape: [out, n], data: stored.weight),
            bias: layer.bias, storedBits: stored.storageBits)
    }

    /// AWQ (Lin et al. 2023, arXiv:2306.00978, §3.2–3.3; Chapter 10's `AWQ.quantize`) for the
    /// layers in `group`, which all read the same input (query, key and value share one s,
    /// searched on their concatenated outputs):
    ///
    /// ```
    /// s      = ScaleSearch on x and the group's weights      (20 ratios)
    /// Q      = Q(clip(W · diag(s)))                           4-bit, groups of 128
    /// Ŵ      = Q · diag(s)⁻¹                                  what the layer multiplies by
    /// ```
    ///
    /// x · Ŵᵀ = (x / s) · Qᵀ: the same numbers as the folded model up to float32 rounding, so
    /// no op of the encoder has to change. Where the 1/s would be folded decides what it
    /// costs: into the LayerNorm before query/key/value and intermediate, or into value's
    /// rows before attention.output — free; before output.dense it follows the GELU, which
    /// AWQ wraps in a `ScaledActivation` holding s — 16 bits per input channel, counted when
    /// `scalesAreFree` is false:
    ///
    /// ```
    /// bits = 4 · out · in + (16 + 4) · out · in / 128 (+ 16 · in, output.dense)
    /// ```
    ///
    /// Simplifications, stated: the reference compares the whole attention's output when it
    /// searches the q, k, v scales (`module2inspect`), we compare their concatenated outputs;
    /// `clip` is applied to every layer of the group or none (the reference clips value but
    /// not query and key: we pass false for that group).
    public static func awq(
        _ group: [FloatLinear], calibration x: Tensor, clip: Bool, scalesAreFree: Bool
    ) throws -> [WeightOnlyLinear] {
        guard let n = group.first?.inFeatures, group.allSatisfy({ $0.inFeatures == n }) else {
            preconditionFailure("AWQ: a group is one or more layers reading the same input")
        }
        try checkCalibration(x, inFeatures: n)
        let bits = BERTQuantizationScheme.calibratedBits
        let groupSize = BERTQuantizationScheme.calibratedGroupSize
        let result = AWQ.quantize(
            x: x.data, tokens: x.count / n,
            weights: group.map { LinearWeight($0.weight.data, rows: $0.outFeatures, columns: n) },
            bits: bits, groupSize: groupSize, clip: clip,
            clipSampleTokens: BERTQuantizationScheme.awqClipSampleTokens)
        return zip(group, result.layers).map { layer, quantized in
            let weights = layer.outFeatures * n
            let storedBits = bits * weights + (16 + bits) * weights / groupSize
                + (scalesAreFree ? 0 : 16 * n)
            return WeightOnlyLinear(
                scheme: .awq,
                dequantizedWeight: Tensor(
                    shape: [layer.outFeatures, n], data: quantized.dequantized.values),
                bias: layer.bias, storedBits: storedBits)
        }
    }

    /// Calibration rows must be a non-empty, finite [tokens, in] matrix.
    static func checkCalibration(_ x: Tensor, inFeatures n: Int) throws {
        guard x.count > 0, x.count % n == 0, x.shape.last == n else {
            throw BERTQuantizationError.calibrationShape(x.shape, inFeatures: n)
        }
        guard x.data.allSatisfy(\.isFinite) else {
            throw BERTQuantizationError.nonFiniteCalibration
        }
    }
}
