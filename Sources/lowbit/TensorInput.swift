#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

import Core
import TensorIO

/// A float tensor read from a `.npy` file, validated for the CLI's contract.
struct FloatInput {
    let path: String
    let shape: [Int]
    let values: [Float]

    /// Reads `path` and converts float16/float32/float64 to Float. Rejects other dtypes,
    /// empty tensors and — unless `allowNonFinite` — NaN and ±infinity, naming the first
    /// offending index so the user can find it.
    static func load(_ path: String, allowNonFinite: Bool = false) throws -> FloatInput {
        let raw: RawTensor
        do {
            raw = try NPY.read(contentsOf: path)
        } catch let error as TensorFileError {
            throw CLIError("\(path): \(error.description)")
        }
        guard raw.elementType == .float16 || raw.elementType == .float32 || raw.elementType == .float64
        else {
            throw CLIError("\(path): dtype \(raw.elementType.rawValue) is not accepted; expected float16, float32 or float64")
        }
        guard raw.count > 0 else {
            throw CLIError("\(path): the tensor is empty (shape \(raw.shape))")
        }
        let values = try raw.floats()
        if !allowNonFinite, let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw CLIError(
                "\(path): value \(values[bad]) at flat index \(bad) is not finite (pass --allow-nonfinite to convert NaN and infinity by the format's rules)"
            )
        }
        return FloatInput(path: path, shape: raw.shape, values: values)
    }
}

/// Writes several output files all-or-nothing: each is written atomically, and if a
/// later one fails the earlier ones are removed again, so a failed command leaves none.
func writeOutputs(_ outputs: [(path: String, tensor: RawTensor)]) throws {
    let paths = outputs.map(\.path)
    if Set(paths).count != paths.count {
        throw CLIError("two outputs name the same file: \(paths.joined(separator: ", "))")
    }
    var written: [String] = []
    do {
        for output in outputs {
            try NPY.write(output.tensor, to: output.path)
            written.append(output.path)
        }
    } catch {
        for path in written { _ = unlink(path) }
        if let fileError = error as? TensorFileError { throw CLIError(fileError.description) }
        throw error
    }
}
