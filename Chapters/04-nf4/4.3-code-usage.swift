import Book
import Core
import NF4
import Plot

/// §4.3, continued: how often normal weights land on each level of each type, and the
/// entropy of the codes.
func codeUsageSection(_ book: Notebook, _ normalX: [Float], blockSize: Int) {
    /// usage[k]: fraction of the weights coded to the k-th smallest level of `type`.
    func levelUsage(_ type: FourBitDataType) -> [Double] {
        let codes = book.attempt("quantize") {
            try BlockwiseQuantizer4.Fast.quantize(normalX, type: type, blockSize: blockSize).codes
        }
        var counts = [Int](repeating: 0, count: 16)
        for c in codes { counts[Int(c)] += 1 }
        return type.sortedCodes.map { Double(counts[Int($0)]) / Double(codes.count) }
    }
    /// Entropy in bits of a distribution over codes: 4 bits when all 16 are equally used.
    func entropy(_ p: [Double]) -> Double {
        p.reduce(0) { $0 - ($1 > 0 ? $1 * Math.log2($1) : 0) }
    }
    let (nf4, fp4, int4) = (levelUsage(.nf4), levelUsage(.fp4), levelUsage(.int4))
    book.say(
        """
        What each type does with normal weights (blocks of \(blockSize)): the share of the \
        weights that land on each level, smallest level first. A code that is never used is a
        wasted sixteenth; the entropy of the codes says how many of the 4 bits carry
        information.
        """)
    let percent = { (x: Double) in Fmt.f(100 * x, 2) }
    book.table(
        ["level (ascending)", "NF4 %", "FP4 %", "Int4 %"],
        (0..<16).map { k in
            [String(k + 1), percent(nf4[k]), percent(fp4[k]), k < 15 ? percent(int4[k]) : "-"]
        }
            + [
                [
                    "entropy (bits)", Fmt.f(entropy(nf4), 3), Fmt.f(entropy(fp4), 3),
                    Fmt.f(entropy(int4), 3),
                ]
            ])
    print()
    let fp4NearZero = fp4[6..<10].reduce(0, +)
    let blocks = normalX.count / blockSize
    let meanAbsmaxSigma =
        (0..<blocks).map { b in
            Double(Statistics.absmax(Array(normalX[(b * blockSize)..<((b + 1) * blockSize)])))
        }.reduce(0, +) / Double(blocks) / 0.02
    book.say(
        """
        NF4 comes closest to 4 bits (\(Fmt.f(entropy(nf4), 3))). Its levels were cut for \
        N(0, 1) scaled so that ±1 = 1.848σ, but the absmax of a block of 64 normal weights is \
        on average \(Fmt.f(meanAbsmaxSigma, 2))σ: the scaled weights are narrower than NF4 \
        assumes, so the outer levels are used less than 1/16 (\(Fmt.f(100 * nf4[0], 1))% and \
        \(Fmt.f(100 * nf4[15], 1))%) and the inner ones more (up to \
        \(Fmt.f(100 * nf4.max()!, 1))%). FP4 spends four codes (±0 and ±0.0052) on the band \
        around zero, which together take \(Fmt.f(100 * fp4NearZero, 1))% of the weights; Int4 \
        leaves code 15 unused.
        """)
    book.figure(
        Charts.bar(
            title: "NF4 uses its 16 codes most evenly",
            xLabel: "level, smallest to largest",
            yLabel: "% of normal weights (blocks of \(blockSize))",
            categories: (1...16).map(String.init),
            series: [
                ("nf4", nf4.map { 100 * $0 }), ("fp4", fp4.map { 100 * $0 }),
                ("int4", Array(int4.prefix(15)).map { 100 * $0 }),
            ],
            annotations: [.horizontal(100.0 / 16, label: "1/16")]),
        "code-usage", caption: "share of N(0, 0.02^2) weights on each level, per type")
    print()
}
