/// One exercise of the book: the body of one function (or a few whole function bodies) in a
/// concept module, fenced by `// BEGIN EXERCISE <id> — <title>` and `// END EXERCISE <id>`
/// lines inside the braces, and the test suite that is its whole contract.
///
/// IDs are the chapter number and a letter — `1b`, `4e` — so that no reader confuses
/// Exercise 4e (double quantization) with §4.5 of the chapter. The suite is named
/// `Ex<id>_<Topic>Tests`, so `swift test -c release --filter Ex4e_` runs exactly it.
struct Exercise: Sendable {
    /// "4e": chapter number, then a letter in the order the chapter uses the exercises.
    let id: String
    /// A few words: "double quantization".
    let title: String
    /// Where the chapter shows the result: "§4.4".
    let section: String
    /// The source file holding the fence(s), from the repository root.
    let file: String
    /// The test suite (a Swift type name) that is this exercise's whole contract.
    let suite: String
    /// One line: what the learner understands after writing it.
    let teaches: String
    /// The paper or blog section to read first.
    let reading: String
    /// 1 (a few lines), 2 (an afternoon's care), 3 (the hard part of the paper).
    let difficulty: Int
    /// Exercises this one calls: solve those first (a blank one makes this suite fail too).
    let needs: [String]
    /// Other test suites that fail while this exercise is blank (its callers' tests, the
    /// chapter's golden output). Found by blanking the exercise alone and running every test.
    let dependents: [String]
    /// The placeholder for each fence, in file order: compiling Swift that returns a harmless
    /// wrong value (zeros, the input unchanged) and never traps. Its first line is the
    /// `// TODO(Exercise <id>): …` line saying what to write.
    let blanks: [String]
    /// The hint: what to read and the key idea, kept apart from the code.
    let hint: String

    /// The fence's opening line, without indentation: `// BEGIN EXERCISE 4e — double quantization`.
    var beginMarker: String { "// BEGIN EXERCISE \(id) — \(title)" }
    /// The fence's closing line, without indentation.
    var endMarker: String { "// END EXERCISE \(id)" }
    /// The chapter number, from the ID.
    var chapter: Int { Int(id.prefix { $0.isNumber }) ?? 0 }
}
