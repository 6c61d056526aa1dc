import Core
import TensorIO

/// A flat JSON object printed on one line, keys in insertion order (stable for scripts and
/// diffs). Non-finite numbers, which JSON cannot hold, are written as `null`.
struct JSONReport {
    private var fields: [(String, String)] = []

    mutating func add(_ key: String, _ value: String) { fields.append((key, Self.quote(value))) }
    mutating func add(_ key: String, _ value: Int) { fields.append((key, String(value))) }
    mutating func add(_ key: String, _ value: Double) {
        fields.append((key, value.isFinite ? "\(value)" : "null"))
    }
    mutating func add(_ key: String, _ value: [Int]) {
        fields.append((key, "[" + value.map(String.init).joined(separator: ", ") + "]"))
    }
    mutating func add(_ key: String, raw json: String) { fields.append((key, json)) }

    /// The error measures every quantization report carries.
    mutating func addErrors(original: [Float], reconstructed: [Float]) {
        add("mse", Statistics.mse(original, reconstructed))
        add("max_abs_error", Statistics.maxAbsError(original, reconstructed))
        add("sqnr_db", Statistics.sqnr(original, reconstructed))
    }

    var text: String {
        "{" + fields.map { "\(Self.quote($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// JSON string literals, escaped by the same function that writes safetensors headers.
    static func quote(_ s: String) -> String { Safetensors.jsonString(s) }
}
