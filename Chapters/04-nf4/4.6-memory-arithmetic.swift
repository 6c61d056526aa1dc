import Book
import NF4

/// §4.6, continued: QLoRA's memory arithmetic for double quantization, and whole models in
/// fp16, LLM.int8(), NF4 and NF4 with double quantization.
func memoryArithmeticSection(_ book: Notebook) {
    let bits = MemoryArithmetic.constantBitsPerParameter()
    let dqBits = MemoryArithmetic.doubleQuantizedConstantBitsPerParameter()
    let saving = MemoryArithmetic.doubleQuantizationSavingBitsPerParameter()
    let saving65B = MemoryArithmetic.gigabytes(
        MemoryArithmetic.bytes(
            parameters: MemoryArithmetic.parameters65B, bitsPerParameter: saving))
    book.say("The memory arithmetic of QLoRA §3, computed (MemoryArithmetic):")
    book.table(
        ["quantity", "formula", "bits per parameter"],
        [
            ["constants, float32 per block of 64", "32/64", Fmt.f(bits, 6)],
            ["double-quantized constants", "8/64 + 32/(64·256)", Fmt.f(dqBits, 6)],
            ["saving", "difference", Fmt.f(saving, 6)],
        ])
    print()
    print(
        "saving for a 65B model: 65e9 × \(Fmt.f(saving, 6)) / 8 bytes = "
            + "\(Fmt.f(saving65B, 2)) GB")
    print()
    book.say(
        """
        Whole models, weights only (every parameter quantized; real checkpoints keep norms and
        often embeddings in 16 bits), decimal GB. Int8 is what transformers' load_in_8bit
        stores, LLM.int8() (Chapter 3): an int8 code per weight and one float32 scale per
        output row (bitsandbytes' SCB), 8 + 32/4096 bits for rows of 4096 inputs (LLaMA-7B's
        hidden size; longer rows cost less). Its outlier columns cost no storage: they are
        picked from the activations at run time, and their weights come from the same int8
        codes.
        """)
    /// Decimal GB of a model's weights stored as `storage`.
    func gigabytes(_ parameters: Int, _ storage: MemoryArithmetic.Storage) -> Double {
        MemoryArithmetic.gigabytes(
            MemoryArithmetic.totalBytes(parameters: parameters, storage: storage))
    }
    book.table(
        ["storage", "bits/param", "7B (GB)", "65B (GB)"],
        MemoryArithmetic.Storage.allCases.map { s in
            [
                s == .int8 ? "int8 (LLM.int8)" : s.rawValue, Fmt.f(s.bitsPerParameter, 4),
                Fmt.f(gigabytes(MemoryArithmetic.parameters7B, s), 2),
                Fmt.f(gigabytes(MemoryArithmetic.parameters65B, s), 2),
            ]
        })
    print()
    book.say(
        """
        A 65B model falls from \(Fmt.f(gigabytes(MemoryArithmetic.parameters65B, .fp16), 0)) GB \
        in fp16 to \(Fmt.f(gigabytes(MemoryArithmetic.parameters65B, .nf4DoubleQuant), 1)) GB in \
        NF4 with double quantization — the weights of the paper's 65B fine-tune on one 48 GB
        GPU, with room left for LoRA adapters, activations and (paged) optimizer states
        (Chapter 7).
        """)
}
