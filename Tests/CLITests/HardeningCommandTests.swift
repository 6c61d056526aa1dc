import Foundation
import TensorIO
import TestSupport
import Testing

/// Issue #14's defects, each through the real binary: every test here failed before its fix.
@Suite struct HardeningCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Runs lowbit with standard output sent to /dev/full (every write fails with ENOSPC).
    func runToFullDevice(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = BuiltProducts.directory.appendingPathComponent("lowbit")
        process.arguments = arguments
        process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let bytes = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: bytes, as: UTF8.self))
    }

    /// `--json > /dev/full` exited 0 and the report was lost; now it is one error line.
    @Test func aReportThatCannotBeWrittenIsAnError() throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/full"))
        try NPY.write(RawTensor(float32: [1, -2, 3, 4], shape: [4]), to: path("x.npy"))
        let run = try runToFullDevice([
            "quantize", "--scheme", "absmax-int8", path("x.npy"), "--codes", path("q.npy"), "--json",
        ])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot write standard output"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    /// A block size the scheme does not support is a usage error (64), found before the input
    /// is read: here the input does not even exist, and the message is about the block size.
    @Test(arguments: [("nf4", "16"), ("fp4", "5000"), ("dynamic8", "32"), ("nf4", "48")])
    func anUnsupportedBlockSizeIsAUsageErrorBeforeAnyInputIsRead(scheme: String, size: String) throws {
        let result = try BuiltProducts.run("lowbit", [
            "quantize", "--scheme", scheme, "--block-size", size, path("missing.npy"),
            "--codes", path("q.npy"),
        ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--block-size \(size) is not supported"))
        #expect(!FileManager.default.fileExists(atPath: path("q.npy")))
    }

    /// What `np.save(W.T)` writes (fortran_order True) was refused; it reads as NumPy reads it.
    @Test func aFortranOrderInputIsTransposedOnRead() throws {
        let fixture = BuiltProducts.repositoryRoot
            .appendingPathComponent("Tests/TensorIOTests/Fixtures/fortran_f4_2x3.npy").path
        let result = try BuiltProducts.run("lowbit", [
            "formats", "convert", "--format", "bf16", fixture, "--values", path("v.npy"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let values = try NPY.read(contentsOf: path("v.npy"))
        #expect(values.shape == [2, 3])
        // 0…5 are exact in bfloat16; make_fixtures.py saved arange(6).reshape(2, 3).
        #expect(try values.floats() == [0, 1, 2, 3, 4, 5])
    }
}

/// Finite input gives finite output or one line that says what overflowed (issue #14).
@Suite struct FiniteOutputCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func quantize(_ values: [Float], shape: [Int], _ options: [String]) throws -> BuiltProducts.Result {
        try NPY.write(RawTensor(float32: values, shape: shape), to: path("x.npy"))
        return try BuiltProducts.run(
            "lowbit", ["quantize"] + options + [path("x.npy"), "--dequantized", path("d.npy"), "--json"])
    }

    /// 127 × 3e36 exceeds float32's 3.4e38: the row's dequantization wrote inf.
    @Test func absmaxRowOverflowIsAnErrorNotInfinity() throws {
        let result = try quantize([3e36, 1, -2, 0.5], shape: [2, 2], ["--scheme", "absmax-int8-row"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("overflowed float32"))
        #expect(result.stderr.contains(path("x.npy")))
        #expect(!FileManager.default.fileExists(atPath: path("d.npy")))
    }

    /// max − min = 4e38 overflows: the result was NaN with scale 0 and max_abs_error 0.0.
    @Test func zeroPointOverflowIsAnErrorNotNaN() throws {
        let result = try quantize([-2e38, 0, 2e38], shape: [3], ["--scheme", "zeropoint-int8"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("overflowed float32"))
        #expect(result.stdout.isEmpty)
    }

    /// The mean of the block absmax values (2e38 each) overflows: the message said "value -inf
    /// … is not finite" without a path, about a value the input does not hold.
    @Test func doubleQuantOffsetOverflowSaysWhatOverflowed() throws {
        let values = [Float](repeating: 2e38, count: 128)
        let result = try quantize(values, shape: [128], ["--scheme", "nf4", "--double-quant"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(path("x.npy")))
        #expect(result.stderr.contains("double quantization's offset"))
        #expect(!result.stderr.contains("-inf"))
    }

    /// A float64 value beyond float32's range was reported as "value inf".
    @Test func aFloat64BeyondFloat32IsNamedAsSuch() throws {
        try NPY.write(RawTensor(float64: [1, 1e39], shape: [2]), to: path("x64.npy"))
        let result = try BuiltProducts.run(
            "lowbit", ["quantize", "--scheme", "absmax-int8", path("x64.npy"), "--codes", path("q.npy")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("1e+39 at flat index 1 does not fit in float32"))
    }

    /// Only commands with --allow-nonfinite suggest it (issue #14 noted for quantize's NaN).
    @Test func onlyCommandsWithTheOptionSuggestAllowNonfinite() throws {
        try NPY.write(RawTensor(float32: [1, .nan], shape: [2]), to: path("n.npy"))
        let nf4 = try BuiltProducts.run(
            "lowbit", ["quantize", "--scheme", "nf4", path("n.npy"), "--codes", path("q.npy")])
        #expect(nf4.status == 1 && nf4.stderr.contains("is not finite"))
        #expect(!nf4.stderr.contains("--allow-nonfinite"))
        let q80 = try BuiltProducts.run(
            "lowbit", ["quantize", "--scheme", "q8_0", path("n.npy"), "--codes", path("q.npy")])
        #expect(q80.status == 1 && q80.stderr.contains("--allow-nonfinite"))
    }
}

/// A run may not need more memory than a small multiple of its inputs and outputs (issue #14).
@Suite struct ResourceBoundCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// X and W of 40000 × 1 (160 KB each) make Y 40000 × 40000 = 1.6e9 values, past the
    /// documented 2^26: one line, exit 1, promptly (it used to abort allocating 6.4 GB).
    @Test func anOversizedProductIsRefusedBeforeAllocation() throws {
        let column = RawTensor(float32: [Float](repeating: 0.5, count: 40_000), shape: [40_000, 1])
        try NPY.write(column, to: path("x.npy"))
        try NPY.write(column, to: path("w.npy"))
        let result = try BuiltProducts.run(
            "lowbit", ["int8-matmul", path("x.npy"), path("w.npy"), "--out", path("y.npy")], timeout: 60)
        #expect(result.status == 1)
        #expect(result.stderr.contains("more than int8-matmul's limit of 67108864"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: path("y.npy")))
    }
}

/// Argument handling (issue #14): --version, repeated options, odd paths.
@Suite struct ArgumentHandlingCommandTests {
    let dir: URL
    init() throws { dir = try BuiltProducts.temporaryDirectory() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @Test func versionPrintsAndExitsZero() throws {
        let result = try BuiltProducts.run("lowbit", ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("0."))
    }

    /// `--scheme nf4 --scheme fp4` silently kept fp4.
    @Test func aRepeatedOptionIsAUsageError() throws {
        try NPY.write(RawTensor(float32: [1, 2, 3, 4], shape: [4]), to: path("x.npy"))
        let result = try BuiltProducts.run("lowbit", [
            "quantize", "--scheme", "nf4", "--scheme=fp4", path("x.npy"), "--codes", path("q.npy"),
        ])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--scheme is given more than once"))
        #expect(!FileManager.default.fileExists(atPath: path("q.npy")))
    }

    /// A path with a newline printed as "; " (the fold meant for usage text).
    @Test func aNewlineInAPathIsShownEscaped() throws {
        let odd = path("a\nb.npy")
        let result = try BuiltProducts.run("lowbit", ["inspect", odd])
        #expect(result.status == 1)
        #expect(result.stderr.contains("a\\nb.npy"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    /// An output name with the byte 0xFF was written under a repaired name (U+FFFD); Swift
    /// strings cannot carry it, so the shell passes it.
    @Test func aNonUTF8ArgumentIsRefused() throws {
        try NPY.write(RawTensor(float32: [1, 2, 3, 4], shape: [4]), to: path("x.npy"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let lowbit = BuiltProducts.directory.appendingPathComponent("lowbit").path
        process.arguments = [
            "-c", "exec \"$0\" quantize --scheme nf4 \"$1\" --codes \"$2/$(printf 'q\\377.npy')\"",
            lowbit, path("x.npy"), dir.path,
        ]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let bytes = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 64)
        #expect(String(decoding: bytes, as: UTF8.self).contains("is not valid UTF-8"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["x.npy"])
    }
}

/// `-` as an output is standard output: the .npy bytes, nothing else on it.
@Suite struct StandardOutputDestinationTests {
    @Test func aDashOutputWritesTheNpyToStandardOutput() throws {
        let dir = try BuiltProducts.temporaryDirectory()
        let input = dir.appendingPathComponent("x.npy").path
        try NPY.write(RawTensor(float32: [1, 2, 3, 4], shape: [4]), to: input)
        let process = Process()
        process.executableURL = BuiltProducts.directory.appendingPathComponent("lowbit")
        process.arguments = ["formats", "convert", "--format", "bf16", input, "--values", "-"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let bytes = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let tensor = try NPY.decode([UInt8](bytes))
        #expect(try tensor.floats() == [1, 2, 3, 4])
    }
}
