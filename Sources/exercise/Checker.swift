import Foundation

/// Builds the package in release and runs one exercise's suite, then reads Swift Testing's
/// console output back into a short verdict: which properties hold, and for each that does
/// not, its first message (already capped by the tests at a count and a few mismatches).
struct Checker {
    let root: URL
    /// The release build the README's `make test` uses, so a check never rebuilds the world.
    static let buildFlags = ["-c", "release", "-Xswiftc", "-enable-testing"]

    struct Verdict {
        let solved: Bool
        let text: String
    }

    func check(_ exercise: Exercise) throws -> Verdict {
        let header = "Exercise \(exercise.id) — \(exercise.title) (suite \(exercise.suite), \(exercise.file))"
        FileHandle.standardError.write(Data("building in release (the first build takes a few minutes)…\n".utf8))
        let build = try run(["swift", "build", "--build-tests"] + Self.buildFlags)
        if build.status != 0 {
            let errors = build.output.split(separator: "\n").filter { $0.contains("error:") }
            var lines = [header, "✘ the package does not compile:"]
            lines += errors.prefix(6).map { "  " + String($0) }
            if errors.count > 6 { lines.append("  … and \(errors.count - 6) more errors") }
            if errors.isEmpty { lines += build.output.split(separator: "\n").suffix(6).map { "  " + String($0) } }
            return Verdict(solved: false, text: lines.joined(separator: "\n"))
        }
        let test = try run(["swift", "test", "--skip-build", "--filter", "\\.\(exercise.suite)/"] + Self.buildFlags)
        let report = TestReport(parsing: test.output)
        var lines = [header]
        if report.tests.isEmpty {
            lines.append("✘ no test of \(exercise.suite) ran (exit status \(test.status))")
            lines += test.output.split(separator: "\n").suffix(6).map { "  " + String($0) }
            return Verdict(solved: false, text: lines.joined(separator: "\n"))
        }
        for result in report.tests {
            lines.append("\(result.passed ? "✔" : "✘") \(result.name)")
            for issue in result.issues.prefix(2) { lines.append("    " + issue) }
            let more = result.issues.count - 2
            if more > 0 { lines.append("    … \(more) more issue\(more == 1 ? "" : "s")") }
        }
        let held = report.tests.filter(\.passed).count
        let crashed = !report.finished
        if crashed {
            lines.append(
                "✘ the test process stopped before the end (a trap: index out of range, overflow, "
                    + "a force-unwrapped nil?) — last test started: \(report.lastStarted ?? "?")")
        }
        let solved = !crashed && test.status == 0 && held == report.tests.count
        lines.append(
            solved
                ? "solved: all \(held) properties hold. Next: `exercise list`."
                : "not yet: \(held) of \(report.tests.count) properties hold. `exercise hint \(exercise.id)` when stuck.")
        return Verdict(solved: solved, text: lines.joined(separator: "\n"))
    }

    /// Runs a command in the repository root, merging stdout and stderr.
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// What Swift Testing printed, test by test.
struct TestReport {
    struct TestResult {
        let name: String
        var passed: Bool
        var issues: [String]
    }

    private(set) var tests: [TestResult] = []
    /// The final "Test run with N tests … passed/failed" line was printed.
    private(set) var finished = false
    private(set) var lastStarted: String?

    init(parsing output: String) {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.append("")
        var index: [String: Int] = [:]
        func entry(_ name: String) -> Int {
            if let i = index[name] { return i }
            tests.append(TestResult(name: name, passed: false, issues: []))
            index[name] = tests.count - 1
            return tests.count - 1
        }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.contains("Test run with") { finished = true }
            if let name = Self.name(in: line, before: " started.") { lastStarted = name }
            if let name = Self.name(in: line, before: " passed after") {
                tests[entry(name)].passed = true
            } else if let name = Self.name(in: line, before: " failed after") {
                tests[entry(name)].passed = false
            } else if let name = Self.name(in: line, before: " recorded an issue") {
                // The message follows ": " after the location; comments follow on "↳" lines.
                var message = ""
                if let at = line.range(of: " at "), let colon = line.range(of: ": ", range: at.upperBound..<line.endIndex) {
                    message = String(line[colon.upperBound...])
                }
                var j = i + 1
                while j < lines.count, lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("↳") {
                    message += " " + lines[j].trimmingCharacters(in: .whitespaces)
                    j += 1
                }
                let argument = line.range(of: " with ").flatMap { r in
                    line.range(of: " at ", range: r.upperBound..<line.endIndex).map { String(line[r.upperBound..<$0.lowerBound]) }
                }
                if message.hasPrefix("Issue recorded ↳ ") { message = String(message.dropFirst("Issue recorded ↳ ".count)) }
                let shown = (argument.map { "[\($0)] " } ?? "") + message
                tests[entry(name)].issues.append(shown.count > 300 ? String(shown.prefix(300)) + "…" : shown)
                i = j
                continue
            }
            i += 1
        }
    }

    /// "name" from a line "<symbol> Test name<suffix>…" (suite lines and test cases are skipped).
    static func name(in line: String, before suffix: String) -> String? {
        guard let test = line.range(of: " Test "), !line.contains("Test case"), !line.contains("Test run"),
            let end = line.range(of: suffix, range: test.upperBound..<line.endIndex)
        else { return nil }
        var name = String(line[test.upperBound..<end.lowerBound])
        if let with = name.range(of: " with ") { name = String(name[..<with.lowerBound]) }
        return name
    }
}
