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
/// - `gguf` — GGUF files: write, read, inspect, and convert a BERT model folder (Chapters 11, 12)
/// - `tokenize`, `embed` — WordPiece ids and sentence embeddings of a BERT model (Chapter 12)
/// - `inspect` — the tensors and metadata of a .npy or .safetensors file
/// - `bench` — throughput: `formats`, `int8`, `llm-int8`, `nf4`, `train`, `gptq`, `gguf`, `embed`
struct LowbitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lowbit",
        abstract: "See what low-bit number formats and quantization schemes do to your tensors.",
        discussion: """
            Tensors are read from NumPy .npy files (or one tensor of a .safetensors file) and \
            written to .npy files. On bad input the command \
            prints one line `error: …` to stderr, exits nonzero and leaves no output file.
            """,
        version: lowbitVersion,
        subcommands: [
            FormatsCommand.self, QuantizeCommand.self, Int8MatmulCommand.self, CodebookCommand.self,
            MoERouteCommand.self, LoRACommand.self, GPTQCommand.self, AWQCommand.self,
            BenchCommand.self, GGUFCommand.self, InspectCommand.self,
            TokenizeCommand.self,
            EmbedCommand.self,
        ]
    )

    /// Parses the arguments and runs the command, keeping the error contract: help and
    /// `--version` print as usual; every failure becomes one `error: …` line on stderr.
    static func runWithContract() -> Never {
        do {
            try refuseAmbiguousArguments(Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot()
            try command.run()
            try flushStandardOutput()
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help, or a clean exit requested by a subcommand.
                self.exit(withError: error)
            }
            if let own = error as? CLIError {
                // Our own one-line messages: a newline inside (a path holding one) is shown
                // escaped, not folded into "; " (issue #14).
                reportError(escapingControlCharacters(own.description))
            } else {
                reportError(message(for: error))
            }
            Foundation.exit(code == .success ? 1 : code.rawValue)
        }
    }
}

/// LowBit's version: 0.N with N the number of chapters of the book on main.
let lowbitVersion = "0.11.0"

/// Options that may be given more than once (each occurrence adds values).
let repeatableOptions: Set<String> = ["--metadata"]

/// Refuses, as usage errors (64), what ArgumentParser would otherwise accept silently (issue
/// #14): an option given twice (it kept the last value), and an argument that is not valid
/// UTF-8 (Swift's String repairs it, so an output would be written under another name).
func refuseAmbiguousArguments(_ arguments: [String]) throws {
    for index in 1..<Int(CommandLine.argc) {
        guard let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) != nil else {
            throw ValidationError("argument \(index) is not valid UTF-8")
        }
    }
    var seen: Set<String> = []
    for argument in arguments {
        if argument == "--" { break }
        guard argument.hasPrefix("--") else { continue }
        let name = String(argument.prefix { $0 != "=" })
        if seen.contains(name) && !repeatableOptions.contains(name) {
            throw ValidationError("\(name) is given more than once; give it once")
        }
        seen.insert(name)
    }
}

/// `a\nb` for a message holding a newline: control characters as Swift escapes.
func escapingControlCharacters(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.properties.generalCategory == .control {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
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
