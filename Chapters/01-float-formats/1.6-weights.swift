import Book
import Core
import FloatFormats
import Plot

/// 1.6: N(0, std²) weights rounded to every format and back, without a scale.
func weightRoundTripSection(_ book: Notebook, count: Int, std: Double, rng: inout SeededRNG) {
    book.section("1.6", "Round-tripping the weights of a trained layer")
    book.say(
        """
        Trained weights are small: GPT-2 and BERT initialise their linear layers with \
        N(0, \(std)^2), and trained weights stay of that order. Here are \
        \(count) such weights rounded to every format and back, with no scaling at all. MSE is
        the mean squared error; SQNR, the signal-to-quantization-noise ratio, is
        10 log10(sum x^2 / sum (stored - x)^2) in decibels (dB): higher is better, and each bit
        of precision adds about 6 dB.
        """)
    let weights = rng.normalFloats(count, std: std)
    var rows: [[String]] = []
    var errorSeries: [(name: String, values: [Double])] = []
    for format in FloatFormat.all {
        let back = format.roundTrip(weights)
        let flushed = zip(weights, back).filter { $0.0 != 0 && $0.1 == 0 }.count
        let exact = zip(weights, back).filter { $0.0 == $0.1 }.count
        let sqnr = Statistics.sqnr(weights, back)
        rows.append([
            format.name, Fmt.e(Statistics.mse(weights, back)),
            Fmt.e(Statistics.maxAbsError(weights, back)),
            sqnr.isFinite ? Fmt.f(sqnr, 1) : "exact", Fmt.percent(Double(flushed) / Double(count)),
            Fmt.percent(Double(exact) / Double(count)),
        ])
        // fp32 is exact, TF32's histogram is fp16's (same 10 mantissa bits, no weight near either
        // range limit) and FP4 flushes everything to 0: the figure shows the four that differ.
        if [FloatFormat.fp16, .bf16, .fp8E4M3, .fp8E5M2].contains(format) {
            let logErrors = zip(weights, back).compactMap { x, y -> Double? in
                x == y ? nil : Math.log10(abs(Double(y) - Double(x)) / abs(Double(x)))
            }
            errorSeries.append((format.name, logErrors))
        }
    }
    book.table(["format", "MSE", "max |error|", "SQNR dB", "flushed to 0", "exact"], rows)
    print()
    book.say(
        """
        fp16, bf16 and TF32 keep these weights with a relative error set by their mantissa. FP8
        E4M3's smallest normal is 2^-6 = 0.0156, so most weights land among its subnormals, and FP4
        E2M1 cannot store anything below 0.25: every weight becomes 0. Low-bit formats need a
        scale that maps the weights onto their grid first - the subject of Chapter 2 (absmax) and
        of the block scales in MX formats and NF4.

        (Whole arrays of fp16 and bf16, here and in 1.3, go through the branch-free kernels of
        FloatFormat+Fast.swift, which FastConversionTests proves bit-identical to the readable
        encode and decode; every other format, and every single value in 1.2, runs the readable
        code of Exercises 1a-1d.)
        """)
    book.figure(
        Charts.histogram(
            title: "Fewer mantissa bits, larger error: N(0, \(std)^2) weights",
            xLabel: "log10 relative error (0 = the weight became 0)", yLabel: "weights",
            series: errorSeries, bins: 100, range: -9...0.5),
        "weight-roundtrip-error",
        caption: "log10 relative error, fp16 to fp8 (tf32 = fp16, fp4 all 0)")
}
