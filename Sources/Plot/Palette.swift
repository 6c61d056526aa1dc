/// The Okabe–Ito colour-blind-safe palette, and one fixed colour per named scheme so that
/// "fp32" is the same grey and "nf4" the same blue in every chapter's figures.
///
/// Okabe M., Ito K. (2008), *Color Universal Design*, https://jfly.uni-koeln.de/color/ —
/// eight colours that stay distinguishable under the common colour-vision deficiencies.
/// We add a mid grey for the fp32 reference, which every chapter draws as the baseline.
///
/// Nine colours cannot give thirteen names a colour each, so names that rarely share a
/// figure share a colour (int8 and tf32, int4 and fp8-e4m3). When two series of one figure
/// would get the same colour, ``colors(for:)`` gives the later one the next free colour.
///
/// ### See Also
/// ``ColorMap`` for the sequential heatmap scale.
public enum Palette {
    public static let black = RGB(hex: 0x000000)
    public static let orange = RGB(hex: 0xE69F00)
    public static let skyBlue = RGB(hex: 0x56B4E9)
    public static let bluishGreen = RGB(hex: 0x009E73)
    public static let yellow = RGB(hex: 0xF0E442)
    public static let blue = RGB(hex: 0x0072B2)
    public static let vermillion = RGB(hex: 0xD55E00)
    public static let reddishPurple = RGB(hex: 0xCC79A7)
    /// Not an Okabe–Ito colour: the neutral grey of the fp32 reference.
    public static let grey = RGB(hex: 0x8C8C8C)

    /// The order in which unnamed series take colours. Yellow comes last: a thin yellow line
    /// on white is the hardest of the eight to see.
    public static let cycle: [RGB] = [
        blue, vermillion, bluishGreen, orange, reddishPurple, skyBlue, black, yellow,
    ]

    /// The fixed scheme → colour table (keys lower-case).
    public static let named: [String: RGB] = [
        // Floating-point formats (chapter 1 draws all of these in one figure: all distinct).
        "fp32": grey, "fp64": grey,
        "tf32": reddishPurple,
        "fp16": orange,
        "bf16": vermillion,
        "fp8-e4m3": bluishGreen, "e4m3": bluishGreen,
        "fp8-e5m2": skyBlue, "e5m2": skyBlue,
        "fp4-e2m1": black, "fp4": black, "e2m1": black,
        // 4-bit codebooks (nf4, fp4, int4 share figures: distinct).
        "nf4": blue,
        "int4": bluishGreen,
        // 8-bit integer quantizers (int8 / absmax / zeropoint / llm.int8 / fp16: distinct).
        "int8": reddishPurple,
        "absmax": skyBlue,
        "zeropoint": bluishGreen, "zero-point": bluishGreen,
        "llm.int8": vermillion, "llm.int8()": vermillion,
    ]

    /// The fixed colour for a scheme name, or `nil` if the name is not in ``named``.
    ///
    /// Matching is case-insensitive, treats `_` and space like `-`, and falls back to the
    /// first word: "NF4 (block 64)" and "fp32 reference" find their scheme.
    public static func fixedColor(for name: String) -> RGB? {
        let key = String(name.lowercased().map { $0 == "_" ? "-" : $0 })
        if let color = named[key.replacingSpacesWithDashes()] { return color }
        let firstWord = key.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ":" }).first
        if let firstWord, let color = named[String(firstWord)] { return color }
        return nil
    }

    /// The colour for one name on its own: the fixed colour, or a stable pick from ``cycle``
    /// (FNV-1a hash of the name, so the same unknown name gets the same colour every run —
    /// Swift's own `hashValue` is randomly seeded per process and would not).
    public static func color(for name: String) -> RGB {
        if let color = fixedColor(for: name) { return color }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return cycle[Int(hash % UInt64(cycle.count))]
    }

    /// Colours for the series of one figure, in order: named schemes keep their fixed colour;
    /// other names, and names whose colour is already taken in this figure, take the first
    /// colour of ``cycle`` not yet used (cycling again once all nine are used).
    public static func colors(for names: [String]) -> [RGB] {
        var result = [RGB?](repeating: nil, count: names.count)
        var used: [RGB] = []
        for (index, name) in names.enumerated() {
            if let color = fixedColor(for: name), !used.contains(color) {
                result[index] = color
                used.append(color)
            }
        }
        var spare = (cycle + [grey]).filter { !used.contains($0) }
        var next = 0
        for index in names.indices where result[index] == nil {
            if spare.isEmpty { spare = cycle }
            result[index] = spare[next % spare.count]
            next += 1
        }
        return result.map { $0 ?? black }
    }
}

extension String {
    fileprivate func replacingSpacesWithDashes() -> String {
        String(map { $0 == " " ? "-" : $0 })
    }
}
