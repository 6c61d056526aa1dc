/// Chapter 5 — blockwise 8-bit quantization, 8-bit Adam and paged optimizers (modules
/// Blockwise8 and Optimizers).
let chapter5Exercises: [Exercise] = [
    Exercise(
        id: "5a", title: "the dynamic map", section: "§5.1",
        file: "Sources/Blockwise8/DynamicMap.swift", suite: "Ex5a_DynamicMapTests",
        teaches: "bitsandbytes' dynamic 8-bit type: each leading zero trades a bit of precision for a decade of range",
        reading: "Dettmers et al., \"8-bit Optimizers via Block-wise Quantization\" (ICLR 2022), §2 \"Dynamic Quantization\"",
        difficulty: 2, needs: [], dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "Adam8bitReferenceTests", "Adam8bitTrainingTests", "OptimizerTrainingRunTests",
            "BlockwiseCommandTests",
            "Ex4e_DoubleQuantizationTests", "Ex5c_Adam8bitStepTests", "Ex7a_DequantizeOnTheFlyTests",
            "Ex7b_BackwardThroughNF4Tests", "GoldenOutputTests", "MergeTests", "NF4ReferenceTests",
        ],
        blanks: [
            """
            // TODO(Exercise 5a): per decade the centres of linspace(0.1, 1, n + 1) (± if signed); add 0 and 1; sort.
            return [Float](repeating: 0, count: 256)
            """
        ],
        hint: """
            Read the paper's figure of the dynamic type (sign, E zeros, an indicator bit, F
            fraction bits), then build it the way bitsandbytes' create_dynamic_map does, decade by
            decade: for step i the decade is 10^(i − (E − 1)), its n levels are the centres
            (b[k] + b[k+1]) / 2 of b = TorchLinspace.float32(from: 0.1, to: 1, count: n + 1),
            times the decade rounded to Float (decadeScale); n doubles per step and an unsigned
            map has twice as many. Signed maps add the negated levels too. Append 0 and 1, pad to
            256 with zeros, sort. Keep every operation in Float or a few entries land one ulp off.
            """),
    Exercise(
        id: "5b", title: "blockwise quantization", section: "§5.2",
        file: "Sources/Blockwise8/Blockwise8.swift", suite: "Ex5b_BlockwiseQuantizeTests",
        teaches: "one absmax per block keeps an outlier from coarsening the whole tensor",
        reading: "Dettmers et al., \"8-bit Optimizers via Block-wise Quantization\" (ICLR 2022), §2 \"Block-wise Quantization\"",
        difficulty: 2, needs: [], dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "Adam8bitReferenceTests", "Adam8bitTrainingTests", "OptimizerTrainingRunTests",
            "BlockwiseCommandTests",
            "Ex4e_DoubleQuantizationTests", "Ex5c_Adam8bitStepTests", "Ex7a_DequantizeOnTheFlyTests",
            "Ex7b_BackwardThroughNF4Tests", "GoldenOutputTests", "MergeTests", "NF4ReferenceTests",
        ],
        blanks: [
            """
            // TODO(Exercise 5b): per block: absmax, x·(1/absmax) (short last block: x/absmax), clamp, nearest code.
            return ([UInt8](repeating: 0, count: x.count), [Float](repeating: 0, count: layout.blockCount))
            """
        ],
        hint: """
            The paper's N_b = max |x| over block b, then q = argmin |code − x / N_b|. Use the
            helpers: BlockScaling.absmax of the block's slice; a full block stores its absmax and
            multiplies by BlockScaling.reciprocal(ofAbsmax:); the short last block
            (layout.isPartial) divides by BlockScaling.clampedAbsmax and stores that clamped
            value. Clamp with BlockScaling.clampToUnit and take nearest.index(of:). Multiply
            versus divide looks like a detail, but it is what bitsandbytes' PyTorch kernel does,
            and it moves a value across a midpoint now and then.
            """),
    Exercise(
        id: "5c", title: "one 8-bit Adam step", section: "§5.3",
        file: "Sources/Optimizers/Adam8bit.swift", suite: "Ex5c_Adam8bitStepTests",
        teaches: "an 8-bit optimizer is 32-bit Adam between a dequantize and a requantize with fresh absmax",
        reading: "Dettmers et al., \"8-bit Optimizers via Block-wise Quantization\" (ICLR 2022), §2; Loshchilov & Hutter, \"Decoupled Weight Decay Regularization\" (ICLR 2019), Algorithm 2",
        difficulty: 1, needs: ["5a", "5b"], dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "Adam8bitReferenceTests", "Adam8bitTrainingTests", "OptimizerTrainingRunTests",
            "GoldenOutputTests",
        ],
        blanks: [
            """
            // TODO(Exercise 5c): dequantize m and v, AdamUpdate.apply on p, m, v, store the requantized state.
            // (Until then the step changes nothing: the parameter and the state stay as they are.)
            """
        ],
        hint: """
            Three lines. state.firstMoment.dequantize() and state.secondMoment.dequantize() give
            m and v in float32; AdamUpdate.apply updates p, m and v exactly as 32-bit AdamW does;
            BlockwiseAdamState.quantized(m:v:) stores them again (m with the signed map, v with
            the unsigned one), computing a fresh absmax for every block. Why must the absmax be
            recomputed each step rather than kept from the last one?
            """),
    Exercise(
        id: "5d", title: "evict least-recently-used pages", section: "§5.4",
        file: "Sources/Optimizers/PagedStateStore.swift", suite: "Ex5d_PagingEvictionTests",
        teaches: "paged optimizer states: under memory pressure the least recently used pages leave for host memory",
        reading: "Dettmers et al., \"QLoRA\" (2023), §3 \"Paged Optimizers\"; CUDA Programming Guide, \"Unified Memory\" (oversubscription)",
        difficulty: 2, needs: [], dependents: [
            "ContractMatrixTests", "FiniteOutputCommandTests", "HardeningCommandTests",
            "GoldenOutputTests", "PagingSimulationTests"],
        blanks: [
            """
            // TODO(Exercise 5d): while memory.free < bytes, evict the least-recently-used unpinned page to host.
            // (Until then nothing is evicted: the allocation that follows throws OutOfMemoryError.)
            """
        ],
        hint: """
            Loop while memory.free < bytes. Each round, pick the victim among device.keys that
            are not in pinned: the smallest lastUse (ties: the smaller page id). Move its bytes
            from device to host, memory.release(pageSize, for: .optimizerState) and count
            pagesToHost. When no page is left to evict, return — never loop without freeing
            something: the allocation that follows reports the out-of-memory error.
            """),
]
