import ArgumentParser
import Foundation

struct ExerciseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Blank, attempt, check and restore the book's exercises.",
        subcommands: [List.self, Start.self, Check.self, Hint.self, Reset.self, Markdown.self, Lint.self])
}

/// The repository root: the nearest folder at or above the working directory with a
/// Package.swift and Sources/exercise.
func repositoryRoot() throws -> URL {
    var url = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    while true {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Sources/exercise").path),
            FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            return url
        }
        if url.pathComponents.count <= 1 { throw ExerciseError("run this inside the LowBit repository") }
        url.deleteLastPathComponent()
    }
}

/// The exercise with this ID (case-insensitive), or a usage error naming the nearest IDs.
func lookup(_ id: String) throws -> Exercise {
    if let found = catalog.first(where: { $0.id.lowercased() == id.lowercased() }) { return found }
    let chapter = catalog.filter { $0.chapter == Int(id.prefix { $0.isNumber }) }.map(\.id)
    let suggestion = chapter.isEmpty ? "`exercise list` shows them all" : "chapter \(chapter[0].prefix { $0.isNumber }) has \(chapter.joined(separator: ", "))"
    throw ValidationError("no exercise \"\(id)\" (\(suggestion))")
}

/// Runs `move` on every exercise, printing its line; one that fails does not stop the
/// others (`reset --all` must put back everything it can). Fails at the end if any failed.
func forEach(_ exercises: [Exercise], _ move: (Exercise) throws -> String) throws {
    var failed = 0
    for exercise in exercises {
        do { print(try move(exercise)) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            failed += 1
        }
    }
    if failed > 0 { throw ExitCode(1) }
}

/// Either one ID or `--all`.
struct Selection: ParsableArguments {
    @Argument(help: "An exercise ID such as 1b (see `exercise list`).") var id: String?
    @Flag(help: "Every exercise of the book.") var all = false

    func exercises() throws -> [Exercise] {
        switch (id, all) {
        case (nil, true): return catalog
        case (let id?, false): return [try lookup(id)]
        case (nil, false): throw ValidationError("name an exercise ID, or --all")
        case (_?, true): throw ValidationError("give an exercise ID or --all, not both")
        }
    }
}

extension ExerciseCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every exercise in book order, with its status.")
        @Flag(help: "Print suite names only, one per line (for scripts).") var suites = false
        @Flag(help: "Print the exercise IDs only, in book order, on one line (for scripts).") var ids = false
        @Option(help: "With --suites: only this exercise's suite.") var only: String?
        @Option(help: "With --suites: this exercise's suite and every suite listed as depending on it.")
        var allowedFailures: String?

        func run() throws {
            if ids { print(catalog.map(\.id).joined(separator: " ")); return }
            if suites {
                if let id = only { print(try lookup(id).suite); return }
                if let id = allowedFailures {
                    let exercise = try lookup(id)
                    for suite in [exercise.suite] + exercise.dependents { print(suite) }
                    return
                }
                for exercise in catalog { print(exercise.suite) }
                return
            }
            let book = Workbook(root: try repositoryRoot())
            let width = catalog.map(\.file.count).max() ?? 0
            for exercise in catalog {
                let status = (try? book.status(of: exercise).rawValue) ?? "missing"
                let file = exercise.file.padding(toLength: width, withPad: " ", startingAt: 0)
                let section = exercise.section.padding(toLength: 6, withPad: " ", startingAt: 0)
                let id = exercise.id.padding(toLength: 4, withPad: " ", startingAt: 0)
                print("\(id)\(section)\(file)  \(exercise.title)  [\(status)]")
            }
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save an exercise's solution (in .exercises/) and write its placeholder.")
        @OptionGroup var selection: Selection

        func run() throws {
            let book = Workbook(root: try repositoryRoot())
            try forEach(try selection.exercises()) { try book.start($0) }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore an exercise's solution byte for byte (an attempt is kept aside).")
        @OptionGroup var selection: Selection

        func run() throws {
            let book = Workbook(root: try repositoryRoot())
            try forEach(try selection.exercises()) { try book.reset($0) }
        }
    }

    struct Hint: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What to read, and the key idea.")
        @Argument(help: "An exercise ID such as 1b.") var id: String

        func run() throws {
            let exercise = try lookup(id)
            print("Exercise \(exercise.id) — \(exercise.title)  (\(exercise.file), suite \(exercise.suite))")
            print("Read: \(exercise.reading)")
            if !exercise.needs.isEmpty {
                print("Builds on: \(exercise.needs.map { "Exercise \($0)" }.joined(separator: ", ")) — solve those first.")
            }
            print("")
            print(exercise.hint)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build in release and run exactly one exercise's suite; print a short verdict.")
        @Argument(help: "An exercise ID such as 1b.") var id: String

        func run() throws {
            let exercise = try lookup(id)
            let root = try repositoryRoot()
            let verdict = try Checker(root: root).check(exercise)
            print(verdict.text)
            if !verdict.solved { throw ExitCode(1) }
        }
    }

    struct Markdown: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print EXERCISES.md from the catalogue.")
        func run() { print(exercisesMarkdown(), terminator: "") }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the catalogue against the sources: fences, markers, suites, placeholders.")
        func run() throws {
            let problems = try lintCatalog(root: try repositoryRoot())
            for problem in problems { print("error: \(problem)") }
            if !problems.isEmpty { throw ExitCode(1) }
            print("\(catalog.count) exercises, every fence and suite found")
        }
    }
}
