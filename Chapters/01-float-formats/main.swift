// Chapter 1 — Floating-point formats, bit for bit.
//
// Run: swift run -c release Chapter01 [--figures DIR]
// Reads like a notebook: each section prints what it shows, the figures go to Figures/.
// The ideas live in Sources/FloatFormats; this file only calls, prints and plots.
import Book
import Core
import FloatFormats
import Plot

let seed: UInt64 = 1
let book = Notebook(chapter: 1, title: "Floating-point formats, bit for bit")
var rng = SeededRNG(seed: seed)
print("seed: \(seed)")
print("formats: \(FloatFormat.all.map(\.name).joined(separator: ", "))")

// MARK: - 1.1
book.section("1.1", "What the bits of each format mean")
book.say(
    """
    A binary floating-point number is a sign bit s, an exponent field E of e bits and a
    mantissa field M of m bits. A normal number means (-1)^s x (1 + M/2^m) x 2^(E - bias); when
    E = 0 the leading 1 is dropped and the exponent is pinned at 1 - bias, which gives the
    evenly spaced subnormals down to zero. The formats differ only in e, m, the bias and how
    they spell infinity and NaN:
    """)
for format in FloatFormat.all {
    let sign = "s"
    let exponent = String(repeating: "e", count: format.exponentBits)
    let mantissa = String(repeating: "m", count: format.mantissaBits)
    let unused = format.storageBits - format.codeBits
    let padding = unused > 0 ? " " + String(repeating: "0", count: unused) : ""
    let name = format.name.padding(toLength: 10, withPad: " ", startingAt: 0)
    print("\(name)\(sign) \(exponent) \(mantissa)\(padding)")
}
print()
print(FloatFormat.summaryTable())
print()
book.say(
    """
    Read the table as a trade: every exponent bit doubles the range counted in powers of two, every mantissa
    bit halves the relative spacing (epsilon = 2^-m). fp16 and bf16 both have 15 bits besides
    the sign. fp16 gives 10 of them to the mantissa and 5 to the exponent, so it is the more
    precise and stops at 65504; bf16 gives 8 to the exponent, float32's range, and keeps only
    7 mantissa bits, 3 fewer than fp16. TF32 is what NVIDIA tensor cores multiply: float32's exponent,
    fp16's mantissa, in a 32-bit register. FP8 E4M3 has no infinity and one NaN per sign, which
    buys it the range up to 448; FP4 E2M1 has just eight magnitudes.
    """)

// MARK: - 1.2
book.section("1.2", "Worked encodings")
book.say(
    """
    Each value below is rounded to nearest, ties to even, in every format. The bits are shown as
    sign | exponent | mantissa; the relative error is |stored - x| / |x|.
    """)
let workedValues: [Float] = [0.1, -3.14159, 1e-5, 500, 70000]
for x in workedValues {
    print("x = \(Fmt.g(Double(x), 9))")
    var rows: [[String]] = []
    for format in FloatFormat.all {
        let encoding = format.explain(x)
        var note = encoding.kind.rawValue
        if encoding.overflowed { note = "overflow -> \(encoding.kind == .nan ? "NaN" : encoding.kind == .infinity ? "inf" : "max")" }
        if encoding.kind == .zero && x != 0 { note = "underflow -> 0" }
        let error = encoding.relativeError.isFinite ? Fmt.e(encoding.relativeError) : "-"
        rows.append([format.name, encoding.bitString, Fmt.g(Double(encoding.value), 9), error, note])
    }
    book.table(["format", "bits (s e m)", "stored", "rel. error", "kind"], rows, leftAligned: [0, 1, 4])
    print()
}

// MARK: - 1.3
book.section("1.3", "Why fp16 overflows where bf16 does not, and what TF32 trades")
book.say(
    """
    The int8 blog post (Belkada & Dettmers, 2022) starts here: in fp16 the largest number is
    65504, so multiplying 10k by 10k already overflows. bf16 has float32's exponent range and
    represents the product, only coarsely. Underflow is the mirror image: 1e-8 is below fp16's
    smallest subnormal and becomes 0.
    """)
var overflowRows: [[String]] = []
for format in [FloatFormat.fp32, .fp16, .bf16, .tf32] {
    let a = format.roundTrip(10_000)
    let product = format.roundTrip(a * a)
    let tiny = format.roundTrip(1e-8)
    overflowRows.append([
        format.name, Fmt.g(Double(a), 9), Fmt.g(Double(product), 9),
        product.isFinite ? Fmt.e(abs(Double(product) - 1e8) / 1e8) : "-", Fmt.g(Double(tiny), 6),
    ])
}
book.table(["format", "10000 stored", "10000 x 10000", "rel. error", "1e-8 stored"], overflowRows)
print()
book.say(
    """
    TF32 keeps float32's range and gives up 13 mantissa bits. Tensor cores multiply TF32 inputs
    and accumulate in float32, so the error of a long dot product comes from rounding the inputs.
    Below: 200 dot products of length 4096 (activations ~ N(0, 1), weights ~ N(0, 0.02^2)), inputs
    rounded to each format, products summed in float64; the error is relative to the exact
    float32-input result.
    """)
let dotLength = 4096
let dotTrials = 200
var dotRows: [[String]] = []
let dotInputs = (0..<dotTrials).map { _ in
    (rng.normalFloats(dotLength), rng.normalFloats(dotLength, std: 0.02))
}
for format in [FloatFormat.fp32, .tf32, .fp16, .bf16] {
    var errors: [Double] = []
    for (x, w) in dotInputs {
        var exact = 0.0, rounded = 0.0, xNorm = 0.0, wNorm = 0.0
        let xr = format.roundTrip(x)
        let wr = format.roundTrip(w)
        for i in 0..<dotLength {
            exact += Double(x[i]) * Double(w[i])
            rounded += Double(xr[i]) * Double(wr[i])
            xNorm += Double(x[i]) * Double(x[i])
            wNorm += Double(w[i]) * Double(w[i])
        }
        // Relative to the dot product's typical size ||x|| ||w||, so sums near zero do not blow up.
        errors.append(abs(rounded - exact) / (xNorm * wNorm).squareRoot())
    }
    let sorted = errors.sorted()
    dotRows.append([format.name, String(format.mantissaBits), Fmt.e(Statistics.mean(errors.map(Float.init))), Fmt.e(sorted[sorted.count - 1])])
}
book.table(["inputs", "mantissa bits", "mean rel. error", "worst rel. error"], dotRows)
print()
book.say(
    """
    TF32 and fp16 inputs give the same error (both keep 10 mantissa bits); bf16, with 7, is
    about 8x worse; TF32 does it without fp16's 65504 ceiling.
    """)

// MARK: - 1.4
book.section("1.4", "The grids of FP8 and FP4")
book.say(
    """
    The fewer the bits, the more visible the grid. FP4 E2M1 has 16 codes; here is every one:
    """)
let fp4 = FloatFormat.fp4E2M1
book.table(
    ["code", "bits", "value"],
    (0..<UInt32(fp4.codeCount)).map { code in
        [String(code), fp4.explain(fp4.decode(code)).bitString, Fmt.g(Double(fp4.decode(code)))]
    }, leftAligned: [1])
print()
var gridRows: [[String]] = []
for format in [FloatFormat.fp8E4M3, .fp8E5M2, .fp4E2M1] {
    let positives = format.allFiniteValues.filter { $0 > 0 }
    let inOneToTwo = positives.filter { $0 >= 1 && $0 < 2 }.count
    let nearMax = positives.suffix(2)
    gridRows.append([
        format.name, String(format.codeCount), String(positives.count), String(inOneToTwo),
        Fmt.g(Double(positives.first ?? 0)), Fmt.g(Double((nearMax.last ?? 0) - (nearMax.first ?? 0))),
        Fmt.g(Double(positives.last ?? 0)),
    ])
}
book.table(["format", "codes", "positive finite", "in [1, 2)", "smallest", "step at max", "largest"], gridRows)
print()
book.say(
    """
    Every normal binade [2^k, 2^(k+1)) (the numbers that share one exponent) holds the same 2^m
    values, evenly spaced 2^(k-m) apart: the step doubles from one binade to the next, so the
    step at the top is large (E4M3's last step is 32, E5M2's is 8192). The figure zooms into
    the two binades [1, 2) and [2, 4), where the ticks are far enough apart to count.
    """)
// One binade pair, [1, 4], on a linear axis: each tick is one representable value, so the
// spacing (and how it doubles at 2) is visible; on a full log axis E4M3's ticks merge.
let zoomed = [FloatFormat.fp8E5M2, .fp8E4M3, .fp4E2M1].map { format in
    (name: format.name, values: format.allFiniteValues.filter { $0 >= 1 && $0 <= 4 }.map(Double.init))
}
let perBinade = zoomed.map { one in one.values.filter { $0 < 2 }.count }  // in [1, 2)
book.figure(
    Charts.strip(
        title: "Each binade holds E4M3 \(perBinade[1]) values, E5M2 \(perBinade[0]), FP4 \(perBinade[2])",
        xLabel: "value (linear axis; the step doubles at 2)", series: zoomed, xRange: 0.9...4.1),
    "representable-values", caption: "the representable values of fp8-e5m2, fp8-e4m3, fp4-e2m1 in [1, 4]")

// MARK: - 1.5
book.section("1.5", "Rounding error against magnitude")
book.say(
    """
    In the normal range the relative error of round-to-nearest is at most the unit roundoff
    u = 2^-(m+1), whatever the magnitude. Below the smallest normal the spacing stops shrinking
    and the relative error climbs to 1 (flush to zero); above the largest value a format
    overflows (the curve stops) or saturates (FP4: the error tends to 1). Worst case over 32
    samples in each of 320 log-spaced bins from 1e-10 to 1e6:
    """)
var profileRows: [[String]] = []
var profileSeries: [Series] = []
for format in FloatFormat.all {
    let profile = format.relativeErrorProfile(from: 1e-10, to: 1e6, bins: 320, samplesPerBin: 32, rng: &rng)
    profileSeries.append(Series(name: format.name, x: profile.magnitudes, y: profile.maxRelativeError))
    // The worst error measured over [1, 2), where every format is normal.
    let normalBins = profile.magnitudes.indices.filter { profile.magnitudes[$0] >= 1 && profile.magnitudes[$0] < 2 }
    let worstNormal = normalBins.map { profile.maxRelativeError[$0] }.max() ?? .nan
    profileRows.append([format.name, Fmt.e(format.unitRoundoff), Fmt.e(worstNormal)])
}
book.table(["format", "u = 2^-(m+1)", "worst measured in [1, 2)"], profileRows)
print()
book.figure(
    Charts.line(
        title: "Rounding error is flat for normal numbers, climbs below them",
        xLabel: "magnitude |x| (log scale)", yLabel: "worst relative error (log scale)",
        series: profileSeries, xScale: .log10, yScale: .log10, yRange: 1e-8...3),
    "relative-error-vs-magnitude", caption: "worst relative rounding error per magnitude bin, all formats")

// MARK: - 1.6
book.section("1.6", "Round-tripping the weights of a trained layer")
let weightCount = 100_000
let weightStd = 0.02
book.say(
    """
    Trained weights are small: a typical linear layer is close to N(0, 0.02^2). Here are
    \(weightCount) such weights rounded to every format and back, with no scaling at all:
    """)
let weights = rng.normalFloats(weightCount, std: weightStd)
var weightRows: [[String]] = []
var errorSeries: [(name: String, values: [Double])] = []
for format in FloatFormat.all {
    let back = format.roundTrip(weights)
    let flushed = zip(weights, back).filter { $0.0 != 0 && $0.1 == 0 }.count
    let exact = zip(weights, back).filter { $0.0 == $0.1 }.count
    weightRows.append([
        format.name, Fmt.e(Statistics.mse(weights, back)), Fmt.e(Statistics.maxAbsError(weights, back)),
        Statistics.sqnr(weights, back).isFinite ? Fmt.f(Statistics.sqnr(weights, back), 1) : "exact",
        Fmt.f(100 * Double(flushed) / Double(weightCount), 2), Fmt.f(100 * Double(exact) / Double(weightCount), 2),
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
book.table(["format", "MSE", "max |error|", "SQNR dB", "% flushed to 0", "% exact"], weightRows)
print()
book.say(
    """
    fp16, bf16 and TF32 keep these weights with a relative error set by their mantissa. FP8
    E4M3's smallest normal is 2^-6 = 0.0156, so most weights land among its subnormals, and FP4
    E2M1 cannot store anything below 0.25: every weight becomes 0. Low-bit formats need a
    scale that maps the weights onto their grid first - the subject of Chapter 2 (absmax) and
    of the block scales in MX formats and NF4.

    (Whole arrays of fp16 and bf16, here and in 1.3, go through the branch-free kernels of
    FastConversions.swift, which FastConversionTests proves bit-identical to the readable
    encode and decode; every other format, and every single value in 1.2, runs the readable
    code of Exercises 1a-1d.)
    """)
book.figure(
    Charts.histogram(
        title: "Fewer mantissa bits, larger error: N(0, 0.02^2) weights",
        xLabel: "log10 relative error (0 = the weight became 0)", yLabel: "weights",
        series: errorSeries, bins: 100, range: -9...0.5),
    "weight-roundtrip-error", caption: "log10 relative error for fp16, bf16, fp8-e4m3, fp8-e5m2 (tf32 = fp16; fp4 is all 0)")
