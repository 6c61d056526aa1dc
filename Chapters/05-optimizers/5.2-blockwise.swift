import Blockwise8
import Book
import Core

/// §5.2: blockwise 8-bit quantization with the dynamic map, on ten values by hand and on a
/// gradient-like tensor at every block size, against a linear grid.
func blockwiseSection(_ book: Notebook, stateCount: Int, seed: UInt64) {
    book.section("5.2", "Blockwise 8-bit quantization")
    book.say(
        """
        quantize_blockwise (§2 "Block-wise Quantization"): flatten, split into blocks of B
        values, store each block's absmax N_b as float32 and, per value, the index of the
        nearest entry of the map to x / N_b. An outlier then only coarsens its own block, and
        every block is processed independently (on a GPU, one thread block each, no global
        reduction). Ten values of a small second-moment-like tensor in one block of 64 (a
        short block: it divides by its absmax):
        """)
    let linearUnsigned: [Float] = (0...255).map { Float($0) / 255 }
    let small: [Float] = [
        3.1e-4, 2.2e-6, 8.0e-5, 1.9e-7, 4.4e-5, 1.2e-6, 6.7e-4, 3.0e-8, 9.5e-6, 2.5e-5,
    ]
    let dynamic = book.attempt("blockwise quantization") {
        try BlockwiseQuantizer8.quantize(small, blockSize: 64, code: DynamicMap.unsigned)
    }
    let linear = book.attempt("blockwise quantization") {
        try BlockwiseQuantizer8.quantize(small, blockSize: 64, code: linearUnsigned)
    }
    let dynamicHat = dynamic.dequantize()
    let linearHat = linear.dequantize()
    let absmax = dynamic.absmax[0]
    /// |x̂ − x| / |x| of value i.
    func relative(_ xHat: [Float], _ i: Int) -> Double {
        Double(abs(xHat[i] - small[i]) / small[i])
    }
    book.table(
        [
            "x", "x / absmax", "code (unsigned)", "x̂", "rel. error", "linear k/255: x̂",
            "rel. error",
        ],
        small.indices.map { i in
            [
                Fmt.e(Double(small[i]), 2), Fmt.e(Double(small[i] / absmax), 3),
                String(dynamic.codes[i]), Fmt.e(Double(dynamicHat[i]), 4),
                Fmt.f(100 * relative(dynamicHat, i), 2) + "%", Fmt.e(Double(linearHat[i]), 4),
                Fmt.f(100 * relative(linearHat, i), 1) + "%",
            ]
        }, leftAligned: [])
    print()
    let worst = small.indices.map { relative(dynamicHat, $0) }.max()!
    book.say(
        """
        absmax = \(Fmt.e(Double(absmax), 2)). The dynamic map keeps every value within \
        \(Fmt.f(100 * worst, 1))% of itself, even 3.0e-8, which is \
        \(Fmt.e(Double(3.0e-8 / absmax), 1)) of the absmax. The linear grid's step is \
        absmax/255 = \(Fmt.e(Double(absmax) / 255, 2)): it is as good near the absmax, and \
        \(linearHat.filter { $0 == 0 }.count) of the ten values become 0 — for Adam's v that \
        turns the update m/(√v + ε) into m/ε.

        At scale: \(stateCount) gradient-like values (Student-t with 3 degrees of freedom: \
        mostly small, some large), quantized with each map at each block size bitsandbytes \
        allows:
        """)
    var rng = SeededRNG(seed: seed)
    let gradientLike = (0..<stateCount).map { _ in Float(1e-3 * rng.studentT(degreesOfFreedom: 3)) }
    let linearSigned: [Float] = (-127...127).map { Float($0) / 127 }
    let rows = [64, 256, 1024, 4096].map { blockSize in
        let d = blockwiseError(book, gradientLike, blockSize: blockSize, code: DynamicMap.signed)
        let l = blockwiseError(book, gradientLike, blockSize: blockSize, code: linearSigned)
        return [
            String(blockSize), Fmt.f(8 + 32 / Double(blockSize), 4), Fmt.e(d.relative, 3),
            Fmt.f(100 * d.zeroed, 3) + "%", Fmt.e(l.relative, 3), Fmt.f(100 * l.zeroed, 2) + "%",
        ]
    }
    book.table(
        [
            "block size", "bits/value", "dynamic: ‖x̂−x‖/‖x‖", "dynamic: → 0", "linear: ‖x̂−x‖/‖x‖",
            "linear: → 0",
        ],
        rows)
    print()
    book.say(
        """
        Smaller blocks help both maps: fewer values share one large absmax. The norm of the
        error is dominated by the large values, where the linear grid is finer, so in blocks
        of 64 it even wins on that measure; from 256 on the dynamic map does, and only the
        dynamic map keeps the small values — the linear grid zeroes \(rows[0][5]) to \
        \(rows[3][5]) of them. bitsandbytes' 8-bit optimizers use blocks of 256 (the paper
        used 2048); its quantize_blockwise defaults to 4096. Our codes and absmax match
        bitsandbytes bit for bit on every reference case (Exercise 5b's tests).
        """)
}

/// ‖x̂ − x‖ / ‖x‖ of a blockwise round trip, and the fraction of nonzero values that come
/// back as 0.
private func blockwiseError(
    _ book: Notebook, _ x: [Float], blockSize: Int, code: [Float]
)
    -> (relative: Double, zeroed: Double)
{
    let xHat = book.attempt("blockwise quantization") {
        try BlockwiseQuantizer8.quantize(x, blockSize: blockSize, code: code).dequantize()
    }
    // The difference in float32, then squared in Double, as the first edition did.
    let error = zip(x, xHat).reduce(0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        .squareRoot()
    let norm = x.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
    let zeroed = zip(x, xHat).filter { $0 != 0 && $1 == 0 }.count
    return (error / norm, Double(zeroed) / Double(x.count))
}
