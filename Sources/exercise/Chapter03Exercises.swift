/// Chapter 3 — LLM.int8(): vector-wise int8 and the outlier decomposition (module LLMInt8).
let chapter3Exercises: [Exercise] = [
    Exercise(
        id: "3a", title: "vector-wise quantization", section: "§3.1",
        file: "Sources/LLMInt8/VectorwiseQuantizer.swift", suite: "Ex3a_VectorwiseQuantizeTests",
        teaches: "one absmax per row, outliers zeroed first, and the float32 scale bitsandbytes really uses",
        reading: "LLM.int8() (Dettmers et al. 2022) §3.1 \"Vector-wise Quantization\"; bitsandbytes int8_vectorwise_quant",
        difficulty: 2, needs: ["2a"],
        dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "EmergentOutlierTests", "Ex3c_DequantizeProductTests", "GoldenOutputTests",
            "LLMInt8ReferenceTests", "MixedPrecisionTests", "QuantizeCommandTests",
            "VectorwiseQuantizerTests"],
        blanks: [
            """
            // TODO(Exercise 3a): per row: outliers (|x| ≥ threshold > 0) count as 0, absmax, code = round(x · bitsandbytesScale); zero the outlier columns.
            return (codes: [Int8](repeating: 0, count: x.rows * x.cols), rowAbsmax: [Float](repeating: 0, count: x.rows))
            """
        ],
        hint: """
            Read §3.1 of LLM.int8() and the doc comment: four steps, in bitsandbytes' order. With
            threshold > 0 an element with |x| ≥ threshold counts as 0 before the row's absmax is
            taken. The scale is bitsandbytesScale(forAbsmax:) — (1/absmax)·127, which differs from
            127/absmax by an ulp and decides an exact tie in the reference weights — and
            Absmax.quantize(_:scale:) rounds ties to even. Last, with more than one row, every
            code of the given outlier columns becomes 0.
            """),
    Exercise(
        id: "3b", title: "outlier feature columns", section: "§3.2",
        file: "Sources/LLMInt8/VectorwiseQuantizer.swift", suite: "Ex3b_OutlierColumnsTests",
        teaches: "which feature dimensions LLM.int8() keeps in float: whole columns, chosen by any one value",
        reading: "LLM.int8() §3.2 \"Mixed-precision Decomposition\"",
        difficulty: 1, needs: [],
        dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "EmergentOutlierTests", "GoldenOutputTests", "LLMInt8ReferenceTests",
            "MixedPrecisionTests", "QuantizeCommandTests", "VectorwiseQuantizerTests"],
        blanks: [
            """
            // TODO(Exercise 3b): return, ascending and once each, the columns holding any |x| ≥ threshold (none when threshold is 0).
            return []
            """
        ],
        hint: """
            LLM.int8() §3.2: a column is an outlier column if any value in it has |x| ≥ α. The
            comparison is ≥, not >, and the sign does not matter; threshold 0 means no
            decomposition, so no columns. One flag per column, then the flagged indices in order.
            """),
    Exercise(
        id: "3c", title: "rescale the Int32 product", section: "§3.1",
        file: "Sources/LLMInt8/MixedPrecisionMatmul.swift", suite: "Ex3c_DequantizeProductTests",
        teaches: "how one outer product of row statistics undoes both scales, and why the order of float32 multiplications matters",
        reading: "LLM.int8() §3.1, the equation with c_x ⊗ c_w and 1/127²; bitsandbytes int8_mm_dequant",
        difficulty: 1, needs: ["3a"],
        dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "EmergentOutlierTests", "GoldenOutputTests", "LLMInt8ReferenceTests",
            "MixedPrecisionTests", "QuantizeCommandTests"],
        blanks: [
            """
            // TODO(Exercise 3c): y[i·n + j] = (Float(c[i·n + j]) · (rowAbsmaxX[i] · rowAbsmaxW[j])) · constant.value, then + bias[j].
            return [Float](repeating: 0, count: c.count)
            """
        ],
        hint: """
            LLM.int8() §3.1: C[i][j] · c_x[i] · c_w[j] / 127². In float32 the grouping changes the
            last bits, and bitsandbytes' out_int8 is reproduced bit for bit only in its order:
            stats = c_x[i] · c_w[j] first, then (C · stats) · constant, then + bias. The tests run
            the layer (Exercise 3a quantizes) at threshold 0.
            """),
    Exercise(
        id: "3d", title: "the outlier columns in float", section: "§3.2",
        file: "Sources/LLMInt8/MixedPrecisionMatmul.swift", suite: "Ex3d_OutlierProductTests",
        teaches: "the float half of the decomposition: a small matmul over the few outlier columns only",
        reading: "LLM.int8() §3.2, the decomposition equation",
        difficulty: 1, needs: [],
        dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "EmergentOutlierTests", "GoldenOutputTests", "LLMInt8ReferenceTests",
            "MixedPrecisionTests", "QuantizeCommandTests"],
        blanks: [
            """
            // TODO(Exercise 3d): out[i·n + j] = Σ x[i, h] · weight[j, h] over h in outlierColumns, added in that order from 0.
            return [Float](repeating: 0, count: x.rows * weight.rows)
            """
        ],
        hint: """
            LLM.int8() §3.2: Σ over h in O of X[:, h] · W[:, h]ᵀ. Both matrices are stored with
            the feature dimension last (X is tokens × in, W is out × in), so column h of W is
            weight[j, h]. Sum from 0 in the order of outlierColumns — the chapter's printed
            numbers are those floats.
            """),
    Exercise(
        id: "3e", title: "memory arithmetic", section: "§3.5",
        file: "Sources/LLMInt8/ModelMemory.swift", suite: "Ex3e_ModelMemoryTests",
        teaches: "why 8 bits matter at scale: BLOOM-176B's weights on 9, 5 or 3 GPUs",
        reading: "Belkada & Dettmers, \"A Gentle Introduction to 8-bit Matrix Multiplication\" (HF blog 2022), Introduction",
        difficulty: 1, needs: [],
        dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 3e): parameters × bytes per parameter at this precision.
            return 0
            """,
            """
            // TODO(Exercise 3e): ⌈bytes / deviceBytes⌉, in integer arithmetic.
            return 0
            """,
        ],
        hint: """
            The blog's introduction: bytes = parameters × bytes per parameter (precision knows
            its own), devices = ⌈bytes / memory per device⌉. Round up with integers —
            (bytes + deviceBytes − 1) / deviceBytes — not through a Double, which cannot tell
            2⁶⁰ from 2⁶⁰ + 1.
            """),
]
