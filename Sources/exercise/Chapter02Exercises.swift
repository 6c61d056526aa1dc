/// Chapter 2 — absmax and zero-point int8 quantization (module Absmax).
let chapter2Exercises: [Exercise] = [
    Exercise(
        id: "2a", title: "absmax quantize", section: "§2.1",
        file: "Sources/Absmax/Absmax.swift", suite: "Ex2a_AbsmaxQuantizeTests",
        teaches: "symmetric int8: one scale maps the largest magnitude of a group to 127",
        reading: "Belkada & Dettmers, \"A Gentle Introduction to 8-bit Matrix Multiplication\" (2022), \"Introduction to model quantization\"; LLM.int8() §2.1",
        difficulty: 1, needs: [], dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "BlogWorkedExampleTests", "CodebookTests", "EmergentOutlierTests",
            "Ex2c_GranularityTests", "Ex3a_VectorwiseQuantizeTests", "MixedPrecisionTests",
            "GoldenOutputTests", "QuantizeCommandTests", "LLMInt8ReferenceTests",
            "QuantizedInt8AbsmaxTests",  // added by reading (it checks Absmax.quantize's scales)
        ],
        blanks: [
            """
            // TODO(Exercise 2a): s = 127 / absmax; an all-zero group (absmax 0) stores scale 1.
            return 1
            """,
            """
            // TODO(Exercise 2a): q = round(x · s) with ties to even, clamped to ±127; a NaN product gives 0.
            return 0
            """,
        ],
        hint: """
            Scale the largest magnitude to 127 with one division, s = 127 / absmax (NumPy's order),
            then q = (x · s).rounded(.toNearestOrEven), clamped to −127…127. What must an all-zero
            group store so nothing is NaN — and what should 0 · ∞ become?
            """),
    Exercise(
        id: "2b", title: "zero-point quantize", section: "§2.2",
        file: "Sources/Absmax/ZeroPoint.swift", suite: "Ex2b_ZeroPointTests",
        teaches: "asymmetric int8: a scale and an integer zero point spend all 256 codes on [min, max]",
        reading: "Belkada & Dettmers (2022), \"Introduction to model quantization\" (the zero-point example); LLM.int8() §2.1",
        difficulty: 2, needs: [], dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "BlogWorkedExampleTests", "Ex2c_GranularityTests", "GoldenOutputTests",
            "QuantizeCommandTests",
        ],
        blanks: [
            """
            // TODO(Exercise 2b): widen [min, max] to contain 0; nd = 255 / (hi − lo), zp = round(−lo · nd) − 128.
            return (scale: 1, zeroPoint: 0)
            """,
            """
            // TODO(Exercise 2b): q = clamp(round(x · nd) + zp, −128, 127), ties to even.
            return zp
            """,
        ],
        hint: """
            Widen [min, max] to contain 0 (as PyTorch's observers do): zero stays exact and zp fits
            an Int8. Then nd = 255 / (hi − lo), zp = round(−lo · nd) − 128, and q = round(x · nd) + zp
            clamped to −128…127 — round before adding zp. An all-zero range stores (1, 0).
            """),
    Exercise(
        id: "2c", title: "which group does a value belong to?", section: "§2.3",
        file: "Sources/Absmax/Granularity.swift", suite: "Ex2c_GranularityTests",
        teaches: "granularity: which values share a scale — the tensor, a row, a column or a block",
        reading: "LLM.int8() §3.1 (vector-wise quantization); Dettmers et al., \"8-bit Optimizers via Block-wise Quantization\" (2022), §2",
        difficulty: 1, needs: ["2a", "2b"], dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "Ex3a_VectorwiseQuantizeTests", "GoldenOutputTests", "QuantizeCommandTests",
            "QuantizedInt8AbsmaxTests",  // added by reading (it checks per-block absmax)
        ],
        blanks: [
            """
            // TODO(Exercise 2c): how many groups (scales) this granularity makes of a tensor of this shape.
            return 1
            """,
            """
            // TODO(Exercise 2c): the group of the value at this flat row-major index.
            return 0
            """,
        ],
        hint: """
            Integer division and remainder are all you need: a row-major index i of an r × c matrix
            is in row i / c and column i % c; blocks are runs of consecutive values, i / size, and
            there are ⌈n / size⌉ of them, the short last one included.
            """),
    Exercise(
        id: "2d", title: "int8 matmul with an Int32 accumulator, then rescale", section: "§2.5",
        file: "Sources/Absmax/Int8Matmul.swift", suite: "Ex2d_Int8MatmulTests",
        teaches: "int8 × int8 products summed exactly in Int32, then one rescale by both scales",
        reading: "LLM.int8() §2.2 (int8 matrix multiplication)",
        difficulty: 1, needs: [], dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "GoldenOutputTests", "Int8MatmulFastPathTests"],
        blanks: [
            """
            // TODO(Exercise 2d): C[i][j] = Σ_p A[i][p] · B[j][p], each product widened to Int32.
            return [Int32](repeating: 0, count: m * n)
            """,
            """
            // TODO(Exercise 2d): Ĉ[i][j] = Float(C[i][j]) / (rowScales[i] · colScales[j]).
            return [Float](repeating: 0, count: m * n)
            """,
        ],
        hint: """
            Widen each int8 to Int32 before multiplying, so neither 127 · 127 nor the sum can
            overflow. B is stored n × k (the nn.Linear layout), so C[i][j] pairs row i of A with
            row j of B. Rescale once at the end, in the order the doc comment gives:
            Float(C[i][j]) / (rowScales[i] · colScales[j]).
            """),
    Exercise(
        id: "2e", title: "find where a 16-bit accumulator overflows", section: "§2.6",
        file: "Sources/Absmax/Int16Accumulation.swift", suite: "Ex2e_Int16AccumulationTests",
        teaches: "why the accumulator must be 32 bits: a 16-bit sum of int8 products wraps after two terms",
        reading: "LLM.int8() §2.2; the chapter's §2.6",
        difficulty: 1, needs: [], dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 2e): add a[t] · b[t] to a wrapping Int16 and to an exact Int32; keep every partial sum and the first overflow.
            return Int16AccumulationTrace(
                wrappedPartialSums: [Int16](repeating: 0, count: a.count),
                exactPartialSums: [Int32](repeating: 0, count: a.count), firstOverflow: nil)
            """
        ],
        hint: """
            One int8 product fits an Int16; three may not (3 · 127² > 32 767). Int16's
            `addingReportingOverflow` returns the wrapped sum and a flag: keep the wrapped sum, as
            16-bit hardware would, and remember only the first t that overflowed.
            """),
]
