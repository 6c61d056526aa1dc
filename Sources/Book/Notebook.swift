import Core
import Foundation
import Plot

/// # Book — how a chapter prints itself
///
/// Every chapter executable reads like a notebook: numbered section banners, a few
/// sentences of prose between results, parameters and the seed at the top, and figures
/// written to `Figures/`. This module is that page layout and nothing else; the ideas live
/// in the concept modules.
///
/// A chapter's printed text is compared with `Chapters/NN-topic/expected.txt` by a test, so
/// everything printed here must be deterministic: no timings, no absolute paths.
public struct Notebook {
    /// Where figures go (`--figures DIR`, default `Figures`).
    public let figuresDirectory: String
    /// Where trained models are written and read (`--models DIR`, default `Models`): a later
    /// chapter reuses what an earlier one trained instead of training it again.
    public let modelsDirectory: String
    /// Chapter number, used as the figure file prefix (`ch01-…`).
    public let chapter: Int
    /// Text width for wrapped prose.
    public let width = 88

    /// Reads `--figures DIR` and `--models DIR` from the command line; any other argument is
    /// an error (one line on stderr, exit 2), as for the CLI.
    public init(chapter: Int, title: String, arguments: [String] = CommandLine.arguments) {
        self.chapter = chapter
        var figures = "Figures"
        var models = "Models"
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            if argument == "--figures", let value = rest.popFirst() {
                figures = value
            } else if argument == "--models", let value = rest.popFirst() {
                models = value
            } else {
                FileHandle.standardError.write(
                    Data("error: unknown argument '\(argument)'; usage: \(arguments.first ?? "chapter") [--figures DIR] [--models DIR]\n".utf8))
                exit(2)
            }
        }
        figuresDirectory = figures
        modelsDirectory = models
        let heading = "Chapter \(chapter) — \(title)"
        print(heading)
        print(String(repeating: "=", count: heading.count))
    }

    /// `== 1.2 Title ==` with a blank line before it.
    public func section(_ number: String, _ title: String) {
        print("\n== \(number) \(title) ==\n")
    }

    /// Prose, wrapped at ``width`` columns; blank lines in `text` separate paragraphs.
    public func say(_ text: String) {
        for paragraph in text.components(separatedBy: "\n\n") {
            var line = ""
            for word in paragraph.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                if !line.isEmpty && line.count + 1 + word.count > width {
                    print(line)
                    line = ""
                }
                line += line.isEmpty ? String(word) : " " + word
            }
            if !line.isEmpty { print(line) }
            print()
        }
    }

    /// A table with a header row and aligned columns: the columns in `leftAligned` (by
    /// default the first) align left, the rest — numbers — right (``TextTable``).
    public func table(_ header: [String], _ rows: [[String]], leftAligned: Set<Int> = [0]) {
        for line in TextTable(header, rows, leftAligned: leftAligned).lines { print(line) }
    }

    /// Writes `canvas` as `chNN-name.png` in the figures directory and says so.
    /// A failed write is fatal: a chapter without its figures is not a finished chapter.
    public func figure(_ canvas: Canvas, _ name: String, caption: String) {
        let file = String(format: "ch%02d-%@.png", chapter, name)
        do {
            try FileManager.default.createDirectory(atPath: figuresDirectory, withIntermediateDirectories: true)
            try canvas.writePNG(to: (figuresDirectory as NSString).appendingPathComponent(file))
        } catch {
            FileHandle.standardError.write(Data("error: could not write figure \(file): \(error)\n".utf8))
            exit(1)
        }
        print("[figure \(file)] \(caption)")
    }
}

extension Notebook {
    /// The path of a model file in ``modelsDirectory`` (created if missing).
    public func modelPath(_ file: String) -> String {
        try? FileManager.default.createDirectory(atPath: modelsDirectory, withIntermediateDirectories: true)
        return (modelsDirectory as NSString).appendingPathComponent(file)
    }
}
