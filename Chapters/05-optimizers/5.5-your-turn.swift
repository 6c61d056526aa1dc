import Book

/// §5.5: the chapter's exercises and the CLI commands to try on your own tensors.
func yourTurnSection(_ book: Notebook) {
    book.section("5.5", "Your turn")
    book.say(
        """
        Exercises (the exercise tool: `exercise list`, then `exercise start 5a`, `check 5a`,
        `hint 5a`, `reset 5a`): 5a the dynamic map and 5b blockwise quantization in
        Sources/Blockwise8, 5c one 8-bit Adam step (it builds on 5a and 5b) and 5d LRU page
        eviction in Sources/Optimizers. Each exercise's suite is named after it (swift test
        --filter Ex5a_); they compare the maps, the blockwise codes and five 8-bit Adam
        steps with bitsandbytes 0.50.2 bit for bit.

        Try it on your own tensors:
        """)
    print("    lowbit codebook dynamic8-signed")
    print("    lowbit quantize --scheme dynamic8 --block-size 256 M.npy \\")
    print("        --dequantized M8.npy --codes C.npy --absmax A.npy --json")
}
