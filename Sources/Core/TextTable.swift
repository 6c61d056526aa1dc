/// A plain-text table with aligned columns: a header, a rule of dashes, one line per row.
/// Text columns align left, numbers right; trailing spaces are trimmed so golden files and
/// diffs stay clean. Chapters print it through `Notebook.table`, and `FloatFormat.summaryTable`
/// (what `lowbit formats table` prints) renders with it too, so the book and the CLI look alike.
///
/// ```
/// scheme   scale   MSE
/// -----------------------
/// absmax  23.5185  1.2e-03
/// ```
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// Columns (by index) that align left; the rest — numbers — align right.
    public var leftAligned: Set<Int>

    public init(_ header: [String], _ rows: [[String]], leftAligned: Set<Int> = [0]) {
        self.header = header
        self.rows = rows
        self.leftAligned = leftAligned
    }

    /// The table's lines: header, rule, rows. A row shorter than the header leaves the
    /// missing cells empty.
    public var lines: [String] {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            var text = header.indices.map { c -> String in
                let cell = row.indices.contains(c) ? row[c] : ""
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return leftAligned.contains(c) ? cell + pad : pad + cell
            }.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * max(widths.count - 1, 0))
        return [line(header), rule] + rows.map(line)
    }

    /// ``lines`` joined by newlines (no final newline).
    public var text: String { lines.joined(separator: "\n") }
}
