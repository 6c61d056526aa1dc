import Book
import Core
import NF4

/// §4.2, continued: QLoRA's equation (4) taken literally, its 15 finite levels beside
/// bitsandbytes' table, and its round-trip MSE beside NF4, FP4 and Int4.
func paperFormulaSection(_ book: Notebook, _ normalX: [Float], blockSize: Int) {
    let terms = NF4Codebook.paperEquationTerms()
    let table = NF4Codebook.paperFormulaTable()
    book.say(
        """
        QLoRA's §3 prints a different construction, equation (4): each level is the mean of two
        neighbouring quantiles, q_i = ½(Q_X(i/(2^k + 1)) + Q_X((i + 1)/(2^k + 1))), i = 0 …
        2^k − 1, then normalized into [−1, 1]. With k = 4 (NF4Codebook.paperEquationTerms): 16
        terms, but q_0 = ½(Q_X(0) + Q_X(1/17)) = −∞, because Q_X(0) = −∞. The 15 finite ones
        are exactly symmetric, q_i = −q_(16−i), so the middle one is an exact 0; divided by
        the largest, q_15 = \(Fmt.f(terms[15], 4))σ, they give 15 levels \
        (NF4Codebook.paperFormulaTable):
        """)
    book.table(
        ["i", "bin (probability)", "q_i (σ units)", "q_i / q_15", "NF4 (bitsandbytes) code i"],
        (0..<16).map { i in
            [
                String(i), "\(i)/17 … \(i + 1)/17", terms[i].isFinite ? Fmt.f(terms[i], 6) : "-∞",
                i == 0 ? "(dropped)" : Fmt.f(Double(table[i - 1]), 8),
                Fmt.f(Double(NF4Codebook.table[i]), 8),
            ]
        }, leftAligned: [0, 1])
    print()
    let paperType = book.attempt("the paper-formula table") {
        try FourBitDataType(name: "nf4-paper", values: table)
    }
    let rows: [(name: String, levels: Int, type: FourBitDataType)] = [
        ("NF4 (bitsandbytes, published)", 16, .nf4), ("QLoRA eq. (4), finite terms", 15, paperType),
        ("FP4 (bitsandbytes)", 16, .fp4), ("Int4", 15, .int4),
    ]
    let mse = rows.map { row in
        Statistics.mse(
            normalX,
            book.attempt("round trip") {
                try BlockwiseQuantizer4.Fast.roundTrip(
                    normalX, type: row.type, blockSize: blockSize)
            })
    }
    book.say(
        """
        Its levels sit closer to 0 than bitsandbytes' (±1 is \(Fmt.f(terms[15], 3))σ, not \
        \(Fmt.f(StandardNormal.quantile(NF4Codebook.offset), 3))σ), and it has no extra 16th \
        value: read literally, the formula gives a symmetric 15-level type with an exact zero.
        (The paper's next paragraph, two ranges of 2^(k−1) negative and 2^(k−1) + 1 positive
        quantiles with one zero removed, is the 16-level shape bitsandbytes builds — without
        averaging.) Round-trip MSE on the same \(normalX.count) normal weights, blocks of \
        \(blockSize):
        """)
    book.table(
        ["table", "levels", "MSE", "relative to NF4"],
        rows.indices.map { i in
            [rows[i].name, String(rows[i].levels), Fmt.e(mse[i], 4), Fmt.f(mse[i] / mse[0], 4)]
        })
    print()
    book.say(
        """
        The paper's formula does \(mse[1] < mse[0] ? "better" : "worse") than the published \
        table on these weights (\(Fmt.f(100 * (mse[1] / mse[0] - 1), 1))%, with one level \
        fewer; it does better than bitsandbytes' own 15-level variant in the offset table), and
        both beat FP4 and Int4. Everything after this section — Exercise 4b, the quantizer,
        the reference tests — uses bitsandbytes' published table, because that is
        what QLoRA's models were quantized with.
        """)
}
