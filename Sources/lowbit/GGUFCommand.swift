import ArgumentParser
import Foundation
import GGUF
import TensorIO

/// `lowbit gguf write|read|inspect` — llama.cpp's GGUF files (Chapter 11).
struct GGUFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gguf",
        abstract:
            "Write tensors to a GGUF file in a llama.cpp type, read them back, inspect a file.",
        subcommands: [Write.self, Read.self, Inspect.self, Convert.self]
    )

    /// The `--type` values `write` accepts, in the order the help lists them.
    static let writableTypes: [GGMLType] = [
        .F32, .F16, .BF16, .Q8_0, .Q4_0, .Q4_1, .Q5_0, .Q5_1, .Q2_K, .Q3_K, .Q4_K, .Q5_K, .Q6_K,
        .IQ4_NL, .MXFP4,
    ]

    /// "f32, f16, …, mxfp4" for help and errors.
    static var typeList: String {
        writableTypes.map { $0.name.lowercased() }.joined(separator: ", ")
    }

    /// `lowbit gguf write IN.(npy|safetensors) OUT.gguf [--type T] [--metadata KEY=VALUE …]`
    struct Write: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a .npy tensor or every tensor of a .safetensors file in a GGUF file.",
            discussion: """
                A .npy tensor is named after the file's stem. Every tensor is converted to --type; \
                a block type needs each tensor's last dimension to be a multiple of its block size \
                (32 for q8_0…q5_1, iq4_nl, mxfp4; 256 for the k-quants). Metadata values follow \
                gguf-py's type rules (GGUFValueType.get_type): true/false → BOOL, an integer → \
                INT32 (INT64 if it does not fit), a decimal number → FLOAT32, anything else → \
                STRING; general.alignment is a UINT32, as GGUFWriter.add_custom_alignment writes it.
                """)

        @Argument(
            help: "Input: a .npy tensor or a .safetensors file (float16/bfloat16/float32/float64).")
        var input: String

        @Argument(help: "Output .gguf file.")
        var output: String

        @Option(name: .long, help: "One of: \(GGUFCommand.typeList).")
        var type: String = "f32"

        @Option(
            name: .long, parsing: .upToNextOption,
            help: "KEY=VALUE pairs stored as metadata, in order.")
        var metadata: [String] = []

        @Flag(help: "Store NaN and ±inf as they are (F32/F16/BF16) or by the block type's rules.")
        var allowNonfinite = false

        func validate() throws {
            guard let type = GGMLType(name: type), GGUFCommand.writableTypes.contains(type) else {
                throw ValidationError(
                    "unknown type '\(type)'; choose one of \(GGUFCommand.typeList)")
            }
        }

        func run() throws {
            guard let type = GGMLType(name: type) else {
                throw CLIError("unknown type '\(self.type)'")
            }
            let pairs = try metadata.map(GGUFMetadataArgument.parse)
            var tensors: [GGUFTensor] = []
            for (name, raw) in try TensorFile.read(input).tensors {
                guard raw.elementType.isFloatingPoint else {
                    throw CLIError(
                        "\(input): tensor '\(name)' has dtype \(raw.elementType.rawValue); "
                            + "expected a float type"
                    )
                }
                // The contract every command keeps (issue #14): no empty tensor, and NaN or
                // ±inf only when asked for.
                guard raw.count > 0 else {
                    throw CLIError("\(input): tensor '\(name)' is empty (shape \(raw.shape))")
                }
                // ggml tensors have 1 to GGML_MAX_DIMS = 4 dimensions.
                guard (1...4).contains(raw.shape.count) else {
                    throw CLIError(
                        "\(input): tensor '\(name)' has \(raw.shape.count) dimensions; a GGUF "
                            + "tensor has 1 to 4 (reshape a scalar to (1,))")
                }
                let values = try raw.floats()
                if !allowNonfinite, let bad = values.firstIndex(where: { !$0.isFinite }) {
                    throw CLIError(
                        "\(input): tensor '\(name)' holds \(values[bad]) at flat index \(bad), "
                            + "which is not finite (\(allowNonFiniteHint))")
                }
                do {
                    tensors.append(
                        try GGUFTensor.quantizing(
                            name: name, values: values, shape: raw.shape, type: type))
                } catch let error as GGUFError {
                    throw CLIError(error.description)
                }
            }
            do {
                try GGUFFile(metadata: pairs, tensors: tensors).write(to: output)
            } catch let error as GGUFError {
                throw CLIError(error.description)
            }
        }
    }

    /// `lowbit gguf read IN.gguf --tensor NAME --out OUT.npy`
    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dequantize one tensor of a GGUF file to a float32 .npy in NumPy's shape.")

        @Argument(help: "Input .gguf file.")
        var input: String

        @Option(name: .long, help: "The tensor's name (see `lowbit gguf inspect`).")
        var tensor: String

        @Option(name: .long, help: "Output .npy file, float32.")
        var out: String

        func run() throws {
            do {
                let file = try GGUFFile(contentsOf: input)
                let found = try file.tensor(named: tensor)
                let values = try found.float32Values()
                try writeOutputs([(out, RawTensor(float32: values, shape: found.shape))])
            } catch let error as GGUFError {
                throw CLIError("\(input): \(error.description)")
            }
        }
    }

    /// `lowbit gguf inspect IN.gguf [--json]`
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a GGUF file's metadata and tensors (name, type, shape, offset).",
            discussion: """
                Shapes are in NumPy order (outermost first; the file stores them innermost first). \
                Offsets count from the start of the data section, as the file stores them. Text \
                output abbreviates arrays longer than \(GGUFInspection.shownElements) values; \
                --json prints everything (NaN and infinities as the strings "nan", "inf", "-inf").
                """)

        @Argument(help: "Input .gguf file.")
        var input: String

        @Flag(name: .long, help: "Print one JSON object instead of text.")
        var json = false

        func run() throws {
            do {
                let file = try GGUFFile(contentsOf: input)
                let inspection = try GGUFInspection(file)
                print(json ? inspection.json : inspection.text, terminator: json ? "\n" : "")
            } catch let error as GGUFError {
                throw CLIError("\(input): \(error.description)")
            }
        }
    }
}
