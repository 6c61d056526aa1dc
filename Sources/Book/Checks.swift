import Foundation

/// A chapter stops the way the CLI does: one line `error: …` on stderr and a nonzero exit,
/// so `make book` and the golden tests fail loudly instead of printing a wrong page.
extension Notebook {
    /// Stops the chapter with `error: message` on stderr and exit status 1.
    public func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(1)
    }

    /// A chapter-level check on a measured claim (a margin, a bound): when `condition` is
    /// false the chapter stops with `error: check failed: message`.
    public func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail("check failed: \(message())") }
    }

    /// Runs `body`; an error it throws stops the chapter with `error: what: <the error>`.
    /// For library calls that throw on bad input, which a chapter's own data never is.
    public func attempt<T>(_ what: String, _ body: () throws -> T) -> T {
        do { return try body() } catch { fail("\(what): \(error)") }
    }

    /// The parameter block printed under the title: one `name: value` per line, names aligned,
    /// then a blank line. The seed goes first, so a reader can rerun exactly this page.
    public func parameters(_ pairs: KeyValuePairs<String, String>) {
        let width = pairs.map(\.key.count).max() ?? 0
        for (name, value) in pairs { print("\(Fmt.left(name + ":", width + 1)) \(value)") }
        print()
    }
}
