import Core
import GPTQ
import NF4
import TinyGPT

/// The schemes that need no calibration data: the float copy, round-to-nearest on GPTQ's
/// grid, and bitsandbytes' NF4 — what `load_in_4bit=True` does at load time.
///
/// Each works on `base.copy()`: the base model is never modified. Only the block linears
/// (`blockLinearNames`) change; embeddings, LayerNorms, biases and the head stay float32.
extension PostTraining {

    /// The unquantized copy: 32 bits per weight, the reference every table starts from.
    public static func float(_ base: TinyGPTModel) -> QuantizedModel {
        let (model, seconds) = timed { base.copy() }
        return QuantizedModel(label: "float32", model: model, bitsPerWeight: 32, seconds: seconds)
    }

    /// Round-to-nearest (RTN): every row, or every group of `groupSize` input columns, on its
    /// min-max grid, no error feedback (GPTQ's `Quantizer` alone; the reference's
    /// `opt.py --nearest`, GPTQ §5's "RTN" baseline). Stored and counted as a GPTQ
    /// checkpoint (`StoredGPTQLayer`: float16 scales, b-bit zeros).
    public static func roundToNearest(
        _ base: TinyGPTModel, bits: Int, groupSize: Int? = nil, symmetric: Bool = false
    ) throws -> QuantizedModel {
        var storageBits = 0
        var weights = 0
        let (model, seconds) = try timed {
            let model = base.copy()
            for (_, linear) in model.blockLinears {
                let result = RoundToNearest.quantize(
                    weight: linear.weight.value, rows: linear.outFeatures,
                    columns: linear.inFeatures, bits: bits, groupSize: groupSize,
                    symmetric: symmetric)
                let stored = try StoredGPTQLayer(result, bits: bits, storesGroupIndex: false)
                linear.weight.value = stored.weight
                storageBits += stored.storageBits
                weights += linear.weight.count
            }
            return model
        }
        return QuantizedModel(
            label: "RTN int\(bits)" + groupLabel(groupSize) + (symmetric ? " sym" : ""),
            model: model, bitsPerWeight: Double(storageBits) / Double(weights), seconds: seconds)
    }

    /// bitsandbytes' 4-bit NormalFloat (QLoRA, Dettmers et al. 2023, §3; Chapter 4's NF4
    /// module): each weight matrix flattened row-major, blocks of `blockSize` (64 as
    /// `bnb_4bit` uses) scaled by their absmax, each weight the nearest of the 16 NF4 values;
    /// with `doubleQuantization` the absmax values are quantized again to 8 bits in blocks of
    /// 256. Bits are the stored bytes (`QuantizedBlockwise4.storageBytes`):
    ///
    /// ```
    /// NF4         4 + 32/64                            = 4.5
    /// NF4 + DQ    4 + 8/64 + 32/(64·256) + 32/weights  ≈ 4.127 + a float32 offset per matrix
    /// ```
    ///
    /// (A 64 × 64 matrix has 64 blocks, fewer than one second-level block of 256, so its DQ
    /// constants cost a little more than the formula's 4.127.)
    public static func nf4(
        _ base: TinyGPTModel, doubleQuantization: Bool, blockSize: Int = 64
    ) throws -> QuantizedModel {
        var storageBytes = 0
        var weights = 0
        let (model, seconds) = try timed {
            let model = base.copy()
            for (_, linear) in model.blockLinears {
                let q = try BlockwiseQuantizer4.quantize(
                    Tensor(shape: linear.weight.shape, data: linear.weight.value), type: .nf4,
                    blockSize: blockSize, doubleQuantization: doubleQuantization)
                linear.weight.value = q.dequantize()
                storageBytes += q.storageBytes
                weights += linear.weight.count
            }
            return model
        }
        return QuantizedModel(
            label: "NF4" + (doubleQuantization ? " + DQ" : ""), model: model,
            bitsPerWeight: 8 * Double(storageBytes) / Double(weights), seconds: seconds)
    }

    /// " g32" for groups of 32, "" for one group per row.
    static func groupLabel(_ groupSize: Int?) -> String { groupSize.map { " g\($0)" } ?? "" }

    /// Runs `body` and returns its value with the wall-clock seconds it took.
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let clock = ContinuousClock()
        var value: T?
        let elapsed = try clock.measure { value = try body() }
        let parts = elapsed.components
        let seconds = Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
        return (value!, seconds)
    }
}
