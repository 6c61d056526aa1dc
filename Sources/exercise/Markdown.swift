/// EXERCISES.md, printed from the catalogue (`exercise markdown > EXERCISES.md`); a test
/// requires the committed file to equal this output.
func exercisesMarkdown() -> String {
    var out = """
        # Exercises

        The path through the book, in order: one line per exercise. Each is the body of one
        function (or a few) in a concept module, between `// BEGIN EXERCISE <id>` and
        `// END EXERCISE <id>`; its test suite `Ex<id>_…Tests` is its whole contract. IDs are
        a chapter number and a letter (Exercise 4e), so they never read as a section (§4.5).

        The loop (README, "Exercises", walks through one):

        ```
        scripts/exercise list            # every exercise and its status
        scripts/exercise start 1b        # save the solution in .exercises/, write the placeholder
        scripts/exercise check 1b        # release build, run suite Ex1b_…, short verdict
        scripts/exercise hint 1b         # what to read, the key idea
        scripts/exercise reset 1b        # the solution back, byte for byte
        scripts/exercise start --all     # the whole learner edition (reset --all undoes it)
        ```

        *Needs*: exercises it calls — solve those first, or its suite fails with theirs.
        *Also red while blank*: the other suites that fail while this exercise is blank (its
        callers' tests, the chapter's golden output); everything else stays green.
        Difficulty: ★ a few lines, ★★ an afternoon's care, ★★★ the hard part of the paper.


        """
    var chapter = 0
    for exercise in catalog {
        if exercise.chapter != chapter {
            chapter = exercise.chapter
            out += "\n## Chapter \(chapter)\n\n"
            out += "| ID | Exercise | What it teaches | File | Read | Difficulty | Needs | Also red while blank |\n"
            out += "|---|---|---|---|---|---|---|---|\n"
        }
        let stars = String(repeating: "★", count: exercise.difficulty)
        let needs = exercise.needs.isEmpty ? "—" : exercise.needs.joined(separator: ", ")
        var dependents = exercise.dependents.isEmpty ? "—" : exercise.dependents.map { "`\($0)`" }.joined(separator: ", ")
        if dependentsMeasuredBeforeMerge.contains(exercise.id) {
            dependents += " (measured before the chapters were merged)"
        }
        let file = exercise.file.replacingOccurrences(of: "Sources/", with: "")
        out += "| \(exercise.id) | \(exercise.title) (\(exercise.section)) | \(exercise.teaches) | `\(file)` | "
        out += "\(exercise.reading) | \(stars) | \(needs) | \(dependents) |\n"
    }
    return out
}
