import Book
import MoE
import Plot

/// 8.7: bytes of Mixtral 8x7B at each storage width, and how many experts a batch reads.
func mixtralMemorySection(_ book: Notebook, _ m: MixtralArithmetic) {
    book.section("8.7", "Mixtral's memory: 13B's arithmetic per token, 47B's bytes")
    /// Gigabytes (10⁹ bytes) of `parameters` stored at `width`.
    func gigabytes(_ parameters: Int, _ width: StorageWidth) -> Double {
        MixtralArithmetic.bytes(parameters, bitsPerParameter: width.bitsPerParameter) / 1e9
    }
    book.table(
        ["storage", "bits / parameter", "all 46.7B parameters", "the 12.9B a token uses"],
        StorageWidth.allCases.map { width in
            [
                width.rawValue, Fmt.f(width.bitsPerParameter, 3),
                Fmt.f(gigabytes(m.totalParameters, width), 1) + " GB",
                Fmt.f(gigabytes(m.activeParameters, width), 1) + " GB",
            ]
        })
    print()
    book.figure(
        Charts.bar(
            title: "Mixtral needs memory for all 46.7B parameters, though each token uses 12.9B",
            xLabel: "storage", yLabel: "GB (10^9 bytes)",
            categories: StorageWidth.allCases.map(\.rawValue),
            series: [
                (
                    "all parameters (memory)",
                    StorageWidth.allCases.map { gigabytes(m.totalParameters, $0) }
                ),
                (
                    "active per token (compute)",
                    StorageWidth.allCases.map { gigabytes(m.activeParameters, $0) }
                ),
            ],
            showValues: true, annotations: [.horizontal(80, label: "one 80 GB GPU")]),
        "mixtral-memory", caption: "weights of Mixtral 8x7B in GB at each storage width")
    print()
    book.table(
        ["tokens in a batch", "experts read per layer (of 8)", "fraction of expert weights"],
        [1, 2, 4, 8, 16, 32].map { n in
            let touched = m.expectedExpertsTouched(tokens: n)
            return [String(n), Fmt.f(touched, 2), Fmt.f(touched / Double(m.experts), 3)]
        })
    print()
    book.say(
        """
        Compute follows the active parameters: about 2 * 12.9B = 25.8 GFLOP per token for the
        matrix products (a multiply and an add per parameter; the 0.13B input embedding is a
        table lookup, not a product), the cost of a 13B dense model and a little over a quarter
        of a dense 47B one. Memory follows the total: the router picks experts per
        token and per layer, so any expert may be needed next, and all of them must be resident
        — 93 GB in fp16, more than one 80 GB GPU, 26 GB in NF4. And a batch does not stay sparse
        for long: if tokens chose uniformly, 16 tokens already read 7.9 of the 8 experts in every
        layer (table above, E * (1 - (1 - K/E)^n) for n tokens), so serving a batch streams
        nearly all 47B parameters' bytes per step while doing 13B's arithmetic per token.
        """)
}
