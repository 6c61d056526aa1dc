import Foundation

/// A source file as lines, and the exercise fences in it.
///
/// The file is split on "\n" and joined the same way, so a file that is read and written
/// without changes comes back byte for byte (the check in `make exercises-check` relies on it).
struct SourceFile {
    let path: String
    var lines: [String]

    init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExerciseError("cannot read \(path)")
        }
        lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
    }

    /// One fence: the BEGIN line, the END line, and the indentation of the BEGIN line.
    struct Fence {
        let begin: Int
        let end: Int
        let indentation: String
        /// The lines strictly between the markers.
        func body(in lines: [String]) -> [String] { Array(lines[(begin + 1)..<end]) }
    }

    /// The fences of one exercise, in file order; every BEGIN must be closed before the next.
    func fences(of exercise: Exercise) throws -> [Fence] {
        var result: [Fence] = []
        var open: (line: Int, indentation: String)?
        for (i, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " }
            let indentation = String(line.prefix(line.count - trimmed.count))
            if trimmed.hasPrefix("// BEGIN EXERCISE \(exercise.id) ") {
                guard open == nil else { throw ExerciseError("\(path):\(i + 1): a second BEGIN before END for \(exercise.id)") }
                guard trimmed == exercise.beginMarker else {
                    throw ExerciseError("\(path):\(i + 1): expected `\(exercise.beginMarker)`")
                }
                open = (i, indentation)
            } else if trimmed == exercise.endMarker {
                guard let start = open else { throw ExerciseError("\(path):\(i + 1): END without BEGIN for \(exercise.id)") }
                result.append(Fence(begin: start.line, end: i, indentation: start.indentation))
                open = nil
            }
        }
        if open != nil { throw ExerciseError("\(path): BEGIN EXERCISE \(exercise.id) is never closed") }
        guard result.count == exercise.blanks.count else {
            throw ExerciseError(
                "\(path): \(result.count) fences for \(exercise.id), the catalog has \(exercise.blanks.count) placeholders")
        }
        return result
    }

    /// Every `BEGIN EXERCISE <id>` in the file (to find fences the catalog does not know).
    var fencedIDs: [String] {
        lines.compactMap { line in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("// BEGIN EXERCISE ") else { return nil }
            return trimmed.dropFirst("// BEGIN EXERCISE ".count).split(separator: " ").first.map(String.init)
        }
    }

    /// Replaces the lines between the markers of `fence` (the markers stay).
    mutating func replaceBody(of fence: Fence, with body: [String]) {
        lines.replaceSubrange((fence.begin + 1)..<fence.end, with: body)
    }

    /// Writes the file through a temporary in the same folder and a rename: a crash never
    /// leaves a half-written source file.
    func write() throws {
        let data = Data(lines.joined(separator: "\n").utf8)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// A placeholder's lines, indented like its BEGIN marker (blank lines stay empty).
func indent(_ text: String, _ indentation: String) -> [String] {
    text.components(separatedBy: "\n").map { $0.isEmpty ? "" : indentation + $0 }
}

/// A fence body as one string, for saving and comparing.
func joined(_ lines: [String]) -> String { lines.joined(separator: "\n") }

struct ExerciseError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
