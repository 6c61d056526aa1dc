import AWQ
import ArgumentParser
import TensorIO

/// `lowbit awq W.npy X.npy --bits 4 --group-size G [--clip] --dequantized Q.npy
/// [--scales S.npy] [--json]`
/// — Chapter 10's activation-aware weight quantization for one weight and its inputs.
///
/// W is out × in (several linears that read the same input — q, k, v — stacked along the
/// output dimension: the search's objective is the same), X is tokens × in. The search picks
/// s from the 20-point grid (the block output is X · Wᵀ), optionally clips W · s per row and
/// group, and writes the equivalent dequantized weight in the original input space,
/// Q(W · s) / s, float32 in W's shape; `--scales` writes s (float32 [in]).
struct AWQCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "awq",
        abstract:
            "AWQ: search per-channel scales from the inputs, quantize, write the dequantized W.",
        discussion: """
            W is out × in; X is tokens × in (the calibration inputs of W; float16/32/64 .npy). \
            Several linears sharing one input are passed as one weight stacked along the output \
            dimension. Quantization is the reference's pseudo_quantize_tensor: asymmetric \
            min–max groups of --group-size consecutive input channels, --bits 2…8. --clip runs \
            the clip search on W·s (every (tokens/512)-th token; all tokens when fewer than 1024). \
            --json prints best_ratio, loss_history, output_error (‖XWᵀ − XQᵀ‖²) and \
            rtn_output_error (the same quantizer without scales).
            """)

    @Argument(help: "Weight W (.npy, out × in).") var weight: String
    @Argument(help: "Calibration inputs X (.npy, tokens × in).") var inputs: String
    @Option(help: "Bits per weight, 2…8.") var bits: Int = 4
    @Option(
        name: .customLong("group-size"),
        help: "Input channels per quantization group; must divide in.")
    var groupSize: Int
    @Flag(help: "Run the clip search (auto_clip_layer) after scaling.") var clip = false
    @Option(help: "Output: Q(W·s)/s, float32, W's shape.") var dequantized: String
    @Option(help: "Output: the scales s, float32 [in].") var scales: String?
    @Flag(help: "Print one JSON object with the search and the errors on stdout.") var json = false

    func validate() throws {
        guard (2...8).contains(bits) else {
            throw ValidationError("--bits must be 2…8, got \(bits)")
        }
        guard groupSize > 0 else {
            throw ValidationError("--group-size must be positive, got \(groupSize)")
        }
    }

    func run() throws {
        let w = try FloatInput.load(weight)
        let x = try FloatInput.load(inputs)
        guard w.shape.count == 2, x.shape.count == 2 else {
            throw CLIError(
                "W and X must be 2-D: W is \(w.shape), X is \(x.shape) "
                    + "(expected out × in, tokens × in)"
            )
        }
        let (rows, columns, tokens) = (w.shape[0], w.shape[1], x.shape[0])
        guard x.shape[1] == columns else {
            throw CLIError(
                "X is \(tokens) × \(x.shape[1]) but W is \(rows) × \(columns): "
                    + "X must be tokens × \(columns)"
            )
        }
        guard columns % groupSize == 0 else {
            throw CLIError(
                "--group-size \(groupSize) does not divide W's input dimension \(columns)")
        }
        let linear = LinearWeight(w.values, rows: rows, columns: columns)
        let result = AWQ.quantize(
            x: x.values, tokens: tokens, weights: [linear], bits: bits,
            groupSize: groupSize, clip: clip)
        let layer = result.layers[0]
        var outputs: [(path: String, tensor: RawTensor)] = [
            (dequantized, RawTensor(float32: layer.dequantized.values, shape: w.shape))
        ]
        if let scales {
            outputs.append((scales, RawTensor(float32: result.search.scales, shape: [columns])))
        }
        try writeOutputs(outputs)

        let rtn = LinearWeight(
            PseudoQuantizer.dequantized(
                w.values, rows: rows, columns: columns, bits: bits, groupSize: groupSize),
            rows: rows, columns: columns)
        let awqError = AWQ.outputError(
            x: x.values, tokens: tokens, weight: linear, approximation: layer.dequantized)
        let rtnError = AWQ.outputError(
            x: x.values, tokens: tokens, weight: linear, approximation: rtn)
        if json {
            var report = JSONReport()
            report.add("bits", bits)
            report.add("group_size", groupSize)
            report.add("shape", w.shape)
            report.add("tokens", tokens)
            report.add("clip", raw: clip ? "true" : "false")
            report.add("best_ratio", result.search.bestRatio)
            report.add("best_ratio_index", result.search.bestIndex)
            report.add(
                "loss_history",
                raw: "[" + result.search.lossHistory.map { "\(Double($0))" }.joined(separator: ", ")
                    + "]")
            report.add("output_error", awqError)
            report.add("rtn_output_error", rtnError)
            print(report.text)
        } else {
            print(
                "awq: \(rows) × \(columns), \(bits)-bit g\(groupSize)\(clip ? " + clip" : ""): "
                    + "best ratio "
                    + "\(result.search.bestRatio); output error \(awqError) (RTN \(rtnError))")
        }
    }
}
