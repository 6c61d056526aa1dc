import Foundation
import TestSupport
import Testing

/// The `exercise` tool (EXERCISES.md): its catalogue agrees with the sources and tests, and
/// `start`/`reset` move between a solution and its placeholder without losing a byte.
/// The moves run on a scratch copy of one source file, never on the repository itself.
@Suite struct ExerciseToolTests {
    let root = BuiltProducts.repositoryRoot

    /// Every fence has a catalogue entry and the other way round; every suite exists; every
    /// placeholder opens with its TODO line and never traps; each chapter has ≥ 3 exercises.
    @Test func catalogueAgreesWithTheSources() throws {
        let result = try BuiltProducts.run("exercise", ["lint"], in: root)
        #expect(result.status == 0, "\(abbreviated(result.stdout + result.stderr, limit: 2000))")
    }

    @Test func exercisesMarkdownIsTheCatalogue() throws {
        let result = try BuiltProducts.run("exercise", ["markdown"], in: root)
        #expect(result.status == 0)
        let committed = try String(contentsOf: root.appendingPathComponent("EXERCISES.md"), encoding: .utf8)
        let printed = result.stdout.components(separatedBy: "\n")
        let lines = committed.components(separatedBy: "\n")
        if let i = zip(printed, lines).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("EXERCISES.md is stale at line \(i + 1) (regenerate: exercise markdown > EXERCISES.md)")
        }
        #expect(printed.count == lines.count, "EXERCISES.md has \(lines.count) lines, the catalogue prints \(printed.count)")
    }

    /// A scratch "repository" holding the tool's markers and a copy of one exercise's file as
    /// committed (`git show HEAD:file`), so these tests pass while a learner has that exercise
    /// blanked in the working tree; without git, the working tree's copy.
    func scratchCopy(of file: String) throws -> URL {
        let scratch = try BuiltProducts.temporaryDirectory()
        let fm = FileManager.default
        try fm.createDirectory(at: scratch.appendingPathComponent("Sources/exercise"), withIntermediateDirectories: true)
        try fm.copyItem(at: root.appendingPathComponent("Package.swift"), to: scratch.appendingPathComponent("Package.swift"))
        let target = scratch.appendingPathComponent(file)
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if let committed = committedContents(of: file) {
            try committed.write(to: target)
        } else {
            try fm.copyItem(at: root.appendingPathComponent(file), to: target)
        }
        return scratch
    }

    /// The file as committed at HEAD, or nil when git or the repository is not there.
    func committedContents(of file: String) -> Data? {
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", root.path, "show", "HEAD:\(file)"]
        let out = Pipe()
        git.standardOutput = out
        git.standardError = FileHandle.nullDevice
        guard (try? git.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        git.waitUntilExit()
        return git.terminationStatus == 0 && !data.isEmpty ? data : nil
    }

    @Test func startWritesThePlaceholderAndResetRestoresEveryByte() throws {
        let file = "Sources/FloatFormats/Encode.swift"
        let scratch = try scratchCopy(of: file)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let original = try Data(contentsOf: scratch.appendingPathComponent(file))

        let start = try BuiltProducts.run("exercise", ["start", "1b"], in: scratch)
        #expect(start.status == 0, "\(start.stderr)")
        let blanked = try String(contentsOf: scratch.appendingPathComponent(file), encoding: .utf8)
        #expect(blanked.contains("// TODO(Exercise 1b): "))
        #expect(!blanked.contains("roundUp"), "the solution's lines are gone from the placeholder")
        let list = try BuiltProducts.run("exercise", ["list"], in: scratch)
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("1b ") && $0.hasSuffix("[blanked]") })

        let reset = try BuiltProducts.run("exercise", ["reset", "1b"], in: scratch)
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(try Data(contentsOf: scratch.appendingPathComponent(file)) == original, "reset is byte for byte")
    }

    /// A learner's attempt is never thrown away: reset keeps it beside the saved solution.
    @Test func resetKeepsTheLearnersAttempt() throws {
        let file = "Sources/FloatFormats/Encode.swift"
        let scratch = try scratchCopy(of: file)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent(file)
        let original = try Data(contentsOf: url)
        #expect(try BuiltProducts.run("exercise", ["start", "1b"], in: scratch).status == 0)
        let attempt = "return value >> UInt32(shift)  // my attempt"
        let text = try String(contentsOf: url, encoding: .utf8)
        try text.replacingOccurrences(of: "    return 0\n    // END EXERCISE 1b", with: "    \(attempt)\n    // END EXERCISE 1b")
            .write(to: url, atomically: true, encoding: .utf8)
        let list = try BuiltProducts.run("exercise", ["list"], in: scratch)
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("1b ") && $0.hasSuffix("[attempted]") })
        #expect(try BuiltProducts.run("exercise", ["reset", "1b"], in: scratch).status == 0)
        #expect(try Data(contentsOf: url) == original)
        let kept = try String(contentsOf: scratch.appendingPathComponent(".exercises/1b/attempt-0.swift"), encoding: .utf8)
        #expect(kept.contains(attempt))
    }

    @Test func unknownIDIsOneLineAndNonzero() throws {
        let result = try BuiltProducts.run("exercise", ["hint", "4.5"], in: root)
        #expect(result.status != 0)
        #expect(result.stderr.contains("no exercise \"4.5\""), "\(result.stderr)")
    }

    @Test func hintNamesTheReadingAndTheSuite() throws {
        let result = try BuiltProducts.run("exercise", ["hint", "1b"], in: root)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Ex1b_RoundToNearestEvenTests") && result.stdout.contains("Read: IEEE 754"))
    }
}
