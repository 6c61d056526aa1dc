import Book
import NF4

/// §4.1: Φ⁻¹, the quantile function NF4 is built from, against quantiles known to 16 digits.
func inverseNormalSection(_ book: Notebook) {
    book.section("4.1", "The inverse normal CDF, written out")
    book.say(
        """
        QLoRA (Dettmers et al. 2023, §3 "4-bit NormalFloat Quantization") builds its data type
        from Q_X, the quantile function of the standard normal N(0, 1): the x with Φ(x) = p.
        Neither Foundation nor swift-numerics has it, so StandardNormal.quantile computes it:
        Acklam's rational approximation (relative error < 1.2e-9), then one Halley step on
        f(x) = Φ(x) − p with Φ(x) = ½ erfc(−x/√2). A Halley step is Newton's step corrected by
        the second derivative, x ← x − (f/f′) / (1 − f·f″/(2f′²)); it roughly triples the
        number of correct digits, so one step takes 9 digits to the accuracy of erfc itself.
        Against quantiles known to 16 digits:
        """)
    let known: [(label: String, p: Double, x: Double)] = [
        ("1e-10", 1e-10, -6.361340902404056),
        ("0.001", 0.001, -3.090232306167813),
        ("0.025", 0.025, -1.959963984540054),
        ("Φ(-1)", 0.15865525393145707, -1.0),
        ("0.5", 0.5, 0.0),
        ("0.9", 0.9, 1.2815515655446004),
        ("0.975", 0.975, 1.959963984540054),
        ("0.999", 0.999, 3.090232306167813),
    ]
    book.table(
        ["p", "Φ⁻¹(p), ours", "known", "difference", "Φ(Φ⁻¹(p)) − p"],
        known.map { row in
            let x = StandardNormal.quantile(row.p)
            return [
                row.label, Fmt.f(x, 15), Fmt.f(row.x, 15), Fmt.e(x - row.x, 1),
                Fmt.e(StandardNormal.cdf(x) - row.p, 1),
            ]
        })
    print()
    book.say(
        """
        The one quantile NF4 leans on most: Φ⁻¹(\(NF4Codebook.offset)) = \
        \(Fmt.f(StandardNormal.quantile(NF4Codebook.offset), 6)), the point of the normal that \
        becomes ±1 in the NF4 table (4.2).
        """)
}
