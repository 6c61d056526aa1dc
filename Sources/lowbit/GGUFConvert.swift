import ArgumentParser
import BERT
import Foundation
import GGUF
import PostTraining

extension GGUFCommand {
    /// `lowbit gguf convert [--model DIR] --out OUT.gguf [--type T] [--pure]` — a BERT
    /// sentence-transformers folder as the GGUF file llama.cpp runs (Chapter 12).
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a BERT sentence-transformers folder to a GGUF file llama.cpp runs.",
            discussion: """
                Writes what llama.cpp's convert_hf_to_gguf.py writes (f32, f16, bf16, q8_0) or \
                what llama-quantize makes of it (the other types): architecture and tokenizer \
                keys, tensors named token_embd, blk.N.attn_q … Biases, LayerNorms and the \
                position/token-type embeddings stay F32. A Linear whose rows (input features) \
                are not a whole number of the type's blocks takes llama.cpp's fallback (rows of \
                384 and the k-quants: Q4_K → Q5_0, Q6_K → Q8_0 …). token_embd gets \
                llama-quantize's rule for it (Q8_0 in every quantized MiniLM file) unless --pure gives it the \
                type too. The default type, f32, is the lossless file (the converter defaults \
                to f16).
                """)

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Model folder (config.json, vocab.txt, model.safetensors); default "
                    + "$LOWBIT_MINILM or ~/.cache/lowbit/all-MiniLM-L6-v2."))
        var model: String?

        @Option(name: .long, help: "Output .gguf file.")
        var out: String

        @Option(name: .long, help: "One of: \(Convert.typeList).")
        var type: String = "f32"

        @Flag(
            name: .long,
            help: "Store token_embd in --type too, as llama-quantize --pure does.")
        var pure = false

        static var typeList: String {
            PostTraining.bertGGUFTypes.map { $0.name.lowercased() }.joined(separator: ", ")
        }

        func validate() throws {
            guard let type = GGMLType(name: type), PostTraining.bertGGUFTypes.contains(type) else {
                throw ValidationError("unknown type '\(type)'; choose one of \(Convert.typeList)")
            }
        }

        func run() throws {
            guard let type = GGMLType(name: type) else {
                throw CLIError("unknown type '\(self.type)'")
            }
            let folder = try bertModelFolder(model)
            let file: GGUFFile
            do {
                let checkpoint = try BERTCheckpoint.load(folder: folder)
                file = try PostTraining.bertGGUF(checkpoint, type: type, pure: pure)
                try file.write(to: out)
            } catch let error as BERTError {
                throw CLIError(error.description)
            } catch let error as GGUFError {
                throw CLIError(error.description)
            }
            print(try Self.summary(file, path: out))
        }

        /// "OUT: 101 tensors, 25285312 bytes (F32 × 64, Q8_0 × 37)".
        static func summary(_ file: GGUFFile, path: String) throws -> String {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
                .flatMap { $0 } ?? 0
            var counts: [String: Int] = [:]
            for tensor in file.tensors { counts[tensor.type.name, default: 0] += 1 }
            let types = counts.sorted { $0.key < $1.key }.map { "\($0.key) × \($0.value)" }
            return "\(path): \(file.tensors.count) tensors, \(size) bytes "
                + "(\(types.joined(separator: ", ")))"
        }
    }
}
