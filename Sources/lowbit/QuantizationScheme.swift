import Absmax
import ArgumentParser
import Blockwise8
import Core
import GGUF
import LLMInt8
import NF4
import TensorIO

/// The schemes `lowbit quantize` knows, each mapped onto the library function that defines it.
enum QuantizationScheme: String, CaseIterable, ExpressibleByArgument {
    case absmaxInt8 = "absmax-int8"
    case absmaxInt8Row = "absmax-int8-row"
    case absmaxInt8Block = "absmax-int8-block"
    case zeropointInt8 = "zeropoint-int8"
    case nf4
    case fp4
    case dynamic8
    // llama.cpp's block types (Chapter 11), bit for bit with its C quantizers.
    case q8_0, q4_0, q4_1, q5_0, q5_1, q2_k, q3_k, q4_k, q5_k, q6_k, iq4_nl, mxfp4

    /// The GGML block type of a llama.cpp scheme, nil for the book's other schemes.
    var ggmlType: GGMLType? {
        switch self {
        case .absmaxInt8, .absmaxInt8Row, .absmaxInt8Block, .zeropointInt8, .nf4, .fp4, .dynamic8:
            nil
        default: GGMLType(name: rawValue)
        }
    }

    /// The per-group output options this scheme writes.
    var allowedOutputs: Set<String> {
        switch self {
        case .absmaxInt8, .absmaxInt8Row, .absmaxInt8Block: ["--scales"]
        case .zeropointInt8: ["--scales", "--zero-points"]
        case .nf4, .fp4, .dynamic8: ["--absmax"]
        default: []
        }
    }

    /// What a scheme produced, as the CLI writes and reports it.
    struct Result {
        var dequantized: [Float]
        var codes: RawTensor?
        var scales: RawTensor?
        var zeroPoints: RawTensor?
        var absmax: RawTensor?
        var storageBytes: Int
        var groups: Int
        var blockSize: Int?
        /// Scheme-specific JSON fields (already encoded).
        var extraJSON: [(String, String)] = []
    }

    func quantize(_ t: Tensor, name: String, blockSize: Int?, doubleQuant: Bool) throws -> Result {
        switch self {
        case .absmaxInt8Row:
            guard t.rank == 2 else { throw CLIError("\(name): absmax-int8-row needs a 2-D tensor, got shape \(t.shape)") }
            let q = try VectorwiseQuantizer.quantize(t, threshold: 0, name: name)
            return Result(
                dequantized: q.dequantized().data, codes: RawTensor(int8: q.codes, shape: t.shape),
                scales: vector(q.rowAbsmax), storageBytes: q.storageBytes, groups: q.rowAbsmax.count)
        case .absmaxInt8, .absmaxInt8Block:
            let granularity: Granularity = self == .absmaxInt8 ? .perTensor : .blockwise(blockSize: blockSize!)
            let q = try Absmax.quantize(t, granularity: granularity)
            // The library keeps scale = 127 / absmax; --scales holds each group's absmax, as
            // bitsandbytes stores it (an all-zero group has scale 1 but absmax 0).
            return Result(
                dequantized: q.dequantize().data, codes: RawTensor(int8: q.codes, shape: t.shape),
                scales: vector(q.absmax), storageBytes: q.storageBytes, groups: q.absmax.count, blockSize: blockSize)
        case .zeropointInt8:
            let q = try ZeroPoint.quantize(t, granularity: .perTensor)
            return Result(
                dequantized: q.dequantize().data, codes: RawTensor(int8: q.codes, shape: t.shape), scales: vector(q.scales),
                zeroPoints: RawTensor(int8: q.zeroPoints, shape: [q.zeroPoints.count]), storageBytes: q.storageBytes,
                groups: q.scales.count)
        case .nf4, .fp4:
            let size = blockSize ?? 64
            let q = try BlockwiseQuantizer4.quantize(
                t, type: self == .nf4 ? .nf4 : .fp4, blockSize: size, doubleQuantization: doubleQuant)
            var result = Result(
                dequantized: q.dequantize(), codes: RawTensor(uint8: q.packed, shape: [q.packed.count]), absmax: nil,
                storageBytes: q.storageBytes, groups: q.constants.blockCount, blockSize: size)
            switch q.constants {
            case .float(let absmax):
                result.absmax = vector(absmax)
            case .doubleQuantized(let dq):
                result.absmax = RawTensor(uint8: dq.quantized.codes, shape: [dq.quantized.codes.count])
                result.extraJSON = [
                    ("double_quant", "true"), ("offset", json(Double(dq.offset))),
                    ("second_level_absmax", "[" + dq.quantized.absmax.map { json(Double($0)) }.joined(separator: ", ") + "]"),
                    ("second_level_block_size", String(DoubleQuantizedAbsmax.blockSize)),
                ]
            }
            return result
        case .dynamic8:
            let size = blockSize ?? 4096
            let q = try BlockwiseQuantizer8.quantize(t, blockSize: size)
            return Result(
                dequantized: q.dequantize(), codes: RawTensor(uint8: q.codes, shape: t.shape), absmax: vector(q.absmax),
                storageBytes: q.storageBytes, groups: q.absmax.count, blockSize: size)
        default:
            return try GGMLQuantization.quantize(t, name: name, type: ggmlType, importance: nil)
        }
    }

    private func vector(_ values: [Float]) -> RawTensor { RawTensor(float32: values, shape: [values.count]) }
    private func json(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }
}
