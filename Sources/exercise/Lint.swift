import Foundation

/// Everything that must hold between the catalogue, the sources and the tests. `exercise lint`
/// prints the problems; a test runs it, so a renamed suite or a moved fence fails CI.
func lintCatalog(root: URL) throws -> [String] {
    var problems: [String] = []
    let fm = FileManager.default

    // IDs: unique, "<chapter><letter>", lettered a, b, c… in order within each chapter.
    var seen = Set<String>()
    for exercise in catalog {
        if !seen.insert(exercise.id).inserted { problems.append("\(exercise.id): the ID appears twice") }
    }
    for chapter in Set(catalog.map(\.chapter)).sorted() {
        let ids = catalog.filter { $0.chapter == chapter }.map(\.id)
        let expected = ids.indices.map { "\(chapter)\(Character(UnicodeScalar(UInt8(97 + $0))))" }
        if ids != expected { problems.append("chapter \(chapter): IDs \(ids) should be \(expected)") }
        if ids.count < 3 { problems.append("chapter \(chapter): \(ids.count) exercises, every chapter has at least 3") }
    }

    // Every suite a catalogue entry names is declared once in Tests/, and is the only suite
    // whose name starts with the exercise's filter prefix.
    let testSources = swiftFiles(under: root.appendingPathComponent("Tests"))
        .map { (path: $0, text: (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "") }
    for exercise in catalog {
        let prefix = "Ex\(exercise.id)_"
        if !exercise.suite.hasPrefix(prefix) { problems.append("\(exercise.id): suite \(exercise.suite) must start with \(prefix)") }
        let declared = testSources.filter { $0.text.contains("struct \(exercise.suite) ") || $0.text.contains("struct \(exercise.suite){") }
        if declared.count != 1 { problems.append("\(exercise.id): suite \(exercise.suite) is declared \(declared.count) times in Tests/") }
        for needed in exercise.needs where !catalog.contains(where: { $0.id == needed }) {
            problems.append("\(exercise.id): needs unknown exercise \(needed)")
        }
        for (k, blank) in exercise.blanks.enumerated() {
            if !blank.hasPrefix("// TODO(Exercise \(exercise.id)): ") {
                problems.append("\(exercise.id): placeholder \(k) must open with `// TODO(Exercise \(exercise.id)): …`")
            }
            for trap in ["fatalError", "preconditionFailure", "precondition(", "try!"] where blank.contains(trap) {
                problems.append("\(exercise.id): placeholder \(k) contains \(trap) (a placeholder never traps)")
            }
        }
        guard fm.fileExists(atPath: root.appendingPathComponent(exercise.file).path) else {
            problems.append("\(exercise.id): \(exercise.file) does not exist")
            continue
        }
        do {
            let file = try SourceFile(path: root.appendingPathComponent(exercise.file).path)
            let fences = try file.fences(of: exercise)
            if fences.isEmpty { problems.append("\(exercise.id): no fence in \(exercise.file)") }
            for fence in fences where fence.end == fence.begin + 1 {
                problems.append("\(exercise.id): an empty fence at \(exercise.file):\(fence.begin + 1)")
            }
        } catch {
            problems.append("\(error)")
        }
    }

    // No fence in Sources/ that the catalogue does not know.
    for path in swiftFiles(under: root.appendingPathComponent("Sources")) {
        guard let file = try? SourceFile(path: path) else { continue }
        for id in file.fencedIDs where !catalog.contains(where: { $0.id == id }) {
            problems.append("\(path): fence for unknown exercise \(id)")
        }
    }
    return problems
}

/// Every .swift file below a folder, sorted.
func swiftFiles(under folder: URL) -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: folder.path)
    var files: [String] = []
    while let next = enumerator?.nextObject() as? String {
        if next.hasSuffix(".swift") { files.append(folder.appendingPathComponent(next).path) }
    }
    return files.sorted()
}
