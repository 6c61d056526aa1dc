/// Chapter 1 — number formats from the bits up (module FloatFormats).
let chapter1Exercises: [Exercise] = [
    Exercise(
        id: "1b", title: "round to nearest, ties to even", section: "§1.3",
        file: "Sources/FloatFormats/Encode.swift", suite: "Ex1b_RoundToNearestEvenTests",
        teaches: "the one rounding step of every conversion: compare the dropped bits with half",
        reading: "IEEE 754-2008 §4.3.1; Giesen, \"Float to half conversion\" (2012)",
        difficulty: 1, needs: [], dependents: [],
        blanks: [
            """
            // TODO(Exercise 1b): return value / 2^shift rounded to the nearest integer, ties to even.
            return 0
            """
        ],
        hint: """
            Split the value into the kept high bits and the dropped low bits and compare the
            dropped bits with half (1 << (shift − 1)). Only an exact tie looks at the last kept
            bit. Huge shifts must still give 0, so do the arithmetic in 64 bits.
            """),
]
