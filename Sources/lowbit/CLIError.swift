/// A failure the user can fix, reported as one `error: …` line. Exit status 1
/// (ArgumentParser's usage errors exit with 64, `EX_USAGE`).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
