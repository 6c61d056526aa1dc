import Book

/// 7.7: the exercises of this chapter and the command line.
func exercisesSection(_ book: Notebook) {
    book.section("7.7", "Exercises and the command line")
    book.say(
        """
        Exercises (the exercise tool lists, blanks, checks and restores them; exercise hint 7a shows
        what to read): 7a dequantize the 4-bit weight on the fly (NF4Linear.dequantizedWeight, 7.1
        and 7.2), 7b backward through the frozen 4-bit weight (NF4Linear.backward, every step of
        7.3), 7c the memory of QLoRA on a 65B model (QLoRAMemory.qlora, the LLaMA-65B table of 7.4).
        Their test suites are Ex7a_, Ex7b_ and Ex7c_. MarginTests pins the margin of QLoRA against
        LoRA on a small network.

        A float adapter merges with lowbit lora merge --base W.npy --lora-a A.npy --lora-b B.npy
        --alpha 16 --out M.npy. For a 4-bit base, dequantize first (W.npy = dequant(W_NF4), as
        QLoRALinear.mergedLinear does); quantize M.npy again with lowbit quantize only if you accept
        the cost measured in 7.5.
        """)
}
