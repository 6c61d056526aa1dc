import Testing

@testable import Plot

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct PNGTests {
    /// A small asymmetric test card: every pixel different, so a flipped, transposed or
    /// channel-swapped write cannot pass.
    static func testCard() -> Canvas {
        var canvas = Canvas(width: 37, height: 23)
        for y in 0..<23 {
            for x in 0..<37 { canvas[x, y] = RGB(UInt8(x * 7), UInt8(y * 11), UInt8((x * y) % 256)) }
        }
        return canvas
    }

    @Test func writtenPNGStartsWithTheSignatureAndDecodesToTheSamePixels() throws {
        try withScratchDirectory("roundtrip") { directory in
            let path = "\(directory)/card.png"
            let card = Self.testCard()
            try card.writePNG(to: path)
            let bytes = fileBytes(path) ?? []
            #expect(
                Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
                "not a PNG signature: \(bytes.prefix(8))")
            let decoded = try DecodedPNG(path: path)
            #expect(decoded.width == 37 && decoded.height == 23)
            if let first = decoded.pixels.indices.first(where: { decoded.pixels[$0] != card.pixels[$0] }) {
                Issue.record(
                    "byte \(first) (pixel \(first / 3 % 37), \(first / 3 / 37)) is \(decoded.pixels[first]), wrote \(card.pixels[first])"
                )
            }
        }
    }

    @Test func aChartDecodesToItsSizeWithInkInsideThePlotArea() throws {
        try withScratchDirectory("chart") { directory in
            let path = "\(directory)/line.png"
            let canvas = Charts.line(
                title: "A rising line", xLabel: "x", yLabel: "y",
                series: [Series(name: "nf4", x: [0, 1, 2, 3], y: [0, 1, 4, 9])], size: (640, 480))
            try canvas.writePNG(to: path)
            let decoded = try DecodedPNG(path: path)
            #expect(decoded.width == 640 && decoded.height == 480)
            // The centre region of the figure lies inside the plot area whatever the margins are.
            var blue = 0
            for y in 150..<400 {
                for x in 200..<560 where decoded.pixel(x, y) == Palette.blue { blue += 1 }
            }
            #expect(blue > 200, "only \(blue) pixels of the nf4 line in the middle of the plot")
        }
    }

    @Test func theSameFigureRendersToIdenticalBytes() throws {
        try withScratchDirectory("determinism") { directory in
            func render() -> Canvas {
                var rng = TestRNG(seed: 2024)
                let values = (0..<20_000).map { _ in rng.normal() }
                return Charts.histogram(
                    title: "Determinism", xLabel: "value",
                    series: [("fp32", values), ("nf4", values.map { $0 * 0.9 })],
                    annotations: [.vertical(1.5, label: "mark")])
            }
            try render().writePNG(to: "\(directory)/a.png")
            try render().writePNG(to: "\(directory)/b.png")
            let a = fileBytes("\(directory)/a.png") ?? []
            let b = fileBytes("\(directory)/b.png") ?? []
            #expect(a.count > 1000)
            if let first = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("files differ first at byte \(first) of \(a.count)")
            }
            #expect(a == b)
        }
    }

    @Test func aFailedWriteThrowsLibpngsReasonAndLeavesNoFile() {
        let path = "/tmp/plot-tests-no-such-directory-\(getpid())/figure.png"
        do {
            try Self.testCard().writePNG(to: path)
            Issue.record("writing into a missing directory did not throw")
        } catch let PNGWriteError.libpng(failedPath, message) {
            #expect(failedPath == path)
            #expect(!message.isEmpty, "libpng's message should say why")
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(!fileExists(path))
        #expect(!fileExists("\(path).tmp-\(getpid())"))
    }

    @Test func writingOverAFigureReplacesItAndLeavesNoTemporaryFile() throws {
        try withScratchDirectory("replace") { directory in
            let path = "\(directory)/figure.png"
            try Canvas(width: 5, height: 4, background: .black).writePNG(to: path)
            try Self.testCard().writePNG(to: path)
            let decoded = try DecodedPNG(path: path)
            #expect(decoded.width == 37 && decoded.height == 23)
            #expect(!fileExists("\(path).tmp-\(getpid())"))
        }
    }
}
