import Foundation
import TensorIO

/// The tensor files a user has: NumPy's `.npy` (one tensor) and `.safetensors` (named tensors
/// and string metadata, what Hugging Face checkpoints ship). The format is told by content:
/// a `.npy` file starts with the bytes `\x93NUMPY`; anything else is read as safetensors.
enum TensorFile {
    /// Every tensor of a file with its name (a `.npy` file's one tensor is named after it) and
    /// the file's metadata.
    static func read(_ path: String) throws -> (format: String, tensors: [(name: String, tensor: RawTensor)], metadata: [String: String]) {
        do {
            let bytes = try readWholeFile(atPath: path)
            if bytes.starts(with: [0x93] + Array("NUMPY".utf8)) {
                let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                return (".npy", [(name, try NPY.decode(bytes))], [:])
            }
            let file = try Safetensors.decode(bytes)
            return (".safetensors", file.tensors, file.metadata)
        } catch let error as TensorFileError {
            throw CLIError(message(for: error, path: path))
        }
    }

    /// One line per failure, the path named once (issue #14: "-: no such file: -"), and the
    /// dtypes lowbit's commands take rather than every dtype the parser knows.
    static func message(for error: TensorFileError, path: String) -> String {
        switch error {
        case .fileNotFound, .notARegularFile, .readFailed:
            return error.description
        case .unsupportedDtype(let descr):
            let dtype = descr.split(separator: " ").first.map(String.init) ?? descr
            return "\(path): dtype \(dtype) is not supported (lowbit's commands read float16, "
                + "bfloat16, float32 and float64 tensors)"
        default:
            return "\(path): \(error.description)"
        }
    }

    /// One tensor: a `.npy` file's, or the safetensors tensor called `name` — which may be
    /// left out when the file holds exactly one. `--tensor` with a `.npy` file is an error
    /// rather than ignored.
    static func tensor(_ path: String, name: String?) throws -> RawTensor {
        let file = try read(path)
        if file.format == ".npy" {
            guard name == nil else {
                throw CLIError("\(path): --tensor selects a tensor of a .safetensors file; a .npy file holds one")
            }
            return file.tensors[0].tensor
        }
        if let name {
            guard let found = file.tensors.first(where: { $0.name == name }) else {
                throw CLIError("\(path): no tensor named \(quoted(name)) (lowbit inspect \(path) lists them)")
            }
            return found.tensor
        }
        guard file.tensors.count == 1 else {
            throw CLIError(
                "\(path): holds \(file.tensors.count) tensors; choose one with --tensor NAME "
                    + "(lowbit inspect \(path) lists them)")
        }
        return file.tensors[0].tensor
    }
}

/// A user-supplied string in an error line: JSON-quoted, so a newline or a quote in it cannot
/// break the line.
func quoted(_ text: String) -> String { Safetensors.jsonString(text) }
