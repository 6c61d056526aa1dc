import Book
import NF4
import Plot

/// §4.5, continued: the round-trip errors themselves at the default block size — RMS, worst,
/// exact — and their histograms on shared bins.
func errorHistogramSection(_ book: Notebook, _ normalX: [Float], blockSize: Int) {
    let types: [FourBitDataType] = [.nf4, .fp4, .int4]
    let errors: [[Double]] = types.map { type in
        let xHat = book.attempt("round trip") {
            try BlockwiseQuantizer4.Fast.roundTrip(normalX, type: type, blockSize: blockSize)
        }
        return zip(xHat, normalX).map { Double($0 - $1) }
    }
    let rms = errors.map { e in (e.reduce(0) { $0 + $1 * $1 } / Double(e.count)).squareRoot() }
    let worst = errors.map { e in e.map(abs).max()! }
    let exact = errors.map { e in e.filter { $0 == 0 }.count }
    book.say("The errors themselves, normal weights in blocks of \(blockSize):")
    book.table(
        ["type", "RMS error", "largest |error|", "exact (error 0)"],
        types.indices.map { i in
            [types[i].displayName, Fmt.e(rms[i], 3), Fmt.e(worst[i], 3), String(exact[i])]
        })
    print()
    book.say(
        """
        NF4 wins on the typical error and loses on the worst: its steps are fine near zero,
        where most weights are, and wide at the ends (0.723 → 1, a step of 0.277 of the
        absmax, against Int4's 0.143), so a weight between its two outer levels can be off by
        0.139 · absmax. Int4's error never exceeds half its uniform step. The \(exact[0]) \
        exact values are the blocks' absmax weights (\(normalX.count / blockSize) blocks), \
        which every type stores exactly as ±1 · absmax.
        """)
    let limit = (worst.max()! * 1.02 * 1000).rounded(.up) / 1000
    book.figure(
        Charts.histogram(
            title: "NF4: smallest RMS error; Int4: shortest tails",
            xLabel: "dequantized - original weight (σ of the weights = 0.02)",
            yLabel: "weights (log scale)",
            series: types.indices.map { (types[$0].name, errors[$0]) }, bins: 120,
            range: -limit...limit, yScale: .log10),
        "error-histograms",
        caption: "round-trip error, blocks of \(blockSize), shared bins")
    print()
}
