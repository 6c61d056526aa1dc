import Foundation

/// Runs a benchmark's Python peer script (`scripts/bench/…`) with one BLAS/OpenMP thread and
/// returns the JSON object it prints on its last line of stdout.
enum PeerProcess {
    static func runJSON(
        python: String, arguments: [String], environment extra: [String: String] = [:]
    ) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"] {
            environment[key] = "1"
        }
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0, let line = text.split(separator: "\n").last,
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8))
                as? [String: Any]
        else {
            throw CLIError(
                "the peer run failed (status \(process.terminationStatus)): "
                    + text.split(separator: "\n").suffix(1).joined())
        }
        return object
    }
}
