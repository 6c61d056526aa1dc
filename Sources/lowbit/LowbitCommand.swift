import Foundation
import ArgumentParser

/// The root command and its subcommands, with the chapter each one comes from:
///
/// - `formats` — float formats: the table, and rounding a tensor to one (Chapter 1)
/// - `quantize` — absmax / zero-point int8, blockwise 8-bit, NF4, FP4 (Chapters 2, 4, 5)
/// - `int8-matmul` — X · Wᵀ with LLM.int8() (Chapter 3)
/// - `codebook` — print a quantization codebook, e.g. NF4's 16 values (Chapters 4, 5)
/// - `moe-route` — Mixtral's top-k routing of router logits (Chapter 8)
/// - `lora` — merge a LoRA adapter into its base weight (Chapter 6)
/// - `gptq` — quantize a Linear weight with GPTQ on calibration inputs (Chapter 9)
/// - `awq` — activation-aware weight quantization of one weight from its inputs (Chapter 10)
/// - `bench` — throughput of the kernels: `formats`, `int8`, `llm-int8`, `nf4`, `train`, `gptq`
struct LowbitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lowbit",
        abstract: "See what low-bit number formats and quantization schemes do to your tensors.",
        discussion: """
            Tensors are read from and written to NumPy .npy files. On bad input the command \
            prints one line `error: …` to stderr, exits nonzero and leaves no output file.
            """,
        subcommands: [
            FormatsCommand.self, QuantizeCommand.self, Int8MatmulCommand.self, CodebookCommand.self,
            MoERouteCommand.self, LoRACommand.self, GPTQCommand.self, AWQCommand.self,
            BenchCommand.self, GGUFCommand.self,
            TokenizeCommand.self,
            EmbedCommand.self,
        ]
    )

    /// Parses the arguments and runs the command, keeping the error contract: help and
    /// `--version` print as usual; every failure becomes one `error: …` line on stderr.
    static func runWithContract() -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help, or a clean exit requested by a subcommand.
                self.exit(withError: error)
            }
            reportError(message(for: error))
            Foundation.exit(code == .success ? 1 : code.rawValue)
        }
    }
}

/// Writes `error: <message>` to stderr as a single line (newlines in the message, such as
/// ArgumentParser's usage hints, are folded into "; ").
func reportError(_ message: String) {
    let lines = message.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("Usage:") && !$0.hasPrefix("See '") }
    var text = lines.joined(separator: "; ")
    if text.lowercased().hasPrefix("error: ") { text = String(text.dropFirst(7)) }
    FileHandle.standardError.write(Data("error: \(text.isEmpty ? "failed" : text)\n".utf8))
}
