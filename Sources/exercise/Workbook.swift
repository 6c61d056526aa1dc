import Foundation

/// The learner's copy of the book: where each exercise stands, and the moves between a
/// solution and its placeholder.
///
/// A started exercise keeps its solution in `.exercises/<id>/solution-<k>.swift` (one file
/// per fence, ignored by git); `reset` writes it back byte for byte. A learner's attempt is
/// never thrown away: `reset` first copies it to `.exercises/<id>/attempt-<k>.swift`.
struct Workbook {
    /// The repository root (the folder holding Package.swift).
    let root: URL

    enum Status: String {
        case solution = "solved"      // the book's own code, nothing saved
        case blank = "blanked"        // the placeholder is in place
        case attempt = "attempted"    // started, and the placeholder has been edited
    }

    var savedFolder: URL { root.appendingPathComponent(".exercises") }

    func source(of exercise: Exercise) throws -> SourceFile {
        try SourceFile(path: root.appendingPathComponent(exercise.file).path)
    }

    func solutionURL(_ exercise: Exercise, fence k: Int) -> URL {
        savedFolder.appendingPathComponent("\(exercise.id)/solution-\(k).swift")
    }

    func attemptURL(_ exercise: Exercise, fence k: Int) -> URL {
        savedFolder.appendingPathComponent("\(exercise.id)/attempt-\(k).swift")
    }

    func status(of exercise: Exercise) throws -> Status {
        let file = try source(of: exercise)
        let fences = try file.fences(of: exercise)
        let blank = fences.enumerated().allSatisfy { k, fence in
            fence.body(in: file.lines) == indent(exercise.blanks[k], fence.indentation)
        }
        if blank { return .blank }
        let saved = FileManager.default.fileExists(atPath: solutionURL(exercise, fence: 0).path)
        return saved ? .attempt : .solution
    }

    /// Saves the solution and writes the placeholder. Returns a line for the learner.
    func start(_ exercise: Exercise) throws -> String {
        switch try status(of: exercise) {
        case .blank: return "\(exercise.id): already blanked"
        case .attempt: return "\(exercise.id): already started (your attempt is in place; `reset` restores the solution)"
        case .solution: break
        }
        var file = try source(of: exercise)
        let fences = try file.fences(of: exercise)
        try FileManager.default.createDirectory(
            at: savedFolder.appendingPathComponent(exercise.id), withIntermediateDirectories: true)
        for (k, fence) in fences.enumerated() {
            try Data(joined(fence.body(in: file.lines)).utf8).write(to: solutionURL(exercise, fence: k), options: .atomic)
        }
        // Replace from the last fence up, so earlier line numbers stay valid.
        for (k, fence) in fences.enumerated().reversed() {
            file.replaceBody(of: fence, with: indent(exercise.blanks[k], fence.indentation))
        }
        try file.write()
        return "\(exercise.id): blanked \(fences.count == 1 ? "the body" : "\(fences.count) bodies") in \(exercise.file)"
    }

    /// Restores the saved solution byte for byte (keeping an attempt aside first).
    func reset(_ exercise: Exercise) throws -> String {
        let state = try status(of: exercise)
        var file = try source(of: exercise)
        let fences = try file.fences(of: exercise)
        let saved = (0..<fences.count).map { solutionURL(exercise, fence: $0) }
        guard saved.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) else {
            if state == .solution { return "\(exercise.id): already the solution" }
            throw ExerciseError(
                "\(exercise.id): no saved solution in \(savedFolder.path)/\(exercise.id); `git checkout -- \(exercise.file)` restores the committed code")
        }
        var kept = false
        for (k, fence) in fences.enumerated() where state == .attempt {
            let body = joined(fence.body(in: file.lines))
            if body != joined(indent(exercise.blanks[k], fence.indentation)) {
                try Data(body.utf8).write(to: attemptURL(exercise, fence: k), options: .atomic)
                kept = true
            }
        }
        for (k, fence) in fences.enumerated().reversed() {
            let text = String(decoding: try Data(contentsOf: saved[k]), as: UTF8.self)
            file.replaceBody(of: fence, with: text.components(separatedBy: "\n"))
        }
        try file.write()
        for url in saved { try FileManager.default.removeItem(at: url) }
        let note = kept ? " (your attempt is kept in .exercises/\(exercise.id)/attempt-*.swift)" : ""
        return "\(exercise.id): solution restored in \(exercise.file)\(note)"
    }
}
