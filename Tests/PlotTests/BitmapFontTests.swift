import Testing

@testable import Plot

@Suite struct BitmapFontTests {
    static let printableASCII = (32...126).map { Character(UnicodeScalar(UInt8($0))) }

    @Test func everyPrintableASCIICharacterHasAGlyphWithInkExceptSpace() {
        for character in Self.printableASCII {
            guard let glyph = BitmapFont.glyph(for: character) else {
                Issue.record("no glyph for \"\(character)\" (\(character.asciiValue ?? 0))")
                continue
            }
            #expect(glyph.count == BitmapFont.glyphHeight, "\"\(character)\" has \(glyph.count) rows")
            #expect(glyph.allSatisfy { $0 < 1 << BitmapFont.glyphWidth }, "\"\(character)\" is wider than 5 columns")
            let ink = glyph.reduce(0) { $0 + $1.nonzeroBitCount }
            if character == " " {
                #expect(ink == 0, "space should be blank, has \(ink) pixels")
            } else {
                #expect(ink > 0, "\"\(character)\" is blank")
            }
        }
    }

    @Test func noTwoGlyphsLookAlike() {
        let characters = BitmapFont.characters.sorted()
        for (i, a) in characters.enumerated() {
            for b in characters[(i + 1)...] where BitmapFont.glyph(for: a) == BitmapFont.glyph(for: b) {
                Issue.record("\"\(a)\" and \"\(b)\" have identical glyphs")
            }
        }
    }

    /// Rows 7–8 are below the baseline: only letters and marks with descenders may use them.
    @Test func onlyDescendersReachBelowTheBaseline() {
        let below = BitmapFont.characters.filter { character in
            let glyph = BitmapFont.glyph(for: character) ?? []
            return glyph[BitmapFont.capHeight...].contains { $0 != 0 }
        }
        #expect(Set(below) == Set(",;_gjpqy|βµ"), "glyphs reaching below the baseline: \(String(below.sorted()))")
    }

    @Test func lookAlikesBorrowTheirTwinsGlyph() {
        #expect(BitmapFont.glyph(for: "μ") == BitmapFont.glyph(for: "µ"))
        #expect(BitmapFont.glyph(for: "’") == BitmapFont.glyph(for: "'"))
        #expect(BitmapFont.glyph(for: "€") == nil)
    }

    @Test func textWidthIsSixColumnsPerCharacterLessTheLastGap() {
        #expect(BitmapFont.width(of: "", scale: 2) == 0)
        #expect(BitmapFont.width(of: "A", scale: 2) == 10)
        #expect(BitmapFont.width(of: "nf4", scale: 3) == (3 * 6 - 1) * 3)
    }

    /// Every font pixel of "R" becomes a scale × scale block at the right place.
    @Test func drawnTextMatchesTheGlyphBitsAtScale() {
        var canvas = Canvas(width: 40, height: 40)
        canvas.drawText("R", x: 5, y: 3, scale: 3, color: .black)
        let glyph = BitmapFont.glyph(for: "R") ?? []
        for row in 0..<BitmapFont.glyphHeight {
            for column in 0..<BitmapFont.glyphWidth {
                let inked = glyph[row] & (1 << (4 - column)) != 0
                for dy in 0..<3 {
                    for dx in 0..<3 {
                        let pixel = canvas[5 + column * 3 + dx, 3 + row * 3 + dy]
                        #expect(pixel == (inked ? .black : .white), "R row \(row) column \(column): got \(pixel)")
                    }
                }
            }
        }
    }

    /// Rotated text (reading bottom to top) is the upright text turned 90° anticlockwise:
    /// upright pixel (u, v) lands at (v, width − 1 − u).
    @Test func rotatedTextIsTheUprightTextTurnedAnticlockwise() {
        let text = "Ag7"
        let width = BitmapFont.width(of: text, scale: 2)
        let height = BitmapFont.glyphHeight * 2
        var upright = Canvas(width: width, height: height)
        upright.drawText(text, x: 0, y: 0, scale: 2, color: .black)
        var turned = Canvas(width: height, height: width)
        turned.drawText(text, x: 0, y: 0, scale: 2, color: .black, rotated: true)
        var mismatches = 0
        for v in 0..<height {
            for u in 0..<width where upright[u, v] != turned[v, width - 1 - u] {
                mismatches += 1
            }
        }
        #expect(mismatches == 0, "\(mismatches) pixels differ between upright and rotated \"\(text)\"")
        #expect(inkedPixels(turned, in: turned.bounds) > 50)
    }

    @Test func anchorsPlaceTheCapHeightBoxAroundThePoint() {
        let box = BitmapFont.box(of: "abc", x: 100, y: 50, scale: 2, anchor: .middleRight)
        #expect(box == PixelRect(x: 100 - 34, y: 50 - 7, width: 34, height: 14))
        let rotated = BitmapFont.box(of: "abc", x: 10, y: 50, scale: 2, anchor: .middleLeft, rotated: true)
        #expect(rotated == PixelRect(x: 10, y: 50 - 17, width: 14, height: 34))
    }
}
