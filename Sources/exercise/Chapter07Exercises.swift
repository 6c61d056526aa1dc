/// Chapter 7 — QLoRA: LoRA adapters on a frozen 4-bit base (module QLoRA).
let chapter7Exercises: [Exercise] = [
    Exercise(
        id: "7a", title: "dequantize the 4-bit weight on the fly", section: "§7.2",
        file: "Sources/QLoRA/NF4Linear.swift", suite: "Ex7a_DequantizeOnTheFlyTests",
        teaches: "what QLoRA's storage and computation types mean: 4-bit codes back to float32 for one product",
        reading: "QLoRA (Dettmers et al. 2023) §3, eq. 5 and the paragraph after it; bitsandbytes `dequantize_4bit`",
        difficulty: 1, needs: ["4e"], dependents: ["ComputeTypeTests", "Ex7b_BackwardThroughNF4Tests", "GoldenOutputTests", "MarginTests", "MergeTests"],
        blanks: [
            """
            // TODO(Exercise 7a): Ŵ[i] = weight.type.values[nibble i] · weight.constants.absmax[i / blockSize], high nibble first.
            return [Float](repeating: 0, count: weight.count)
            """
        ],
        hint: """
            QLoRA §3: "whenever a QLoRA weight tensor is used, we dequantize the tensor … and then
            perform a matrix multiplication". It is Chapter 4's QuantizedBlockwise4.dequantize
            written out: weight.constants.absmax undoes the double quantization (one float absmax
            per block); element i's code is the high nibble of packed[i / 2] for even i, the low
            one for odd i; multiply its NF4 value by absmax[i / blockSize] — one product, nothing
            else, so the bits match Chapter 4's. Why must this run in every forward pass rather
            than once at load time?
            """),
    Exercise(
        id: "7b", title: "backward through the frozen 4-bit weight", section: "§7.3",
        file: "Sources/QLoRA/NF4Linear.swift", suite: "Ex7b_BackwardThroughNF4Tests",
        teaches: "why a frozen 4-bit layer still needs a backward pass: the adapters below it learn through dx",
        reading: "QLoRA §3 (\"we only compute the gradient for the adapter weights\"); bitsandbytes `MatMul4Bit.backward`",
        difficulty: 1, needs: ["6d", "6e", "7a"], dependents: ["ComputeTypeTests", "GoldenOutputTests", "MarginTests"],
        blanks: [
            """
            // TODO(Exercise 7b): dx = dy · Ŵ (Ŵ = dequantizedWeight(), Matmul.product), shaped like x; no dW, no db.
            return Tensor(shape: x.shape)
            """
        ],
        hint: """
            QLoRA §3: "we only compute the gradient for the adapter weights ∂E/∂L_i and not for the
            4-bit weights ∂E/∂W. However, the calculation of ∂E/∂L_i entails the calculation of
            ∂X/∂W". It is a Linear layer's dx = dy · W (Exercise 6a) with W dequantized again —
            Matmul.product(dy, Ŵ, m: rows, k: out, n: in) — and without the dW and db lines.
            Why is dx needed when nothing in this layer trains? (See the test
            gradientReachesAnAdapterBelowAFrozenFourBitLayer.)
            """),
    Exercise(
        id: "7c", title: "the memory of QLoRA on a 65B model", section: "§7.4",
        file: "Sources/QLoRA/QLoRAMemory.swift", suite: "Ex7c_MemoryTests",
        teaches: "where the bytes of a fine-tuning run go, and why 65B fits in 48 GB only with 4-bit weights",
        reading: "QLoRA §1 (\"from >780GB to <48GB\"), §3 (paged optimizers) and Figure 1; qlora.py's defaults",
        difficulty: 2, needs: ["4f"], dependents: ["GoldenOutputTests"],
        blanks: [
            """
            // TODO(Exercise 7c): five parts in bytes: 4-bit + bf16 base, bf16 adapters and gradients, states per adapter tensor, checkpointed activations.
            return Breakdown(baseWeights: 0, adapters: 0, gradients: 0, optimizerStates: 0, activations: 0)
            """
        ],
        hint: """
            Count five parts, as the doc comment of qlora lists them: the block linear weights at
            NF4 + double quantization (MemoryArithmetic.totalBytes(…, storage: .nf4DoubleQuant))
            and every other weight at 2 bytes; the adapters — A is r × d_in, B is d_out × r for
            each targeted matrix (targetedMatrices) of each layer — at 2 bytes, their gradients
            the same; the optimizer states per adapter *tensor* (Adam8bitRule().stateBytes keeps
            small tensors in float32), or 8 bytes per value for 32-bit states; and the
            activations (checkpointedActivationBytes) — they are never zero. Which part would you
            shrink next if the total were 50 GB?
            """),
]
