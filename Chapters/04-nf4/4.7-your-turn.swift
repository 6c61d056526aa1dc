import Book

/// §4.7: the chapter's exercises and the CLI commands to try on your own tensors.
func yourTurnSection(_ book: Notebook) {
    book.section("4.7", "Your turn")
    book.say(
        """
        Exercises 4a-4f write the functions this chapter ran: 4a the inverse normal CDF, 4b
        the NF4 table, 4c the nearest 4-bit code, 4d nibble packing, 4e double quantization,
        4f the bits per parameter. `scripts/exercise start 4a` blanks one, `scripts/exercise
        check 4a` runs its tests and `scripts/exercise hint 4a` says what to read.
        NF4ReferenceTests compare the whole pipeline with bitsandbytes 0.50.2 bit for bit.
        Appendix A, after this section, shows where bitsandbytes' own backends disagree.

        Try it on your own tensors (`lowbit codebook NAME` prints a table, line i = code i,
        for nf4, fp4, int4, dynamic8-signed and dynamic8-unsigned):
        """)
    print("    lowbit codebook nf4")
    print("    lowbit quantize --scheme nf4 --block-size 64 --double-quant W.npy \\")
    print("        --dequantized W4.npy --codes C.npy --absmax A.npy --json")
}
