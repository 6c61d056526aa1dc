/// Chapter 1 — number formats from the bits up (module FloatFormats).
let chapter1Exercises: [Exercise] = [
    Exercise(
        id: "1a", title: "decode a bit pattern", section: "§1.4",
        file: "Sources/FloatFormats/Decode.swift", suite: "Ex1a_DecodeTests",
        teaches: "what a code means: sign, biased exponent, implicit leading 1, subnormals, inf and NaN",
        reading: "IEEE 754-2008 §3.4 (binary interchange encodings); OCP OFP8 rev 1.0 §3 (E4M3)",
        difficulty: 2, needs: [], dependents: [
            "ContractMatrixTests", "HardeningCommandTests", "StandardOutputDestinationTests",
            "EncodingPropertyTests", "ExplainTests", "FastConversionTests",
            "FloatFormatsReferenceTests", "FormatsCommandTests", "GoldenOutputTests",
        ],
        blanks: [
            """
            // TODO(Exercise 1a): return the float32 this code stands for (NaN, ±inf, ±0, subnormal or normal).
            return 0
            """
        ],
        hint: """
            A normal code means (−1)^S × 2^(E − bias) × (1 + M/2^m), a code with E = 0 means
            (−1)^S × 2^(1 − bias) × M/2^m. Do not compute it in floating point: write float32's
            fields — exponent E − bias + 127, M shifted to the top of 23 bits. A small format's
            subnormal is usually a normal float32: make M's leading 1 (`leadingZeroBitCount`) the
            implicit bit. Ask `isNaN`/`isInfinity` first: E4M3's all-ones exponent holds numbers.
            """),
    Exercise(
        id: "1b", title: "round to nearest, ties to even", section: "§1.3",
        file: "Sources/FloatFormats/Encode.swift", suite: "Ex1b_RoundToNearestEvenTests",
        teaches: "the one rounding step of every conversion: compare the dropped bits with half",
        reading: "IEEE 754-2008 §4.3.1; Giesen, \"Float to half conversion\" (2012)",
        difficulty: 1, needs: [], dependents: [
            "ContractMatrixTests", "HardeningCommandTests", "StandardOutputDestinationTests",
            "EncodingPropertyTests", "Ex1c_GridAndSubnormalsTests", "Ex1d_OverflowAndSpecialsTests",
            "ExplainTests", "FastConversionTests", "FloatFormatsReferenceTests",
            "FormatsCommandTests", "GoldenOutputTests",
        ],
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
    Exercise(
        id: "1c", title: "the grid, subnormals included", section: "§1.2",
        file: "Sources/FloatFormats/Encode.swift", suite: "Ex1c_GridAndSubnormalsTests",
        teaches: "encoding is one rounded shift onto a grid whose spacing stops shrinking at the smallest normal",
        reading: "IEEE 754-2008 §3.4; Goldberg, \"What Every Computer Scientist Should Know About Floating-Point Arithmetic\" (1991), \"Denormalized Numbers\"",
        difficulty: 3, needs: ["1b"], dependents: [
            "ContractMatrixTests", "HardeningCommandTests", "StandardOutputDestinationTests",
            "EncodingPropertyTests", "Ex1d_OverflowAndSpecialsTests", "ExplainTests",
            "FastConversionTests", "FloatFormatsReferenceTests", "FormatsCommandTests",
            "GoldenOutputTests",
        ],
        blanks: [
            """
            // TODO(Exercise 1c): round |x| onto the grid of spacing 2^(max(e, 1 − bias) − m); return its magnitude code.
            return 0
            """
        ],
        hint: """
            Write x = S × 2^(e − 23) (a float32 subnormal has no implicit 1 and e = −126). The grid
            exponent is max(e, 1 − bias): below the smallest normal the spacing stops shrinking.
            Shift S right by (grid exponent − m) − (e − 23) with `roundShiftRightTiesToEven` (1b) to
            count grid steps, then add them to ((biased grid exponent − 1) << m). Work out why a
            carry (1.11…1 → 10.0) and a subnormal that rounds up to 2^(1 − bias) both come out right.
            """),
    Exercise(
        id: "1d", title: "overflow, infinity and NaN per format", section: "§1.3",
        file: "Sources/FloatFormats/Encode.swift", suite: "Ex1d_OverflowAndSpecialsTests",
        teaches: "what overflow, infinity and NaN become in formats with and without them",
        reading: "IEEE 754-2008 §7.4 and §6.2.3; OCP OFP8 rev 1.0 §5 (saturation); OCP MX v1.0 §5.3.3 (FP4)",
        difficulty: 2, needs: ["1b", "1c"], dependents: [
            "ContractMatrixTests", "HardeningCommandTests", "StandardOutputDestinationTests",
            "EncodingPropertyTests", "ExplainTests", "FastConversionTests",
            "FloatFormatsReferenceTests", "FormatsCommandTests", "GoldenOutputTests",
        ],
        blanks: [
            """
            // TODO(Exercise 1d): ±max when saturating; otherwise inf, else NaN, else max — whichever the format has.
            return 0
            """,
            """
            // TODO(Exercise 1d): the canonical quiet NaN: all-ones exponent and top mantissa bit (E4M3: all ones).
            return 0
            """,
            """
            // TODO(Exercise 1d): the NaN a float32 NaN with this payload becomes (see NaNEncoding, NaNPayloadRule).
            return 0
            """,
        ],
        hint: """
            Overflow is decided after rounding, by the caller (that is why E4M3's 464 becomes 448
            but 464.00003 becomes NaN); you say what the result is. Saturating mode clamps to the
            largest finite code; otherwise a format gives inf if it has one, else its NaN (E4M3),
            else its largest finite value (FP4). For NaN inputs follow `NaNPayloadRule`: keep the
            top m payload bits where the rule says so, and never let a NaN turn into infinity.
            """),
    Exercise(
        id: "1e", title: "range and precision from the fields", section: "§1.1",
        file: "Sources/FloatFormats/DerivedProperties.swift", suite: "Ex1e_DerivedPropertiesTests",
        teaches: "range and precision are formulas in the field widths, the bias and the special codes",
        reading: "IEEE 754-2008 §3.3 (emax, emin, precision); OCP OFP8 rev 1.0 Table 1; NVIDIA A100 whitepaper, \"TF32\"",
        difficulty: 1, needs: [], dependents: [
            "ContractMatrixTests", "HardeningCommandTests", "StandardOutputDestinationTests",
            "FormatsCommandTests", "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 1e): the exponent of the largest finite number: the top exponent field a number may use, minus the bias.
            return 0
            """,
            """
            // TODO(Exercise 1e): (1 + M/2^m) × 2^maxFiniteExponent with the largest M that is still a number.
            return 0
            """,
            """
            // TODO(Exercise 1e): the smallest positive normal value, 2^(1 − bias).
            return 0
            """,
            """
            // TODO(Exercise 1e): the smallest positive subnormal value, 2^(1 − bias − m).
            return 0
            """,
            """
            // TODO(Exercise 1e): the gap between 1 and the next value, 2^−m.
            return 0
            """,
            """
            // TODO(Exercise 1e): the significant decimal digits, (m + 1) × log10(2).
            return 0
            """,
        ],
        hint: """
            The largest finite value depends on which codes are special: IEEE formats lose the
            whole all-ones exponent, E4M3 only the all-ones mantissa there (its max is 1.75 × 2^8 =
            448), FP4 nothing. Build powers of two with `powerOfTwo(_:)` so every result is exact.
            """),
]
