import ArgumentParser
import Blockwise8
import Core
import GGML
import NF4
import TensorIO

/// `lowbit quantize --scheme S IN.npy …` — what a quantization scheme does to a tensor.
///
/// | scheme | groups | CODES | SCALES / ABSMAX |
/// |---|---|---|---|
/// | absmax-int8 | the whole tensor | int8, IN's shape | `--scales` float32 [1]: the absmax |
/// | absmax-int8-row | each row of a 2-D input (bitsandbytes' `int8_vectorwise_quant`, threshold 0) | int8, IN's shape | `--scales` float32 [rows]: each row's absmax |
/// | absmax-int8-block | `--block-size` values of the flattened tensor | int8, IN's shape | `--scales` float32 [blocks]: each block's absmax |
/// | zeropoint-int8 | the whole tensor | int8, IN's shape | `--scales` float32 [1]: nd (x̂ = (q − zp)/nd); `--zero-points` int8 [1] |
/// | nf4, fp4 | `--block-size` (default 64) | uint8 [(n+1)/2], two codes a byte, first in the high nibble | `--absmax` float32 [blocks]; with `--double-quant` uint8 [blocks] codes of the absmax |
/// | dynamic8 | `--block-size` (default 4096) | uint8, IN's shape, indices into the signed dynamic map | `--absmax` float32 [blocks] |
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a tensor with a scheme; write the dequantized values, codes and scales.",
        discussion: """
            int8 schemes (Chapters 2–3): absmax-int8 (one scale), absmax-int8-row (one scale per row of \
            a 2-D tensor, as bitsandbytes' int8_vectorwise_quant), absmax-int8-block (one scale per \
            --block-size values; the last block may be short), zeropoint-int8 (affine, codes −128…127). \
            --scales holds each group's absmax (zeropoint-int8: nd, with x̂ = (q − zp)/nd).

            Blockwise schemes (Chapters 4–5), bit for bit with bitsandbytes: nf4 and fp4 \
            (quantize_4bit; --block-size 32…4096, default 64; codes packed two per byte, the first \
            element in the high nibble; --double-quant quantizes the absmax to 8 bits in blocks of \
            256, and --json then reports the offset and the second-level absmax) and dynamic8 \
            (quantize_blockwise with the signed dynamic map; --block-size 64…4096, default 4096). \
            --absmax holds each block's absmax.

            llama.cpp's block types (Chapter 11), bit for bit with its C quantizers: q8_0, q4_0, \
            q4_1, q5_0, q5_1 (blocks of 32), q2_k, q3_k, q4_k, q5_k, q6_k (super-blocks of 256), \
            iq4_nl, mxfp4 (blocks of 32). IN is 2-D, its last dimension a multiple of the block; \
            --codes writes uint8 [rows, bytes per row], each row exactly as llama.cpp lays it out \
            (ggml_quantize_chunk); --imatrix (k-quants) is llama.cpp's importance matrix, one \
            weight per column (quantize_row_qN_K_impl).
            """)

    @Option(help: "One of: \(QuantizationScheme.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scheme: QuantizationScheme

    @Argument(help: "Input tensor (.npy, float16/float32/float64).")
    var input: String

    @Option(help: "The tensor to read when IN is a .safetensors file (optional if it holds one).")
    var tensor: String?

    @Option(help: "Output: dequantized values, float32, IN's shape.")
    var dequantized: String?

    @Option(help: "Output: the codes (int8 for the int8 schemes, uint8 for nf4/fp4/dynamic8).")
    var codes: String?

    @Option(help: "Output (int8 schemes): one scale per group, float32.")
    var scales: String?

    @Option(name: .customLong("zero-points"), help: "Output (zeropoint-int8): the zero point, int8.")
    var zeroPoints: String?

    @Option(help: "Output (nf4, fp4, dynamic8): one absmax per block — float32, or uint8 codes with --double-quant.")
    var absmax: String?

    @Option(help: "Values per block (absmax-int8-block: required; nf4/fp4: default 64; dynamic8: default 4096).")
    var blockSize: Int?

    @Flag(help: "nf4/fp4: quantize the absmax constants too (QLoRA's double quantization).")
    var doubleQuant = false

    @Option(help: "k-quants: llama.cpp's importance matrix, one non-negative weight per column (float .npy).")
    var imatrix: String?

    @Flag(help: "llama.cpp's types: quantize NaN and infinity as llama.cpp's C does instead of refusing them.")
    var allowNonfinite = false

    @Flag(help: "Print one JSON object with the scheme, sizes and errors on stdout.")
    var json = false

    func validate() throws {
        let allowed = scheme.allowedOutputs
        for (flag, given) in [("--scales", scales != nil), ("--zero-points", zeroPoints != nil), ("--absmax", absmax != nil)]
        where given && !allowed.contains(flag) {
            throw ValidationError("\(flag) does not apply to --scheme \(scheme.rawValue)")
        }
        if doubleQuant && scheme != .nf4 && scheme != .fp4 {
            throw ValidationError("--double-quant applies only to --scheme nf4 or fp4")
        }
        switch scheme {
        case .absmaxInt8Block:
            guard blockSize != nil else { throw ValidationError("--scheme absmax-int8-block needs --block-size") }
        case .absmaxInt8, .absmaxInt8Row, .zeropointInt8:
            if blockSize != nil { throw ValidationError("--block-size does not apply to --scheme \(scheme.rawValue)") }
        case .nf4, .fp4, .dynamic8:
            // The schemes' own limits, checked before the input is read (issue #14: this was
            // found only after reading the whole input, and exited 1 instead of 64).
            let allowed = scheme == .dynamic8
                ? BlockwiseQuantizer8.allowedBlockSizes : BlockwiseQuantizer4.allowedBlockSizes
            if let blockSize, !allowed.contains(blockSize) {
                throw ValidationError(
                    "--block-size \(blockSize) is not supported by --scheme \(scheme.rawValue): "
                        + "use a power of two from \(allowed.first!) to \(allowed.last!)")
            }
        default:
            if blockSize != nil {
                throw ValidationError(
                    "--block-size does not apply to --scheme \(scheme.rawValue): llama.cpp's "
                        + "blocks are \(scheme.ggmlType?.blockSize ?? 0) values")
            }
        }
        if allowNonfinite && scheme.ggmlType == nil {
            throw ValidationError("--allow-nonfinite applies only to llama.cpp's block types (q8_0 … mxfp4)")
        }
        if imatrix != nil && !(scheme.ggmlType?.format is any KQuantFormat.Type) {
            throw ValidationError(
                "--imatrix applies to the k-quants (q2_k, q3_k, q4_k, q5_k, q6_k), not to "
                    + "--scheme \(scheme.rawValue)")
        }
        if let blockSize, !(1...(1 << 24)).contains(blockSize) {
            throw ValidationError("--block-size must be between 1 and 16777216, got \(blockSize)")
        }
    }

    /// Finite input must give finite output (issue #14: 3e36 through absmax-int8-row
    /// dequantized to inf, because 127 × absmax overflows float32, the order bitsandbytes
    /// multiplies in). Each overflow is one error line that says where it happened.
    private func requireFiniteOutputs(_ result: QuantizationScheme.Result) throws {
        let stored: [(String, RawTensor?)] = [
            ("scale", result.scales), ("absmax", result.absmax), ("zero point", result.zeroPoints),
        ]
        for (what, tensor) in stored {
            guard let tensor, tensor.elementType.isFloatingPoint else { continue }
            if let bad = try tensor.floats().firstIndex(where: { !$0.isFinite }) {
                throw CLIError(
                    "\(self.input): --scheme \(scheme.rawValue) overflowed float32: \(what) \(bad) "
                        + "is not finite although every input value is (values near ±3.4e38)")
            }
        }
        if let bad = result.dequantized.firstIndex(where: { !$0.isFinite }) {
            throw CLIError(
                "\(self.input): --scheme \(scheme.rawValue) overflowed float32: flat index \(bad) "
                    + "dequantizes to \(result.dequantized[bad]) although every input value is finite "
                    + "(its group's scale times the largest code exceeds 3.4e38)")
        }
    }

    func run() throws {
        let input = try FloatInput.load(
            self.input, tensor: tensor, allowNonFinite: allowNonfinite,
            nonFiniteHint: scheme.ggmlType == nil ? nil : allowNonFiniteHint)
        let tensor = Tensor(shape: input.shape, data: input.values)
        let result: QuantizationScheme.Result
        if let type = scheme.ggmlType {
            let importance = try imatrix.map { try GGMLQuantization.importance($0, columns: input.shape.last ?? 0) }
            result = try GGMLQuantization.quantize(tensor, name: self.input, type: type, importance: importance)
        } else {
            do {
                result = try scheme.quantize(
                    tensor, name: self.input, blockSize: blockSize, doubleQuant: doubleQuant)
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("\(self.input): \(error)")
            }
        }
        if input.values.allSatisfy(\.isFinite) { try requireFiniteOutputs(result) }
        var outputs: [(path: String, tensor: RawTensor)] = []
        if let dequantized { outputs.append((dequantized, RawTensor(float32: result.dequantized, shape: input.shape))) }
        for (path, tensor) in [(codes, result.codes), (scales, result.scales), (zeroPoints, result.zeroPoints), (absmax, result.absmax)] {
            if let path, let tensor { outputs.append((path, tensor)) }
        }
        try writeOutputs(outputs)

        if json {
            var report = JSONReport()
            report.add("scheme", scheme.rawValue)
            report.add("shape", input.shape)
            report.add("elements", input.values.count)
            report.add("bytes", result.storageBytes)
            report.add("bits_per_param", Double(8 * result.storageBytes) / Double(input.values.count))
            report.add("groups", result.groups)
            if let size = result.blockSize { report.add("block_size", size) }
            for (key, value) in result.extraJSON { report.add(key, raw: value) }
            report.addErrors(original: input.values, reconstructed: result.dequantized)
            print(report.text)
        } else {
            print(
                "\(scheme.rawValue): \(input.values.count) values in \(result.storageBytes) bytes "
                    + "(\(result.groups) groups); SQNR \(Statistics.sqnr(input.values, result.dequantized)) dB")
        }
    }
}
