import Absmax
import BERT
import Blockwise8
import Core
import GGML
import GGUF
import LLMInt8

/// One dense layer of a BERT encoder quantized by any scheme of the book (Chapter 12).
///
/// ```
/// let float = FloatLinear(weight: W, bias: b)              W: [out, in] from the checkpoint
/// let q = try BERTQuantization.quantize(float, scheme: .nf4)
/// q.forward(x)          x: [rows, in] → [rows, out]         drop-in for the float layer
/// q.storedBits, q.bitsPerWeight, q.dequantizedWeight
/// ```
///
/// Each scheme calls its own module's public quantizer — nothing is re-implemented here — and
/// reports what that module says the format stores. The data-free schemes need only W; GPTQ
/// and AWQ need `calibration`, the rows the layer reads on calibration sentences
/// (`EncoderLinearCalibrated.swift`; `BERTSchemeSweep` collects them layer by layer).
///
/// llama.cpp's k-quants need rows of a whole number of 256-value super-blocks. MiniLM's rows
/// are 384 values long in five of its six dense layers, so there llama.cpp stores the legacy
/// type its `tensor_type_fallback` names (`PostTraining.ggmlStoredType`: Q4_K → Q5_0,
/// Q6_K → Q8_0, Q2_K/Q3_K → Q4_0, Q5_K → Q5_1); only output.dense (1536 inputs) keeps the
/// k-quant. The bits per weight reported are those of what was really stored.
public enum BERTQuantization {

    /// `layer` quantized by `scheme`. Throws for non-finite weights, for GPTQ or AWQ without
    /// calibration rows, and for a row length no GGML type (nor its fallback) can store.
    public static func quantize(
        _ layer: FloatLinear, scheme: BERTQuantizationScheme, calibration: Tensor? = nil
    ) throws -> any QuantizedEncoderLinear {
        let (w, bias) = (layer.weight, layer.bias)
        switch scheme {
        case .nf4, .nf4DQ, .fp4, .fp4DQ:
            return try FourBitLinear(weight: w, bias: bias, scheme: scheme)
        case .llmInt8:
            return try LLMInt8Linear(weight: w, bias: bias)
        case .gptq, .awq:
            guard let calibration else { throw BERTQuantizationError.needsCalibration(scheme) }
            if scheme == .gptq { return try gptq(layer, calibration: calibration) }
            // One layer alone: its own s, counted as stored (nothing known to fold it into).
            return try awq([layer], calibration: calibration, clip: true, scalesAreFree: false)[0]
        case .absmaxInt8, .absmaxInt8Block, .zeropointInt8:
            let block = Granularity.blockwise(blockSize: BERTQuantizationScheme.absmaxBlockSize)
            let q =
                try scheme == .zeropointInt8
                ? ZeroPoint.quantize(w, granularity: .perTensor)
                : Absmax.quantize(w, granularity: scheme == .absmaxInt8 ? .perTensor : block)
            return WeightOnlyLinear(
                scheme: scheme, dequantizedWeight: q.dequantize(), bias: bias,
                storedBits: 8 * q.storageBytes)
        case .absmaxInt8Row:
            // bitsandbytes' int8_vectorwise_quant of W (threshold 0): CB and SCB.
            let q = try VectorwiseQuantizer.quantize(w, threshold: 0, name: "W")
            return WeightOnlyLinear(
                scheme: scheme, dequantizedWeight: q.dequantized(), bias: bias,
                storedBits: 8 * q.storageBytes)
        case .dynamic8:
            let q = try BlockwiseQuantizer8.quantize(
                w, blockSize: BERTQuantizationScheme.dynamicBlockSize)
            return WeightOnlyLinear(
                scheme: scheme, dequantizedWeight: q.dequantizedTensor(), bias: bias,
                storedBits: 8 * q.storageBytes)
        case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_k, .q3_k, .q4_k, .q5_k, .q6_k, .iq4_nl, .mxfp4:
            return try ggml(layer, scheme: scheme)
        }
    }

    /// A llama.cpp block type, row by row as `ggml_quantize_chunk` does it (each row of W is
    /// one GGML row of `in` values), the type replaced by llama.cpp's fallback when its block
    /// does not divide the row.
    static func ggml(
        _ layer: FloatLinear, scheme: BERTQuantizationScheme
    ) throws -> WeightOnlyLinear {
        guard let name = scheme.ggmlTypeName, let asked = GGMLType(name: name)?.format else {
            preconditionFailure("\(scheme.rawValue) is not a GGML block type")
        }
        let (out, n) = (layer.outFeatures, layer.inFeatures)
        guard let type = PostTraining.ggmlStoredType(asked, rowLength: n) else {
            throw GGMLError.rowLengthNotMultipleOfBlockSize(count: n, blockSize: asked.blockSize)
        }
        guard layer.weight.data.allSatisfy(\.isFinite) else {
            throw BERTQuantizationError.nonFiniteWeight
        }
        var bytes = 0
        var values: [Float] = []
        values.reserveCapacity(out * n)
        for r in 0..<out {
            let row = try type.quantize(Array(layer.weight.data[(r * n)..<((r + 1) * n)]))
            bytes += row.count
            values += try type.dequantize(row)
        }
        return WeightOnlyLinear(
            scheme: scheme, dequantizedWeight: Tensor(shape: [out, n], data: values),
            bias: layer.bias, storedBits: 8 * bytes, storedType: type.name)
    }
}

/// Why a layer could not be quantized; the description is one line for `error: `.
public enum BERTQuantizationError: Error, Equatable, CustomStringConvertible {
    case needsCalibration(BERTQuantizationScheme)
    case calibrationShape([Int], inFeatures: Int)
    case nonFiniteCalibration
    case nonFiniteWeight
    case notFloat(String)

    public var description: String {
        switch self {
        case .needsCalibration(let scheme):
            return "\(scheme.rawValue) needs calibration rows (the layer's inputs on sample text)"
        case .calibrationShape(let shape, let n):
            return "calibration rows have shape \(shape), expected [tokens, \(n)]"
        case .nonFiniteCalibration: return "calibration rows hold NaN or infinity"
        case .nonFiniteWeight: return "the weight holds NaN or infinity"
        case .notFloat(let name): return "\(name) is already quantized (start from the float model)"
        }
    }
}
