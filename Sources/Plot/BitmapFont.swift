/// LowBit's own bitmap font: 5 × 9 pixel glyphs for printable ASCII (32–126) plus the few
/// symbols the chapters need (± × · ° ² … — → ≈ ≤ ≥ ∞ √ α β ε λ π σ µ Δ), drawn for this
/// project.
///
/// Each glyph is 5 columns wide and 9 rows tall: rows 0–6 hold capitals and digits (the
/// cap height is 7), rows 2–6 the lower-case x-height, rows 7–8 the descenders of g j p q
/// y. Text advances 6 columns per character, leaving one blank column between glyphs.
///
/// The glyphs themselves are data, in `BitmapFontGlyphs.swift`: eight glyphs side by side
/// per strip, `#` is ink and `.` is paper, so the letters can be read (and corrected) in
/// the source.
///
/// ### See Also
/// ``Canvas/drawText(_:x:y:scale:color:anchor:rotated:)`` renders strings with it.
public enum BitmapFont {
    /// Columns per glyph.
    public static let glyphWidth = 5
    /// Rows per glyph, descenders included.
    public static let glyphHeight = 9
    /// Rows from the top to the baseline (capitals and digits fill rows 0…6).
    public static let capHeight = 7
    /// Columns from one character to the next (glyph plus one blank column).
    public static let advance = 6

    /// The glyph for `character`: `glyphHeight` rows, each a 5-bit mask whose bit 4 is the
    /// left-most column. `nil` if the font has no such glyph (text shows a hollow box).
    public static func glyph(for character: Character) -> [UInt8]? {
        table[character] ?? aliases[character].flatMap { table[$0] }
    }

    /// Look-alike characters drawn with another character's glyph: Greek μ as the micro
    /// sign µ, typographic quotes and the en dash as their plain forms.
    static let aliases: [Character: Character] = [
        "μ": "µ", "–": "—", "‘": "'", "’": "'", "“": "\"", "”": "\"",
    ]

    /// Every character the font can draw.
    public static var characters: [Character] { Array(table.keys) }

    /// The hollow box drawn for characters the font lacks.
    static let missingGlyph: [UInt8] = [0b11111, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11111, 0, 0]

    /// Width in pixels of `text` drawn at `scale` (no trailing blank column).
    public static func width(of text: String, scale: Int) -> Int {
        let count = text.count
        return count == 0 ? 0 : (count * advance - 1) * scale
    }

    /// One strip of the table: `glyphs` names the characters left to right; every row holds
    /// their 5-column patterns separated by a single space.
    struct Strip {
        let glyphs: String
        let rows: [String]

        init(_ glyphs: String, _ rows: [String]) {
            self.glyphs = glyphs
            self.rows = rows
        }
    }

    /// Character → rows, parsed once from ``strips``.
    static let table: [Character: [UInt8]] = {
        var table: [Character: [UInt8]] = [:]
        for strip in strips {
            let characters = Array(strip.glyphs)
            precondition(strip.rows.count == glyphHeight, "strip \(strip.glyphs) needs \(glyphHeight) rows")
            for (index, character) in characters.enumerated() {
                var glyph: [UInt8] = []
                for row in strip.rows {
                    let cells = Array(row)
                    precondition(
                        cells.count == characters.count * advance - 1,
                        "strip \(strip.glyphs): row \"\(row)\" has the wrong width")
                    var bits: UInt8 = 0
                    for column in 0..<glyphWidth {
                        bits = bits << 1 | (cells[index * advance + column] == "#" ? 1 : 0)
                    }
                    glyph.append(bits)
                }
                table[character] = glyph
            }
        }
        return table
    }()
}
