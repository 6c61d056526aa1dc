import Testing

@testable import Plot

@Suite struct PaletteTests {
    @Test func schemesKeepTheirColourWhateverTheSpelling() {
        #expect(Palette.color(for: "fp32") == Palette.grey)
        #expect(Palette.color(for: "nf4") == Palette.blue)
        #expect(Palette.color(for: "NF4 (block 64)") == Palette.blue)
        #expect(Palette.color(for: "fp8_e4m3") == Palette.bluishGreen)
        #expect(Palette.color(for: "FP8 E5M2") == Palette.skyBlue)
        #expect(Palette.color(for: "llm.int8") == Palette.vermillion)
        #expect(Palette.color(for: "fp32 reference") == Palette.grey)
    }

    /// The float formats of chapter 1 appear together, so they must all differ.
    @Test func theFloatFormatsAllHaveDifferentColours() {
        let formats = ["fp32", "tf32", "fp16", "bf16", "fp8-e4m3", "fp8-e5m2", "fp4-e2m1", "nf4"]
        let colors = formats.map(Palette.color(for:))
        #expect(Set(colors).count == formats.count, "\(zip(formats, colors).map { "\($0)=\($1)" })")
    }

    /// FNV-1a, not Swift's per-process seeded hash. The expected colours were computed with an
    /// independent FNV-1a (a few lines of Python: hash mod 8 indexes `Palette.cycle`).
    @Test func unknownNamesGetTheSameColourInEveryRun() {
        #expect(Palette.color(for: "loss").description == "#009E73")
        #expect(Palette.color(for: "train").description == "#D55E00")
    }

    @Test func seriesOfOneFigureGetDistinctColours() {
        let nine = (1...9).map { "series \($0)" }
        #expect(Set(Palette.colors(for: nine)).count == 9)
        let twoBlues = Palette.colors(for: ["nf4 block 64", "nf4 block 4096"])
        #expect(twoBlues[0] == Palette.blue && twoBlues[1] != Palette.blue)
        // A named scheme keeps its colour even when an unnamed series comes first.
        let mixed = Palette.colors(for: ["baseline", "nf4"])
        #expect(mixed[1] == Palette.blue && mixed[0] != Palette.blue)
    }

    @Test func viridisRunsFromPurpleToYellowGettingBrighter() {
        #expect(ColorMap.viridis(0) == RGB(hex: 0x440154))
        #expect(ColorMap.viridis(1) == RGB(hex: 0xFDE725))
        #expect(ColorMap.viridis(.nan) == ColorMap.viridis(0))
        var previous = -1.0
        for step in 0...40 {
            let brightness = ColorMap.viridis(Double(step) / 40).brightness
            #expect(brightness > previous, "viridis gets darker at t = \(Double(step) / 40)")
            previous = brightness
        }
    }
}
