import Book
import NF4
import Plot

/// §4.3: bitsandbytes' FP4 and the Int4 grid beside NF4, code by code, and on one axis.
func codebooksSection(_ book: Notebook) {
    book.section("4.3", "FP4 and Int4 beside NF4")
    book.say(
        """
        QLoRA compares NF4 with a 4-bit float (§4, Table 2: FP4 with 2 exponent bits and 1
        mantissa bit). bitsandbytes' FP4 is its own E2M1 variant, listed in code order: bit 3
        the sign, exponent 00 gives 0 and 0.0625, other exponents (1 + m/2)·2^(4−e), all
        divided by 12. It has two zeros (0b0000 and 0b1000) and a tiny level 0.0052. Int4 is
        Chapter 2's absmax grid with 7 in place of 127: (c − 7)/7, 15 levels, code 15 unused.
        Code by code:
        """)
    book.table(
        ["code", "bits", "NF4", "FP4 (bitsandbytes)", "Int4 (c − 7)/7"],
        (0..<16).map { code in
            [
                String(code), Fmt.bitString(UInt8(code), bits: 4),
                Fmt.f(Double(NF4Codebook.table[code]), 4),
                Fmt.f(Double(FP4Codebook.table[code]), 4),
                code < Int4Grid.table.count ? Fmt.f(Double(Int4Grid.table[code]), 4) : "(unused)",
            ]
        })
    print()
    book.figure(
        Charts.strip(
            title: "NF4 thins out toward ±1; FP4 stacks 4 codes at 0",
            xLabel: "value (fraction of the block absmax)",
            series: [
                ("nf4", NF4Codebook.table.map(Double.init)),
                ("fp4", FP4Codebook.table.map(Double.init)),
                ("int4", Int4Grid.table.map(Double.init)),
            ], xRange: -1.05...1.05),
        "codebooks", caption: "the values of the three 4-bit tables on [-1, 1]")
    print()
}
