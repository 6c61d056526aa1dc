#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

import Core
import Foundation
import TensorIO

/// A float tensor read from a `.npy` file, validated for the CLI's contract.
struct FloatInput {
    let path: String
    let shape: [Int]
    let values: [Float]

    /// Reads `path` (.npy, or the tensor `tensor` of a .safetensors file, see `TensorFile`) and
    /// converts float16/bfloat16/float32/float64 to Float. Rejects other dtypes,
    /// empty tensors and — unless `allowNonFinite` — NaN and ±infinity, naming the first
    /// offending index so the user can find it.
    ///
    /// `nonFiniteHint` is appended to the NaN/infinity message by the commands that have an
    /// option for it (only they may suggest `--allow-nonfinite`). A float64 value beyond
    /// float32's range is refused as such, not reported as the infinity it would become.
    static func load(
        _ path: String, tensor: String? = nil, allowNonFinite: Bool = false,
        nonFiniteHint: String? = nil
    ) throws -> FloatInput {
        let raw = try TensorFile.tensor(path, name: tensor)
        guard raw.elementType.isFloatingPoint else {
            throw CLIError(
                "\(path): dtype \(raw.elementType.rawValue) is not accepted; expected float16, "
                    + "bfloat16, float32 or float64")
        }
        guard raw.count > 0 else {
            throw CLIError("\(path): the tensor is empty (shape \(raw.shape))")
        }
        if raw.elementType == .float64,
            let bad = try raw.float64s().firstIndex(where: {
                $0.isFinite && abs($0) > Double(Float.greatestFiniteMagnitude)
            })
        {
            throw CLIError(
                "\(path): value \(try raw.float64s()[bad]) at flat index \(bad) does not fit in "
                    + "float32 (largest finite value 3.4028235e+38)")
        }
        let values = try raw.floats()
        if !allowNonFinite, let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw CLIError(
                "\(path): value \(values[bad]) at flat index \(bad) is not finite"
                    + (nonFiniteHint.map { " (\($0))" } ?? ""))
        }
        return FloatInput(path: path, shape: raw.shape, values: values)
    }
}

/// The hint the commands with `--allow-nonfinite` add to a NaN/infinity error.
let allowNonFiniteHint = "pass --allow-nonfinite to convert NaN and infinity by the format's rules"

/// Writes several output files all-or-nothing: every temporary file first, then the renames
/// (TensorIO's group `writeAtomically`), so a failed command leaves no new file and every file
/// the user already had untouched. Two outputs that name one file — however spelled
/// (`two.npy`, `./two.npy`, a symbolic link to it) — are refused before anything is written.
/// An output named `-` is standard output; a symbolic link is written through to its target, a
/// character device (/dev/null) is written to; other non-regular files are refused (TensorIO's
/// `Destination`).
func writeOutputs(_ outputs: [(path: String, tensor: RawTensor)]) throws {
    var seen: [String: String] = [:]
    for output in outputs {
        let resolved = URL(fileURLWithPath: output.path).standardizedFileURL
            .resolvingSymlinksInPath().path
        if let first = seen[resolved] {
            throw CLIError("two outputs name the same file: \(first) and \(output.path)")
        }
        seen[resolved] = output.path
    }
    do {
        let files = try outputs.map { output -> (bytes: [UInt8], path: String) in
            guard NPY.descriptor(for: output.tensor.elementType) != nil else {
                throw TensorFileError.unsupportedElementType(
                    output.tensor.elementType, operation: ".npy")
            }
            return (NPY.encode(output.tensor), output.path)
        }
        try writeAtomically(files)
        if outputs.contains(where: { $0.path == "-" }) {
            // The tensor went to standard output; what the command prints after it (its
            // summary or --json report) goes to stderr, so stdout holds a clean .npy file.
            dup2(2, 1)
        }
    } catch let fileError as TensorFileError {
        throw CLIError(fileError.description)
    }
}
