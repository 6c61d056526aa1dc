import Foundation

/// Finds and runs the executables SwiftPM built next to the test bundle
/// (`.build/<configuration>/lowbit`, `.build/<configuration>/Chapter01`, …).
public enum BuiltProducts {
    /// The directory holding the test bundle and the package's executables.
    public static var directory: URL {
        var url = Bundle.main.bundleURL
        // Linux: the runner is `.build/<config>/LowBitPackageTests.xctest` (a file);
        // macOS: it sits inside `.../LowBitPackageTests.xctest/Contents/MacOS`.
        while url.pathComponents.count > 1 {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("lowbit").path) {
                return url
            }
            url.deleteLastPathComponent()
        }
        return Bundle.main.bundleURL.deletingLastPathComponent()
    }

    /// The repository's root (where Package.swift is), found from this source file.
    public static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        preconditionFailure("Package.swift not found above \(#filePath)")
    }

    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs a built executable with arguments and returns its exit status and output.
    ///
    /// A run that takes longer than `timeout` seconds is killed (its status is then SIGTERM's
    /// number, 15), so a broken build (an exercise left as a placeholder inside a loop, say)
    /// fails one test instead of hanging the whole test run. The slowest chapter takes ≈ 35 s.
    public static func run(
        _ name: String, _ arguments: [String], in workingDirectory: URL? = nil, timeout: Double = 300
    ) throws -> Result {
        let process = Process()
        process.executableURL = directory.appendingPathComponent(name)
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        // Drain stderr on another thread while this one drains stdout, so a chatty
        // program can never fill one pipe and block forever.
        let errReader = ErrorDrain(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errBytes = errReader.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errBytes, as: UTF8.self))
    }

    /// A fresh temporary directory for one test.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("lowbit-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Reads a pipe to its end on a background thread.
private final class ErrorDrain: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
