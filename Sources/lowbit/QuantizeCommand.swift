import Absmax
import ArgumentParser
import Core
import LLMInt8
import TensorIO

/// `lowbit quantize --scheme S IN.npy …` — what a quantization scheme does to a tensor.
///
/// Chapter 2's schemes (later chapters add theirs to this same subcommand):
///
/// | scheme | groups | CODES | SCALES |
/// |---|---|---|---|
/// | absmax-int8 | the whole tensor | int8, IN's shape | float32 [1]: the absmax |
/// | absmax-int8-row | each row of a 2-D input (bitsandbytes' `int8_vectorwise_quant`, threshold 0) | int8, IN's shape | float32 [rows]: each row's absmax |
/// | absmax-int8-block | blocks of `--block-size` of the flattened tensor | int8, IN's shape | float32 [blocks]: each block's absmax |
/// | zeropoint-int8 | the whole tensor | int8, IN's shape | float32 [1]: nd, codes per unit (x̂ = (q − zp)/nd); `--zero-points` int8 [1] |
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a tensor with a scheme; write the dequantized values, codes and scales.",
        discussion: """
            Schemes: absmax-int8 (one scale), absmax-int8-row (one scale per row of a 2-D tensor, \
            as bitsandbytes' int8_vectorwise_quant), absmax-int8-block (one scale per --block-size \
            values of the flattened tensor, the last block may be short), zeropoint-int8 (affine, \
            codes −128…127). SCALES holds each group's absmax for the absmax schemes and nd \
            (x̂ = (q − zp)/nd) for zeropoint-int8.
            """)

    enum Scheme: String, CaseIterable, ExpressibleByArgument {
        case absmaxInt8 = "absmax-int8"
        case absmaxInt8Row = "absmax-int8-row"
        case absmaxInt8Block = "absmax-int8-block"
        case zeropointInt8 = "zeropoint-int8"
    }

    @Option(help: "One of: \(Scheme.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scheme: Scheme

    @Argument(help: "Input tensor (.npy, float16/float32/float64).")
    var input: String

    @Option(help: "Output: dequantized values, float32, IN's shape.")
    var dequantized: String?

    @Option(help: "Output: the integer codes (int8, IN's shape).")
    var codes: String?

    @Option(help: "Output: one scale per group (float32).")
    var scales: String?

    @Option(name: .customLong("zero-points"), help: "Output (zeropoint-int8 only): the zero point (int8).")
    var zeroPoints: String?

    @Option(help: "Values per block (absmax-int8-block only).")
    var blockSize: Int?

    @Flag(help: "Print one JSON object with the scheme, sizes and errors on stdout.")
    var json = false

    func validate() throws {
        if scheme == .absmaxInt8Block {
            guard let blockSize else { throw ValidationError("--scheme absmax-int8-block needs --block-size") }
            guard blockSize >= 1 && blockSize <= 1 << 24 else {
                throw ValidationError("--block-size must be between 1 and 16777216, got \(blockSize)")
            }
        } else if blockSize != nil {
            throw ValidationError("--block-size applies only to --scheme absmax-int8-block")
        }
        if zeroPoints != nil && scheme != .zeropointInt8 {
            throw ValidationError("--zero-points applies only to --scheme zeropoint-int8")
        }
    }

    func run() throws {
        let input = try FloatInput.load(self.input)
        let tensor = Tensor(shape: input.shape, data: input.values)
        let result = try quantize(tensor)
        var outputs: [(path: String, tensor: RawTensor)] = []
        if let dequantized { outputs.append((dequantized, RawTensor(float32: result.dequantized, shape: input.shape))) }
        if let codes { outputs.append((codes, RawTensor(int8: result.codes, shape: input.shape))) }
        if let scales { outputs.append((scales, RawTensor(float32: result.scales, shape: [result.scales.count]))) }
        if let zeroPoints { outputs.append((zeroPoints, RawTensor(int8: result.zeroPoints, shape: [result.zeroPoints.count]))) }
        try writeOutputs(outputs)

        var report = JSONReport()
        report.add("scheme", scheme.rawValue)
        report.add("shape", input.shape)
        report.add("elements", input.values.count)
        report.add("bytes", result.storageBytes)
        report.add("bits_per_param", Double(8 * result.storageBytes) / Double(input.values.count))
        report.add("groups", result.scales.count)
        if let blockSize { report.add("block_size", blockSize) }
        report.addErrors(original: input.values, reconstructed: result.dequantized)
        if json {
            print(report.text)
        } else {
            print(
                "\(scheme.rawValue): \(input.values.count) values in \(result.storageBytes) bytes "
                    + "(\(result.scales.count) groups); SQNR \(Statistics.sqnr(input.values, result.dequantized)) dB")
        }
    }

    /// Codes, scales (as written to SCALES), zero points, dequantized values and storage.
    struct Result {
        var codes: [Int8]
        var scales: [Float]
        var zeroPoints: [Int8]
        var dequantized: [Float]
        var storageBytes: Int
    }

    func quantize(_ t: Tensor) throws -> Result {
        switch scheme {
        case .absmaxInt8Row:
            guard t.rank == 2 else {
                throw CLIError("\(input): absmax-int8-row needs a 2-D tensor, got shape \(t.shape)")
            }
            let q = try VectorwiseQuantizer.quantize(t, threshold: 0, name: input)
            return Result(
                codes: q.codes, scales: q.rowAbsmax, zeroPoints: [], dequantized: q.dequantized().data,
                storageBytes: q.storageBytes)
        case .absmaxInt8, .absmaxInt8Block:
            let granularity: Granularity = scheme == .absmaxInt8 ? .perTensor : .blockwise(blockSize: blockSize!)
            let q = try Absmax.quantize(t, granularity: granularity)
            // The library keeps scale = 127 / absmax; SCALES holds each group's absmax itself,
            // as bitsandbytes stores it (recomputed here: an all-zero group has scale 1, absmax 0).
            var absmax = [Float](repeating: 0, count: q.scales.count)
            for i in t.data.indices {
                let g = q.group(ofElement: i)
                absmax[g] = max(absmax[g], abs(t.data[i]))
            }
            return Result(
                codes: q.codes, scales: absmax, zeroPoints: [], dequantized: q.dequantize().data,
                storageBytes: q.storageBytes)
        case .zeropointInt8:
            let q = try ZeroPoint.quantize(t, granularity: .perTensor)
            return Result(
                codes: q.codes, scales: q.scales, zeroPoints: q.zeroPoints, dequantized: q.dequantize().data,
                storageBytes: q.storageBytes)
        }
    }
}
