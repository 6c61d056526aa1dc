import Foundation
import TestSupport
import Testing

/// Every chapter prints deterministically (seeded RNG, no timings), so its whole printed
/// output is compared with `Chapters/NN-topic/expected.txt`: any change to a printed number
/// shows up here and in review. To accept an intended change, run the chapter and
/// overwrite expected.txt (see the README, "Golden outputs").
///
/// Trained models live in `Models/` (committed): each chapter runs against a private copy of
/// that folder, and every model file a chapter writes must come out byte-identical to the
/// committed one — training is deterministic, so a later chapter can reuse the file.
@Suite struct GoldenOutputTests {
    /// Chapter folders, e.g. "01-float-formats", and their executable, e.g. "Chapter01".
    static let chapters: [String] = {
        let dir = BuiltProducts.repositoryRoot.appendingPathComponent("Chapters")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.first?.isNumber == true }.sorted()
    }()

    @Test func everyChapterFolderIsFound() {
        #expect(!Self.chapters.isEmpty)
    }

    @Test(arguments: chapters)
    func chapterOutputMatchesGolden(folder: String) throws {
        let target = "Chapter" + folder.prefix(2)
        let figures = try BuiltProducts.temporaryDirectory()
        let models = try BuiltProducts.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: figures)
            try? FileManager.default.removeItem(at: models)
        }
        let committedModels = BuiltProducts.repositoryRoot.appendingPathComponent("Models")
        let modelFiles = (try? FileManager.default.contentsOfDirectory(atPath: committedModels.path)) ?? []
        for file in modelFiles {
            try FileManager.default.copyItem(
                at: committedModels.appendingPathComponent(file), to: models.appendingPathComponent(file))
        }
        let result = try BuiltProducts.run(target, ["--figures", figures.path, "--models", models.path])
        // Standard error holds training progress redrawn with carriage returns: quote its end only.
        let lastError = result.stderr.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).suffix(3).joined(separator: " | ")
        #expect(result.status == 0, "\(target) exited \(result.status): \(abbreviated(lastError, limit: 600))")
        let expectedURL = BuiltProducts.repositoryRoot
            .appendingPathComponent("Chapters/\(folder)/expected.txt")
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        let actualLines = result.stdout.components(separatedBy: "\n")
        let expectedLines = expected.components(separatedBy: "\n")
        if let i = zip(actualLines, expectedLines).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record(
                """
                \(folder): first difference at line \(i + 1)
                  expected: \(expectedLines[i])
                  actual:   \(actualLines[i])
                """)
        } else {
            #expect(actualLines.count == expectedLines.count, "\(folder): \(actualLines.count) lines printed, \(expectedLines.count) expected")
        }
        // Models the chapter (re)wrote must equal the committed ones, byte for byte.
        for file in try FileManager.default.contentsOfDirectory(atPath: models.path) {
            let written = try Data(contentsOf: models.appendingPathComponent(file))
            let committed = try? Data(contentsOf: committedModels.appendingPathComponent(file))
            #expect(committed == written, "\(folder): Models/\(file) differs from the committed file (or is not committed)")
        }
        // The chapter must have written at least one figure into the folder it was given.
        let pngs = try FileManager.default.contentsOfDirectory(atPath: figures.path).filter { $0.hasSuffix(".png") }
        #expect(!pngs.isEmpty, "\(folder) wrote no figure")
    }
}
