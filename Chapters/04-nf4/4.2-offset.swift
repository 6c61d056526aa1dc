import Book
import Core
import NF4

/// §4.2, continued: why bitsandbytes' offset is 0.9677083, and what other offsets (and
/// dropping the extra value) do to the round-trip MSE of normal weights.
func offsetSection(_ book: Notebook, _ normalX: [Float], blockSize: Int) {
    let q = { (p: Double) in Fmt.f(StandardNormal.quantile(p), 4) }
    book.say(
        """
        Why the offset is not 1: Φ⁻¹(1) = ∞. The outermost level stands for the last bin, so
        it sits at that bin's middle probability: 1 − 1/32 with 16 bins (Φ⁻¹ = \
        \(q(1 - 1.0 / 32))), 1 − 1/30 with 15 (Φ⁻¹ = \(q(1 - 1.0 / 30))). Their mean, \
        1 − (1/32 + 1/30)/2 = \(Fmt.f(1 - (1.0 / 32 + 1.0 / 30) / 2, 7)), is bitsandbytes' \
        offset (our reading; its docstring says "empirically optimized"). What the offset does \
        to the round-trip MSE of \(normalX.count) normal weights (σ = 0.02), blocks of \
        \(blockSize):
        """)
    /// Round-trip MSE of the normal weights with a table of `values`.
    func mse(_ name: String, _ values: [Float]) -> Double {
        book.attempt("round trip with \(name)") {
            let type = try FourBitDataType(name: name, values: values)
            return Statistics.mse(
                normalX,
                try BlockwiseQuantizer4.Fast.roundTrip(normalX, type: type, blockSize: blockSize))
        }
    }
    let nf4MSE = mse("nf4", NF4Codebook.table)
    let offsets = [0.9, 0.93, 0.95, NF4Codebook.offset, 0.98, 0.99, 0.995]
    let mses = offsets.map { mse("nf4@\($0)", NF4Codebook.construct(offset: $0)) }
    let ratios = mses.map { $0 / nf4MSE }
    var rows = offsets.indices.map { i in
        [
            offsets[i] == NF4Codebook.offset ? "\(offsets[i]) (bitsandbytes)" : String(offsets[i]),
            "16", q(offsets[i]), Fmt.e(mses[i], 4), Fmt.f(ratios[i], 4),
        ]
    }
    let symmetricMSE = mse("nf4-15", NF4Codebook.construct(useExtraValue: false))
    let symmetricRatio = symmetricMSE / nf4MSE
    rows.append([
        "\(NF4Codebook.offset), no extra value", "15", q(NF4Codebook.offset),
        Fmt.e(symmetricMSE, 4), Fmt.f(symmetricRatio, 4),
    ])
    book.table(["offset", "levels", "Φ⁻¹(offset) = ±1", "MSE", "relative to NF4"], rows)
    print()
    book.say(
        """
        bitsandbytes' offset is not the MSE optimum here: smaller offsets give up to \
        \(Fmt.f(100 * (1 - ratios.min()!), 1))% less error on these weights, because they pull \
        the inner levels outwards and narrow the widest steps, the outer ones, where most of
        the squared error is made. Larger offsets cost quickly (0.99: \
        +\(Fmt.f(100 * (ratios[5] - 1), 0))%): the outer levels move into a tail that holds \
        few weights. The offset was chosen for model quality, not for this MSE, and the curve
        is flat on its low side. Dropping the extra value (15 symmetric levels) costs \
        \(Fmt.f(100 * (symmetricRatio - 1), 1))% more error: the 16th code is worth having.
        """)
}
