import ArgumentParser
import Core
import GPTQ
import TensorIO

/// `lowbit gptq W.npy X.npy --bits B … --dequantized Q.npy` — Chapter 9's GPTQ on one layer.
///
/// How X reaches the Hessian: the reference (IST-DASLab/gptq driven by `opt.py`) calls
/// `add_batch` once per calibration sequence and keeps a running average over *calls*
/// (`HessianAccumulator`). By default all rows of X are one call (H = 2/N · XᵀX exactly);
/// `--calib-seq-len L` feeds consecutive runs of L rows as separate calls, which reproduces
/// the reference cases (L = their `calib_seq_len`) to the bit. The last run may be shorter;
/// like the reference, it weighs as much as the others.
struct GPTQCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gptq",
        abstract: "Quantize a Linear weight with GPTQ, using calibration inputs X.",
        discussion: """
            W is out × in (nn.Linear's layout), X is samples × in (float16/32/64 .npy). \
            Defaults as the reference (IST-DASLab/gptq fasterquant): one grid per row \
            (--group-size -1), --block-size 128, --damp 0.01, asymmetric min-max grid. X's rows reach the Hessian as \
            one add_batch call unless --calib-seq-len L splits them into runs of L rows (one call \
            each, a running average over calls): use the reference cases' calib_seq_len to \
            reproduce them exactly. --json prints output_error = ‖XWᵀ − XQᵀ‖² (float64), \
            rtn_output_error (the same grid without error feedback) and bits_per_weight = bits + \
            (16 + bits) / G: per row and group one float16 scale and one zero of `bits` bits, as \
            GPTQ checkpoints store them (G = in for one group per row; g_idx, 32 bits per input \
            column, is reported separately as g_idx_bits_per_weight).
            """)

    @Argument(help: "The weight W (.npy, out × in).") var weight: String
    @Argument(help: "Calibration inputs X (.npy, samples × in).") var inputs: String
    @Option(help: "Bits per weight code, 2 … 8.") var bits: Int
    // .unconditional: `--group-size -1` reads -1 as the value, not as a flag.
    @Option(parsing: .unconditional, help: "Columns per group; -1 = one grid per row.")
    var groupSize: Int = -1
    @Option(help: "Columns per lazy batch update.") var blockSize: Int = 128
    @Option(help: "Damping as a fraction of mean diag(H).") var damp: Double = 0.01
    @Flag(help: "Quantize columns in order of decreasing diag(H).") var actOrder = false
    @Flag(help: "Fit every group's grid up front, in the original column order.") var staticGroups =
        false
    @Flag(help: "Symmetric grid (zero point fixed at 2^(bits-1)).") var sym = false
    @Option(help: "Rows of X per add_batch call (default: all rows in one call).") var calibSeqLen:
        Int?
    @Option(help: "Output: the dequantized weight Q, float32, W's shape.") var dequantized: String
    @Option(help: "Output: the integer codes, uint8, W's shape.") var codes: String?
    @Option(help: "Output: scales, float32, out × groups.") var scales: String?
    @Option(help: "Output: zero points, float32, out × groups.") var zeros: String?
    @Option(name: .customLong("g-idx"), help: "Output: each input column's group, int32 [in].")
    var gIdx: String?
    @Flag(help: "Print one JSON object with the errors and sizes on stdout.") var json = false

    func validate() throws {
        guard (2...8).contains(bits) else {
            throw ValidationError("--bits must be 2 … 8, got \(bits)")
        }
        guard groupSize == -1 || groupSize > 0 else {
            throw ValidationError("--group-size must be -1 or positive, got \(groupSize)")
        }
        guard blockSize > 0 else {
            throw ValidationError("--block-size must be positive, got \(blockSize)")
        }
        guard damp.isFinite && damp >= 0 else {
            throw ValidationError("--damp must be a finite number ≥ 0, got \(damp)")
        }
        if staticGroups && groupSize == -1 {
            throw ValidationError("--static-groups needs a --group-size")
        }
        if let calibSeqLen, calibSeqLen <= 0 {
            throw ValidationError("--calib-seq-len must be positive, got \(calibSeqLen)")
        }
    }

    func run() throws {
        let w = try Self.load(weight, what: "W")
        let x = try Self.load(inputs, what: "X")
        let (rows, columns, samples) = (w.shape[0], w.shape[1], x.shape[0])
        guard x.shape[1] == columns else {
            throw CLIError(
                "X is \(samples) × \(x.shape[1]) but W is \(rows) × \(columns): "
                    + "X must be samples × \(columns)")
        }
        let config = GPTQConfiguration(
            bits: bits, groupSize: groupSize == -1 ? nil : groupSize, blockSize: blockSize,
            dampingPercent: Float(damp), actOrder: actOrder, staticGroups: staticGroups,
            symmetric: sym)
        if let problem = config.problem(columns: columns) { throw CLIError(problem) }

        let hessian = HessianAccumulator.accumulate(
            x.values, samples: samples, columns: columns, sequenceLength: calibSeqLen)
        let result: GPTQResult
        do {
            result = try GPTQ.quantize(
                weight: w.values, rows: rows, columns: columns, hessian: hessian.h,
                configuration: config)
        } catch let failure as Cholesky.NotPositiveDefinite {
            throw CLIError(
                "H + damping is \(failure.description) (position \(failure.pivot) in "
                    + "processing order); X has \(samples) rows for \(columns) inputs — "
                    + "raise --damp or add calibration rows")
        }
        let rtn = RoundToNearest.quantize(
            weight: w.values, rows: rows, columns: columns, bits: bits, groupSize: config.groupSize,
            symmetric: sym)

        var outputs: [(path: String, tensor: RawTensor)] = [
            (dequantized, RawTensor(float32: result.dequantized, shape: w.shape))
        ]
        if let codes { outputs.append((codes, RawTensor(uint8: result.codes, shape: w.shape))) }
        if let scales {
            outputs.append(
                (scales, RawTensor(float32: result.scales, shape: [rows, result.groups])))
        }
        if let zeros {
            outputs.append((zeros, RawTensor(float32: result.zeros, shape: [rows, result.groups])))
        }
        if let gIdx {
            outputs.append(
                (gIdx, RawTensor(int32: result.gIdx.map { Int32($0) }, shape: [columns])))
        }
        try writeOutputs(outputs)

        let outputError = OutputError.squared(
            x: x.values, samples: samples, weight: w.values, approximation: result.dequantized,
            rows: rows, columns: columns)
        let rtnError = OutputError.squared(
            x: x.values, samples: samples, weight: w.values, approximation: rtn.dequantized,
            rows: rows, columns: columns)
        let group = config.groupSize ?? columns
        let bitsPerWeight = Double(bits) + Double(16 + bits) / Double(group)
        if json {
            var report = JSONReport()
            report.add("shape", w.shape)
            report.add("calibration_rows", samples)
            report.add("add_batch_calls", hessian.calls)
            report.add("bits", bits)
            report.add("group_size", groupSize)
            report.add("block_size", blockSize)
            report.add("damp", damp)
            report.add("act_order", raw: actOrder ? "true" : "false")
            report.add("static_groups", raw: staticGroups ? "true" : "false")
            report.add("sym", raw: sym ? "true" : "false")
            report.add("output_error", outputError)
            report.add("rtn_output_error", rtnError)
            report.add("rtn_over_gptq", rtnError / outputError)
            report.add("bits_per_weight", bitsPerWeight)
            report.add("g_idx_bits_per_weight", 32 / Double(rows))
            print(report.text)
        } else {
            print(
                "gptq \(bits)-bit, group \(groupSize), block \(blockSize): "
                    + "‖XWᵀ − XQᵀ‖² = \(outputError) "
                    + "(RTN \(rtnError)); \(bitsPerWeight) bits per weight")
        }
    }

    /// A 2-D float tensor; NaN and ±infinity are refused with the first offending index.
    static func load(_ path: String, what: String) throws -> FloatInput {
        let input = try FloatInput.load(path, allowNonFinite: true)
        guard input.shape.count == 2 else {
            throw CLIError("\(path): \(what) must be 2-D, got shape \(input.shape)")
        }
        if let bad = input.values.firstIndex(where: { !$0.isFinite }) {
            throw CLIError(
                "\(path): \(what) holds \(input.values[bad]) at flat index \(bad); "
                    + "GPTQ needs finite values"
            )
        }
        return input
    }
}
