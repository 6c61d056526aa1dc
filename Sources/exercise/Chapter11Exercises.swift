/// Chapter 11 — GGUF and llama.cpp's block formats (module GGML).
let chapter11Exercises: [Exercise] = [
    Exercise(
        id: "11a", title: "Q8_0's block", section: "§11.1",
        file: "Sources/GGML/Q8_0.swift", suite: "Ex11a_Q8_0BlockTests",
        teaches: "the simplest llama.cpp block: d = absmax / 127 in float32, codes roundf(x / d) as int8",
        reading: "llama.cpp ggml/src/ggml-quants.c quantize_row_q8_0_ref; ggml-common.h block_q8_0",
        difficulty: 1, needs: [],
        dependents: [
            "BERTStoredBitsTests", "ContractMatrixTests", "FiniteOutputCommandTests",
            "GGMLPropertyTests", "GGMLQuantizeCommandTests", "GGMLReferenceTests",
            "GGUFCommandTests", "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 11a): amax = max |x|; d = amax / 127; id = d ≠ 0 ? 1 / d : 0; code = roundf(x · id) as Int8.
            return (0, [Int8](repeating: 0, count: block.count))
            """
        ],
        hint: """
            quantize_row_q8_0_ref takes the block's largest magnitude amax, sets d = amax / 127
            in float32 and multiplies by id = 1 / d (0 for an all-zero block) — the float32 d,
            before it is rounded to the fp16 the block stores. roundf rounds halves away from
            zero: Swift's .rounded(), not .toNearestOrEven. No code needs clamping: |x| ≤ amax.
            """),
    Exercise(
        id: "11b", title: "Q4_0's scale and codes", section: "§11.1",
        file: "Sources/GGML/Q4_0.swift", suite: "Ex11b_Q4_0ScaleTests",
        teaches: "d = (signed value of largest magnitude) / −8: the largest value lands exactly on code 0",
        reading: "llama.cpp ggml/src/ggml-quants.c quantize_row_q4_0_ref; ggml-common.h block_q4_0",
        difficulty: 1, needs: [],
        dependents: [
            "BERTStoredBitsTests", "ContractMatrixTests", "FiniteOutputCommandTests",
            "GGMLPropertyTests", "GGMLQuantizeCommandTests", "GGMLReferenceTests",
            "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 11b): m = the value of largest |x| with its sign (first on a tie); d = m / −8; code = min(15, Int(x / d + 8.5)).
            return (0, [UInt8](repeating: 8, count: block.count))
            """
        ],
        hint: """
            Keep the sign of the value of largest magnitude (the first one wins a tie: the C
            replaces it only when amax < fabsf(v)) and divide it by −8: that value maps to code
            0 exactly, and the grid −8 … 7 puts its lonely extra step on that side. Each code
            is (int8_t)(x · id + 8.5) — a truncation, so rounding half up — then MIN(15, ·).
            """),
    Exercise(
        id: "11c", title: "the 6-bit scale packing of Q4_K", section: "§11.4",
        file: "Sources/GGML/ScaleMinPacking.swift", suite: "Ex11c_ScaleMinPackingTests",
        teaches: "sixteen 6-bit numbers in 12 bytes: the low six bits of bytes 0–7, nibbles in 8–11, the top two bits in the spare bits 6–7",
        reading: "llama.cpp ggml/src/ggml-quants.c quantize_row_q4_K_ref (the packing loop) and get_scale_min_k4",
        difficulty: 2, needs: [],
        dependents: [
            "BERTStoredBitsTests", "ContractMatrixTests", "FiniteOutputCommandTests",
            "GGMLQuantizeCommandTests", "GGMLReferenceTests", "GoldenOutputTests",
            "KQuantSearchTests"],
        blanks: [
            """
            // TODO(Exercise 11c): j < 4: bytes[j] = sc[j], bytes[j+4] = m[j]; j ≥ 4: bytes[j+4] = sc[j] & 15 | (m[j] & 15) << 4, top two bits into bits 6–7 of bytes[j−4] (sc) and bytes[j] (m).
            return [UInt8](repeating: 0, count: 12)
            """
        ],
        hint: """
            Read get_scale_min_k4 backwards. For j < 4 the scale is q[j] & 63 and the min
            q[j + 4] & 63: store them whole. For j ≥ 4 the scale is (q[j + 4] & 0xF) | ((q[j − 4]
            >> 6) << 4) and the min (q[j + 4] >> 4) | ((q[j] >> 6) << 4): the low nibbles share
            byte j + 4, and the top two bits go into bits 6–7 of bytes j − 4 and j, which the
            first four scales and mins (6 bits each) leave free. Pad missing values with 0.
            """),
    Exercise(
        id: "11d", title: "MXFP4's shared exponent", section: "§11.3",
        file: "Sources/GGML/MXFP4.swift", suite: "Ex11d_MXFP4ExponentTests",
        teaches: "E8M0: one power of two per 32 values, chosen so the largest lands in E2M1's top binade",
        reading: "OCP Microscaling Formats (MX) v1.0 §6.3; llama.cpp ggml-quants.c quantize_row_mxfp4_ref",
        difficulty: 1, needs: [],
        dependents: [
            "BERTStoredBitsTests", "ContractMatrixTests", "FiniteOutputCommandTests",
            "GGMLPropertyTests", "GGMLQuantizeCommandTests", "GGMLReferenceTests",
            "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 11d): e = amax > 0 ? floor(log2(amax)) − 2 + 127 (as UInt8) : 0.
            return 127
            """
        ],
        hint: """
            E2M1's largest value, 6 = 1.5 · 2², sits two binades above 1, so the shared scale is
            2^(floor(log2 amax) − 2): amax / scale lands in [4, 8). E8M0 stores that exponent
            with bias 127 and no sign or mantissa; an all-zero block stores 0.
            """),
    Exercise(
        id: "11e", title: "IQ4_NL's nearest table entry", section: "§11.3",
        file: "Sources/GGML/IQ4_NL.swift", suite: "Ex11e_IQ4NLNearestTests",
        teaches: "a non-uniform 4-bit grid is a sorted table: bisection, and the upper entry wins a tie",
        reading: "llama.cpp ggml/src/ggml-quants.c best_index_int8 and kvalues_iq4nl (ggml-common.h)",
        difficulty: 1, needs: [],
        dependents: [
            "BERTStoredBitsTests", "ContractMatrixTests", "FiniteOutputCommandTests",
            "GGMLQuantizeCommandTests", "GGMLReferenceTests", "GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 11e): clamp to the ends; bisect the sorted table; the lower neighbour only if strictly nearer.
            return 8
            """
        ],
        hint: """
            best_index_int8 returns 0 at or below the first value and 15 at or above the last;
            otherwise it bisects until two neighbours bracket x and returns the lower one only
            when x − values[lower] < values[upper] − x: an exact midpoint goes up.
            """),
]
