import ArgumentParser
import Core
import TensorIO

/// `lowbit inspect FILE [--json]`: what a `.npy` or `.safetensors` file holds — each tensor's
/// name, dtype (BF16 and F16 included), shape and bytes, and the file's metadata — read with
/// the same bounded parsers as every other command (a lying header is one error line).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List the tensors (name, dtype, shape, bytes) and metadata of a .npy or .safetensors file.",
        discussion: """
            Any command that reads a tensor takes a .safetensors file too: name the tensor with \
            --tensor NAME (it may be left out when the file holds exactly one). GGUF files: \
            lowbit gguf inspect.
            """)

    @Argument(help: "A .npy or .safetensors file.")
    var file: String

    @Flag(help: "Print one JSON object: format, metadata, tensors [{name, dtype, shape, bytes}].")
    var json = false

    func run() throws {
        let contents = try TensorFile.read(file)
        if json {
            let tensors = contents.tensors.map { entry in
                "{\"name\": \(quoted(entry.name)), \"dtype\": \(quoted(entry.tensor.elementType.rawValue)), "
                    + "\"shape\": [\(entry.tensor.shape.map(String.init).joined(separator: ", "))], "
                    + "\"bytes\": \(entry.tensor.bytes.count)}"
            }
            let metadata = contents.metadata.sorted { $0.key < $1.key }
                .map { "\(quoted($0.key)): \(quoted($0.value))" }
            var report = JSONReport()
            report.add("format", contents.format)
            report.add("metadata", raw: "{" + metadata.joined(separator: ", ") + "}")
            report.add("tensors", raw: "[" + tensors.joined(separator: ", ") + "]")
            print(report.text)
            return
        }
        let total = contents.tensors.reduce(0) { $0 + $1.tensor.bytes.count }
        print("\(quoted(file)): \(contents.format), \(contents.tensors.count) tensor(s), \(total) bytes of data")
        for (key, value) in contents.metadata.sorted(by: { $0.key < $1.key }) {
            print("metadata \(quoted(key)): \(quoted(value))")
        }
        let rows = contents.tensors.map { entry in
            [
                entry.name, entry.tensor.elementType.rawValue,
                "[" + entry.tensor.shape.map(String.init).joined(separator: ", ") + "]",
                String(entry.tensor.bytes.count),
            ]
        }
        print(TextTable(["name", "dtype", "shape", "bytes"], rows, leftAligned: [0, 1, 2]).text)
    }
}
