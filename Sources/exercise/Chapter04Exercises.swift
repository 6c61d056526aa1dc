/// Chapter 4 — NF4, FP4 and 4-bit blockwise quantization (module NF4).
let chapter4Exercises: [Exercise] = [
    Exercise(
        id: "4a", title: "inverse normal CDF", section: "§4.1",
        file: "Sources/NF4/NormalQuantile.swift", suite: "Ex4a_NormalQuantileTests",
        teaches: "Φ⁻¹ to the last bit: a rough start, one Halley step, and symmetry to keep the upper tail accurate",
        reading: "QLoRA (Dettmers et al. 2023) §3 \"4-bit NormalFloat Quantization\" (Q_X); Acklam (2003)",
        difficulty: 2, needs: [],
        dependents: [
            "BERTStoredBitsTests", "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "Ex4b_NF4TableTests", "GoldenOutputTests", "NF4PaperFormulaTests"],
        blanks: [
            """
            // TODO(Exercise 4a): ±∞ at 0 and 1, NaN outside [0, 1]; lowerHalfQuantile(p) up to ½, −lowerHalfQuantile(1 − p) above.
            return p - 0.5
            """,
            """
            // TODO(Exercise 4a): refine x = acklam(p) by one Halley step on cdf(x) − p (the doc comment has the formula).
            return acklam(p)
            """,
        ],
        hint: """
            QLoRA §3 builds NF4 from Q_X, the quantile function of N(0, 1). acklam(p) is a start
            good to 1e-9; one Halley step on f(x) = Φ(x) − p, with u = f(x)·√(2π)·exp(x²/2) and
            x − u / (1 + x·u/2), takes it to the accuracy of erfc. Work only for p ≤ ½ (Φ(x) is
            then small and exact) and use Φ⁻¹(p) = −Φ⁻¹(1 − p) above. Follow the doc comment's
            order: the chapter prints these Doubles to 15 digits.
            """),
    Exercise(
        id: "4b", title: "the NF4 table", section: "§4.2",
        file: "Sources/NF4/NF4Codebook.swift", suite: "Ex4b_NF4TableTests",
        teaches: "NF4's 16 levels from normal quantiles, and bitsandbytes' published table to the bit",
        reading: "QLoRA §3 \"4-bit NormalFloat\"; HF blog \"Making LLMs even more accessible with bitsandbytes, 4-bit quantization and QLoRA\" (2023); bitsandbytes create_normal_map",
        difficulty: 2, needs: ["4a"],
        dependents: [
            "BERTStoredBitsTests", "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 4b): quantiles on both sides, each rounded to Float, plus one 0; sorted; divided by the largest in float32.
            return [Float](repeating: 0, count: useExtraValue ? 16 : 15)
            """,
            """
            // TODO(Exercise 4b): Φ⁻¹ at TorchLinspace.float32(from: Float(offset), to: 0.5, count: count) without its last point.
            return []
            """,
        ],
        hint: """
            QLoRA §3 and bitsandbytes' create_normal_map: 8 positive levels at
            p = linspace(offset, ½, 9) without ½, 7 negative ones −Φ⁻¹ at linspace(offset, ½, 8)
            without ½, and one 0 — so zero is exact and all 16 codes are used. Use bitsandbytes'
            precisions: float32 probabilities (TorchLinspace), Φ⁻¹ in Double, round each level
            to Float, sort, divide by the largest in float32. Dividing in Double moves 6 entries
            by an ulp.
            """),
    Exercise(
        id: "4c", title: "the nearest 4-bit code", section: "§4.4",
        file: "Sources/NF4/BlockwiseQuantizer4.swift", suite: "Ex4c_NearestCodeTests",
        teaches: "nearest-value rounding to a non-uniform table by midpoints, and where bitsandbytes' backends disagree",
        reading: "QLoRA §2 \"Block-wise k-bit Quantization\"; bitsandbytes backends/default/ops.py (torch.bucketize)",
        difficulty: 2, needs: [],
        dependents: [
            "BERTStoredBitsTests", "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "BlockwiseCommandTests", "CodebookTests", "DataTypeComparisonTests", "EdgeCaseTests",
            "Ex7a_DequantizeOnTheFlyTests", "GoldenOutputTests", "MarginTests", "MergeTests",
            "NF4FastPathTests", "NF4ReferenceTests"],
        blanks: [
            """
            // TODO(Exercise 4c): the sorted index by the midpoint rule, mapped through type.sortedCodes; FP4's zero takes the sign of x.
            return type.zeroCode
            """
        ],
        hint: """
            type.nearest.index(of: x) is bucketize over the midpoints (a value on a midpoint takes
            the lower value; indexRoundingTiesUp under .upperCode); it is an index into the
            values in sorted order, so map it through type.sortedCodes. FP4 has two zero codes:
            under .signOfInput a zero gets negativeZeroCode when x < 0 and zeroCode otherwise.
            """),
    Exercise(
        id: "4d", title: "nibble packing", section: "§4.4",
        file: "Sources/NF4/Packing.swift", suite: "Ex4d_PackingTests",
        teaches: "two 4-bit codes per byte in bitsandbytes' order, and the padding of an odd count",
        reading: "bitsandbytes quantize_4bit (backends/default/ops.py): (q[::2] << 4) | q[1::2]",
        difficulty: 1, needs: [],
        dependents: [
            "BERTStoredBitsTests", "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "BlockwiseCommandTests", "DataTypeComparisonTests", "EdgeCaseTests",
            "Ex7a_DequantizeOnTheFlyTests", "Ex7b_BackwardThroughNF4Tests", "GoldenOutputTests",
            "MarginTests", "MergeTests", "NF4FastPathTests", "NF4ReferenceTests"],
        blanks: [
            """
            // TODO(Exercise 4d): byte i = codes[2i] << 4 | codes[2i + 1]; an odd count puts `padding` in the last low nibble.
            return [UInt8](repeating: 0, count: (codes.count + 1) / 2)
            """,
            """
            // TODO(Exercise 4d): code 2i is byte i's high nibble, code 2i + 1 its low nibble; the first `count` codes.
            return [UInt8](repeating: 0, count: count)
            """,
        ],
        hint: """
            bitsandbytes writes (q[::2] << 4) | q[1::2]: the earlier element goes in the HIGH
            nibble. ⌈n/2⌉ bytes; an odd count pads the last low nibble with the code of 0.0 (the
            caller passes it). Unpacking reads byte >> 4 and byte & 0x0F and drops the padding.
            """),
    Exercise(
        id: "4e", title: "double quantization", section: "§4.6",
        file: "Sources/NF4/DoubleQuantization.swift", suite: "Ex4e_DoubleQuantizationTests",
        teaches: "quantizing the quantization constants: 0.5 → 0.127 bits per weight for almost no error",
        reading: "QLoRA §3 \"Double Quantization\"",
        difficulty: 2, needs: ["5a", "5b"],
        dependents: [
            "BERTStoredBitsTests", "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "BlockwiseCommandTests", "EdgeCaseTests", "Ex7a_DequantizeOnTheFlyTests",
            "GoldenOutputTests", "MarginTests", "MergeTests", "NF4ReferenceTests"],
        blanks: [
            """
            // TODO(Exercise 4e): offset = TorchSum.mean(absmax); quantize absmax − offset with BlockwiseQuantizer8 (blocks of 256, DynamicMap.signed).
            return DoubleQuantizedAbsmax(
                offset: 0,
                quantized: try QuantizedBlockwise8(
                    shape: [absmax.count], blockSize: blockSize, code: [0], codes: [UInt8](repeating: 0, count: absmax.count),
                    absmax: [Float](repeating: 0, count: (absmax.count + blockSize - 1) / blockSize)))
            """,
            """
            // TODO(Exercise 4e): (code[codes[b]] · c₁[b / 256]) + offset for every block b.
            return [Float](repeating: 0, count: quantized.count)
            """,
        ],
        hint: """
            QLoRA §3 "Double Quantization": the absmax values are a tensor of their own. Subtract
            their mean (they are all positive and bunched; centred, they use both halves of the
            signed map), quantize blockwise to 8 bits with Chapter 5's BlockwiseQuantizer8, blocks
            of 256 and DynamicMap.signed, and keep the mean as the offset. The mean must be
            TorchSum.mean — PyTorch's summation order — to match bitsandbytes' offset bit for bit.
            Decompressing adds the offset back to quantized.dequantize().
            """),
    Exercise(
        id: "4f", title: "bits per parameter", section: "§4.6",
        file: "Sources/NF4/MemoryArithmetic.swift", suite: "Ex4f_MemoryArithmeticTests",
        teaches: "what the constants cost per weight, and how a 65B model falls to 33.5 GB",
        reading: "QLoRA §3, the end of \"Double Quantization\"",
        difficulty: 1, needs: [],
        dependents: [
            "BERTStoredBitsTests", "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "Ex7c_MemoryTests", "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 4f): one float32 absmax per block: 32 / blockSize bits per parameter.
            return 0
            """,
            """
            // TODO(Exercise 4f): an 8-bit code per block plus a float32 per secondBlockSize blocks.
            return 0
            """,
            """
            // TODO(Exercise 4f): the float32 constants' bits minus the double-quantized ones'.
            return 0
            """,
            """
            // TODO(Exercise 4f): parameters · bitsPerParameter / 8.
            return 0
            """,
        ],
        hint: """
            QLoRA §3 works it out: a float32 absmax per block of 64 costs 32/64 = 0.5 bits per
            parameter; double-quantized, an 8-bit code per block plus one float32 per 256 blocks
            costs 8/64 + 32/(64·256) ≈ 0.127. The saving, 0.373 bits, is about 3 GB at 65B.
            Bytes = parameters · bits / 8.
            """),
]
