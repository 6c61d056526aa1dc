import ArgumentParser
import FloatFormats
import TensorIO

/// `lowbit formats …` — Chapter 1: how numbers are stored.
struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "Floating-point formats: the table, and converting tensors to a format and back.",
        subcommands: [Table.self, Convert.self]
    )

    /// `lowbit formats table`
    struct Table: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every format's layout, bias, range, epsilon and special values.")

        func run() throws {
            print(FloatFormat.summaryTable())
        }
    }

    /// `lowbit formats convert --format NAME IN.npy --values OUT.npy [--bits BITS.npy] [--saturate]`
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Round a tensor to a format: write the values (float32) and optionally the bit patterns.",
            discussion: """
                BITS.npy holds uint32 for fp32 and tf32, uint16 for fp16 and bf16, uint8 for the \
                fp8 formats, and uint8 with the code in the low nibble for fp4-e2m1.
                """)

        @Option(name: .long, help: "One of: \(FloatFormat.all.map(\.name).joined(separator: ", ")).")
        var format: String

        @Argument(help: "Input tensor (.npy or .safetensors; float16, bfloat16, float32 or float64).")
        var input: String

        @Option(help: "The tensor to read when the input is a .safetensors file (optional if it holds one).")
        var tensor: String?

        @Option(name: .long, help: "Output: the values after the round trip, float32, input's shape.")
        var values: String

        @Option(name: .long, help: "Output: the bit patterns (see above).")
        var bits: String?

        @Flag(name: .long, help: "Clamp overflow and ±inf to ±largest finite value (OCP saturating mode).")
        var saturate = false

        @Flag(name: .long, help: "Accept NaN and ±inf in the input and convert them by the format's rules.")
        var allowNonfinite = false

        func validate() throws {
            guard FloatFormat(name: format) != nil else {
                throw ValidationError(
                    "unknown format '\(format)'; choose one of \(FloatFormat.all.map(\.name).joined(separator: ", "))")
            }
        }

        func run() throws {
            let format = FloatFormat(name: format)!
            let tensor = try FloatInput.load(
                input, tensor: tensor, allowNonFinite: allowNonfinite, nonFiniteHint: allowNonFiniteHint)
            let mode: OverflowMode = saturate ? .saturate : format.overflow
            let codes = format.encode(tensor.values, overflow: mode)
            let roundTripped = format.decode(codes)
            var outputs = [(path: values, tensor: RawTensor(float32: roundTripped, shape: tensor.shape))]
            if let bits {
                outputs.append((bits, Self.bitPatterns(codes, format: format, shape: tensor.shape)))
            }
            try writeOutputs(outputs)
        }

        /// The codes in the narrowest unsigned type that holds the format's storage.
        static func bitPatterns(_ codes: [UInt32], format: FloatFormat, shape: [Int]) -> RawTensor {
            switch format.storageBits {
            case 32: return RawTensor(uint32: codes, shape: shape)
            case 16: return RawTensor(uint16: codes.map { UInt16(truncatingIfNeeded: $0) }, shape: shape)
            default: return RawTensor(uint8: codes.map { UInt8(truncatingIfNeeded: $0) }, shape: shape)
            }
        }
    }
}
