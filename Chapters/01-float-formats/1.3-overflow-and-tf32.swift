import Book
import Core
import FloatFormats

/// 1.3: 10k x 10k in fp16, bf16 and TF32, and what rounding the inputs costs a long dot product.
func overflowSection(_ book: Notebook, dotProducts: (count: Int, length: Int), rng: inout SeededRNG)
{
    book.section("1.3", "Why fp16 overflows where bf16 does not, and what TF32 trades")
    book.say(
        """
        The int8 blog post (Belkada & Dettmers, 2022) starts here: in fp16 the largest number is
        65504, so multiplying 10k by 10k already overflows. bf16 has float32's exponent range and
        represents the product, only coarsely. Underflow is the mirror image: 1e-8 is below fp16's
        smallest subnormal and becomes 0.
        """)
    book.table(
        ["format", "10000 stored", "10000 x 10000", "rel. error", "1e-8 stored"],
        [FloatFormat.fp32, .fp16, .bf16, .tf32].map { format in
            let a = format.roundTrip(10_000)
            let product = format.roundTrip(a * a)
            return [
                format.name, Fmt.g(Double(a), 9), Fmt.g(Double(product), 9),
                product.isFinite ? Fmt.e(abs(Double(product) - 1e8) / 1e8) : "-",
                Fmt.g(Double(format.roundTrip(1e-8)), 6),
            ]
        })
    print()
    let (trials, length) = dotProducts
    book.say(
        """
        TF32 keeps float32's range and gives up 13 mantissa bits. Tensor cores multiply TF32 \
        inputs and accumulate in float32, so the error of a long dot product comes from rounding \
        the inputs. Below: \(trials) dot products of length \(length) (activations ~ N(0, 1), \
        weights ~ N(0, 0.02^2)), inputs rounded to each format, products summed in float64; the \
        error is relative to the exact float32-input result.
        """)
    let inputs = (0..<trials).map { _ in
        (rng.normalFloats(length), rng.normalFloats(length, std: 0.02))
    }
    book.table(
        ["inputs", "mantissa bits", "mean rel. error", "worst rel. error"],
        [FloatFormat.fp32, .tf32, .fp16, .bf16].map { format in
            let errors = inputs.map { x, w in roundedDotError(format, x, w) }
            return [
                format.name, String(format.mantissaBits),
                Fmt.e(Statistics.mean(errors.map(Float.init))),
                Fmt.e(errors.max()!),
            ]
        })
    print()
    book.say(
        """
        TF32 and fp16 inputs give the same error (both keep 10 mantissa bits); bf16, with 7, is
        about 8x worse; TF32 does it without fp16's 65504 ceiling.
        """)
}

/// |x_r · w_r − x · w| / (‖x‖ ‖w‖): the dot product of the inputs rounded to `format`, against
/// the exact one, both summed in float64, relative to the dot product's typical size
/// ‖x‖ ‖w‖ (so that sums near zero do not blow up).
func roundedDotError(_ format: FloatFormat, _ x: [Float], _ w: [Float]) -> Double {
    let xr = format.roundTrip(x)
    let wr = format.roundTrip(w)
    var exact = 0.0
    var rounded = 0.0
    var xNorm = 0.0
    var wNorm = 0.0
    for i in x.indices {
        exact += Double(x[i]) * Double(w[i])
        rounded += Double(xr[i]) * Double(wr[i])
        xNorm += Double(x[i]) * Double(x[i])
        wNorm += Double(w[i]) * Double(w[i])
    }
    return abs(rounded - exact) / (xNorm * wNorm).squareRoot()
}
