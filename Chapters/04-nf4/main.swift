// Chapter 4 — NF4, FP4 and 4-bit blockwise quantization, with double quantization.
//
// Run: swift run -c release Chapter04 [--figures DIR]
// Reads like a notebook: each section prints what it shows, the figures go to Figures/.
// The ideas live in Sources/NF4 (built on Sources/Blockwise8 and Sources/Absmax); this file
// only calls, prints and plots.
import Absmax
import Blockwise8
import Book
import Core
import NF4
import Plot

let seed: UInt64 = 4
let book = Notebook(chapter: 4, title: "NF4, FP4 and 4-bit blockwise quantization")

// The experiment of 4.3, 4.6 and 4.7: synthetic weights, two distributions.
let weightCount = 1 << 18
let weightStd = 0.02
let heavyTailNu = 3
let defaultBlockSize = 64
let normalWeights = DataTypeComparison.WeightDistribution.normal(std: weightStd)
let heavyWeights = DataTypeComparison.WeightDistribution.studentT(degreesOfFreedom: heavyTailNu, std: weightStd)
print("seed: \(seed) (normal weights: seed \(seed), Student-t weights: seed \(seed + 1), 4.4's example: seed \(seed + 40))")
print("weights: \(weightCount) = 2^18 per distribution; \(normalWeights); \(heavyWeights)")
print(
    "block sizes: \(DataTypeComparison.blockSizes.map(String.init).joined(separator: ", ")); "
        + "default \(defaultBlockSize); double quantization: blocks of \(DoubleQuantizedAbsmax.blockSize), signed dynamic map")
print("NF4 offset: \(NF4Codebook.offset)")

/// Right-aligned in `width` columns.
func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

/// Two hex digits.
func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}

/// A 4-bit code as 0bxxxx.
func bits4(_ code: UInt8) -> String {
    "0b" + (0..<4).map { (code >> (3 - $0)) & 1 == 1 ? "1" : "0" }.joined()
}

/// A float with its sign shown even for zero ("+0", "-0").
func signed(_ x: Float, _ digits: Int = 4) -> String {
    if x == 0 { return x.sign == .minus ? "-0" : "+0" }
    return Fmt.f(Double(x), digits)
}

/// "NF4", "FP4", "Int4" as the prose spells them.
func displayName(_ type: FourBitDataType) -> String {
    ["nf4": "NF4", "fp4": "FP4", "int4": "Int4"][type.name] ?? type.name
}

/// Round trip with the fast path: `FastBlockwise4` computes exactly the bytes of
/// `BlockwiseQuantizer4` under `.reference` rules (NF4FastPathTests checks it; §4.4 says so
/// and checks it once more on the chapter's weights), ~20× faster.
func roundTrip(_ x: [Float], _ type: FourBitDataType, blockSize: Int) throws -> [Float] {
    FastBlockwise4.dequantize(try FastBlockwise4.quantize(x, type: type, blockSize: blockSize))
}

// MARK: - 4.1
book.section("4.1", "The inverse normal CDF, written out")
book.say(
    """
    QLoRA (Dettmers et al. 2023, §3 "4-bit NormalFloat Quantization") builds its data type
    from Q_X, the quantile function of the standard normal N(0, 1): the x with Φ(x) = p.
    Neither Foundation nor swift-numerics has it, so StandardNormal.quantile computes it:
    Acklam's rational approximation (relative error < 1.2e-9), then one Halley step on
    Φ(x) − p with Φ(x) = ½ erfc(−x/√2), which takes it to the accuracy of erfc itself.
    Against quantiles known to 16 digits:
    """)
let knownQuantiles: [(label: String, p: Double, x: Double)] = [
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
    knownQuantiles.map { row in
        let x = StandardNormal.quantile(row.p)
        return [
            row.label, Fmt.f(x, 15), Fmt.f(row.x, 15), Fmt.e(x - row.x, 1),
            Fmt.e(StandardNormal.cdf(x) - row.p, 1),
        ]
    })
print()
let offsetQuantile = StandardNormal.quantile(NF4Codebook.offset)
book.say(
    """
    The one quantile NF4 leans on most: Φ⁻¹(\(NF4Codebook.offset)) = \(Fmt.f(offsetQuantile, 6)), the \
    point of the normal that becomes ±1 in the NF4 table (4.2).
    """)

// MARK: - 4.2
book.section("4.2", "Building NF4 from normal quantiles")
let half: Float = 0.5
let positiveP = Array(TorchLinspace.float32(from: Float(NF4Codebook.offset), to: half, count: 9).dropLast())
let negativeP = Array(TorchLinspace.float32(from: Float(NF4Codebook.offset), to: half, count: 8).dropLast())
let constructed = NF4Codebook.construct()
let published = NF4Codebook.table
book.say(
    """
    bitsandbytes builds NF4 with create_normal_map(offset = 0.9677083, use_extra_value = True),
    the table QLoRA's experiments use and the HF 4-bit blog post ("Making LLMs even more
    accessible with bitsandbytes, 4-bit quantization and QLoRA", 2023) summarises. It is not
    the formula printed in QLoRA's §3 (that one comes after this table): it takes quantiles at
    evenly spaced probabilities, without averaging: 8 positive levels
    Φ⁻¹(p) at p = linspace(offset, 0.5, 9) without its last point, 7 negative ones at
    −Φ⁻¹(p) with p = linspace(offset, 0.5, 8) without its last point, and one 0; sorted and
    divided by the largest, Φ⁻¹(offset). The probabilities are float32 (torch.linspace), Φ⁻¹ is
    Double (scipy), the division float32. Code by code, against the table bitsandbytes
    publishes in get_4bit_type('nf4') (an ulp, a unit in the last place, is the gap between
    two neighbouring float32 values):
    """)
/// Φ(level before normalisation) for each code: the cumulative probability the level sits at.
let cumulative: [Double] =
    negativeP.map { 1 - Double($0) } + [0.5] + positiveP.reversed().map { Double($0) }
book.table(
    ["code", "Φ(level)", "Φ⁻¹ (σ units)", "constructed", "published", "ulps apart"],
    (0..<16).map { code in
        let p = cumulative[code]
        return [
            String(code), Fmt.f(p, 7), Fmt.f(StandardNormal.quantile(p), 6), Fmt.f(Double(constructed[code]), 8),
            Fmt.f(Double(published[code]), 8),
            String(abs(Int(constructed[code].bitPattern) - Int(published[code].bitPattern))),
        ]
    })
print()
let levelsSigma = NF4Codebook.levelsInStandardDeviations()
let masses = (0..<15).map { StandardNormal.cdf(levelsSigma[$0 + 1]) - StandardNormal.cdf(levelsSigma[$0]) }
let negativeMasses = Array(masses[0..<7])
let positiveMasses = Array(masses[7..<15])
let positiveStep = (NF4Codebook.offset - 0.5) / 8
let negativeStep = (NF4Codebook.offset - 0.5) / 7
book.say(
    """
    All 16 entries match to the bit (Exercise 4b, the NF4 table, follows bitsandbytes, and its
    tests check it; dividing in Double instead of float32 would move 6 of them by one ulp,
    which is why the quantizer uses the published table, not a recomputation).

    Equal probability mass: neighbouring levels enclose the same mass of N(0, 1), because they
    sit at equally spaced probabilities. Between the 8 positive levels (and 0) that is
    (offset − ½)/8 = \(Fmt.f(positiveStep, 6)); measured from the published table: \
    \(Fmt.f(positiveMasses.min()!, 6)) … \(Fmt.f(positiveMasses.max()!, 6)). On the negative side, \
    7 steps of (offset − ½)/7 = \(Fmt.f(negativeStep, 6)); measured: \(Fmt.f(negativeMasses.min()!, 6)) … \
    \(Fmt.f(negativeMasses.max()!, 6)). Where normal weights are dense (near 0) the levels are \
    dense; every code gets its fair share of the weights.

    Why an extra positive value: 16 codes split 8 + 8 leave no room for an exact zero, and zero
    must come back exactly (padding, pruned weights, every all-zero block). 7 negative levels,
    0 and 8 positive ones use all 16 codes; the price is a slight asymmetry.

    Why the offset is not 1: Φ⁻¹(1) = ∞. The outermost level stands for the last bin, so it sits
    at that bin's middle probability: 1 − 1/32 with 16 bins (Φ⁻¹ = \(Fmt.f(StandardNormal.quantile(1 - 1.0 / 32), 4))), \
    1 − 1/30 with 15 (Φ⁻¹ = \(Fmt.f(StandardNormal.quantile(1 - 1.0 / 30), 4))). Their mean, \
    1 − (1/32 + 1/30)/2 = \(Fmt.f(1 - (1.0 / 32 + 1.0 / 30) / 2, 7)), is bitsandbytes' offset (our \
    reading; its docstring says "empirically optimized"). What the offset does to the round-trip \
    MSE of \(weightCount) normal weights (σ = \(weightStd)), blocks of \(defaultBlockSize):
    """)
let normalX = normalWeights.sample(weightCount, seed: seed)
let heavyX = heavyWeights.sample(weightCount, seed: seed + 1)
let nf4Block64MSE = Statistics.mse(normalX, try roundTrip(normalX, .nf4, blockSize: defaultBlockSize))
let offsets = [0.9, 0.93, 0.95, NF4Codebook.offset, 0.98, 0.99, 0.995]
var offsetRows: [[String]] = []
var offsetRatios: [Double] = []
for offset in offsets {
    let type = try FourBitDataType(name: "nf4@\(offset)", values: NF4Codebook.construct(offset: offset))
    let mse = Statistics.mse(normalX, try roundTrip(normalX, type, blockSize: defaultBlockSize))
    offsetRatios.append(mse / nf4Block64MSE)
    offsetRows.append([
        offset == NF4Codebook.offset ? "\(offset) (bitsandbytes)" : String(offset), "16",
        Fmt.f(StandardNormal.quantile(offset), 4), Fmt.e(mse, 4), Fmt.f(mse / nf4Block64MSE, 4),
    ])
}
let bestOffsetRatio = offsetRatios.min()!
let symmetric = try FourBitDataType(name: "nf4-15", values: NF4Codebook.construct(useExtraValue: false))
let symmetricMSE = Statistics.mse(normalX, try roundTrip(normalX, symmetric, blockSize: defaultBlockSize))
offsetRows.append([
    "\(NF4Codebook.offset), no extra value", "15", Fmt.f(offsetQuantile, 4), Fmt.e(symmetricMSE, 4),
    Fmt.f(symmetricMSE / nf4Block64MSE, 4),
])
book.table(["offset", "levels", "Φ⁻¹(offset) = ±1", "MSE", "relative to NF4"], offsetRows)
print()
book.say(
    """
    bitsandbytes' offset is not the MSE optimum here: smaller offsets give up to \
    \(Fmt.f(100 * (1 - bestOffsetRatio), 1))% less error on these weights, because they pull the inner levels \
    outwards and narrow the widest steps, the outer ones, where most of the squared error is made.
    Larger offsets cost quickly (0.99: +\(Fmt.f(100 * (offsetRatios[5] - 1), 0))%): the outer levels move into \
    a tail that holds few weights. The offset was chosen for model quality, not for this MSE, and
    the curve is flat on its low side. Dropping the extra value (15 symmetric levels) costs \
    \(Fmt.f(100 * (symmetricMSE / nf4Block64MSE - 1), 1))% more error: the 16th code is worth having.
    """)
// QLoRA's equation (4), taken literally, beside bitsandbytes' table.
let paperTerms = NF4Codebook.paperEquationTerms()
let paperTable = NF4Codebook.paperFormulaTable()
book.say(
    """
    QLoRA's §3 prints a different construction, equation (4): each level is the mean of two
    neighbouring quantiles, q_i = ½(Q_X(i/(2^k + 1)) + Q_X((i + 1)/(2^k + 1))), i = 0 … 2^k − 1,
    then normalized into [−1, 1]. With k = 4 (NF4Codebook.paperEquationTerms): 16 terms, but
    q_0 = ½(Q_X(0) + Q_X(1/17)) = −∞, because Q_X(0) = −∞. The 15 finite ones are exactly
    symmetric, q_i = −q_(16−i), so the middle one is an exact 0; divided by the largest,
    q_15 = \(Fmt.f(paperTerms[15], 4))σ, they give 15 levels (NF4Codebook.paperFormulaTable):
    """)
book.table(
    ["i", "bin of N(0, 1)", "q_i (σ units)", "q_i / q_15", "NF4 (bitsandbytes) code i"],
    (0..<16).map { i in
        [
            String(i), "\(i)/17 … \(i + 1)/17", paperTerms[i].isFinite ? Fmt.f(paperTerms[i], 6) : "-∞",
            i == 0 ? "(dropped)" : Fmt.f(Double(paperTable[i - 1]), 8), Fmt.f(Double(published[i]), 8),
        ]
    }, leftAligned: [0, 1])
print()
let paperType = book.attempt("the paper-formula table") {
    try FourBitDataType(name: "nf4-paper", values: paperTable)
}
/// Round-trip MSE of the normal weights, blocks of 64, for each table.
let formulaRows: [(name: String, levels: Int, type: FourBitDataType)] = [
    ("NF4 (bitsandbytes, published)", 16, .nf4), ("QLoRA eq. (4), finite terms", 15, paperType),
    ("FP4 (bitsandbytes)", 16, .fp4), ("Int4", 15, .int4),
]
let formulaMSE = formulaRows.map { row in
    Statistics.mse(normalX, book.attempt("round trip") { try roundTrip(normalX, row.type, blockSize: defaultBlockSize) })
}
book.say(
    """
    Its levels sit closer to 0 than bitsandbytes' (±1 is 1.376σ, not 1.848σ), and it has no
    extra 16th value: read literally, the formula gives a symmetric 15-level type with an exact
    zero. (The paper's next paragraph, two ranges of 2^(k−1) negative and 2^(k−1) + 1 positive
    quantiles with one zero removed, is the 16-level shape bitsandbytes builds — without
    averaging.) Round-trip MSE on the same \(weightCount) normal weights, blocks of \(defaultBlockSize):
    """)
book.table(
    ["table", "levels", "MSE", "relative to NF4"],
    formulaRows.indices.map { i in
        [
            formulaRows[i].name, String(formulaRows[i].levels), Fmt.e(formulaMSE[i], 4),
            Fmt.f(formulaMSE[i] / formulaMSE[0], 4),
        ]
    })
print()
book.say(
    """
    The paper's formula does \(formulaMSE[1] < formulaMSE[0] ? "better" : "worse") than the published \
    table on these weights (\(Fmt.f(100 * (formulaMSE[1] / formulaMSE[0] - 1), 1))%), and both beat FP4 and \
    Int4. Everything after this section — Exercise 4b, the quantizer, the reference tests —
    uses bitsandbytes' published table, because that is what QLoRA's models were quantized with.
    """)
// The figure: N(0, 1), and over it the average density between neighbouring NF4 levels
// (mass ÷ width) as steps: equal-mass intervals are narrow and tall at the centre, wide and low
// in the tails, and every step encloses the same area.
let densityX = stride(from: -3.2, through: 3.2, by: 0.02).map { $0 }
var stepX: [Double] = []
var stepY: [Double] = []
for i in 0..<15 {
    let height = masses[i] / (levelsSigma[i + 1] - levelsSigma[i])
    stepX += [levelsSigma[i], levelsSigma[i], levelsSigma[i + 1], levelsSigma[i + 1]]
    stepY += [0, height, height, 0]
}
book.figure(
    Charts.line(
        title: "Neighbouring NF4 levels enclose equal normal mass",
        xLabel: "weight / σ (NF4's ±1 sits at ±\(Fmt.f(offsetQuantile, 3))σ)", yLabel: "probability density",
        series: [
            Series(name: "N(0, 1) density", x: densityX, y: densityX.map(StandardNormal.density), color: Palette.grey),
            Series(name: "nf4: mass between levels / width", x: stepX, y: stepY),
        ],
        xRange: -3.2...3.2, yRange: 0...0.5,
        annotations: [
            .vertical(levelsSigma[0]), .vertical(levelsSigma[15], label: "±1 (the absmax)"),
        ]),
    "nf4-levels-over-normal",
    caption: "16 NF4 levels = the step edges; each step holds \(Fmt.f(positiveStep, 4)) (positive) or "
        + "\(Fmt.f(negativeStep, 4)) (negative) of N(0, 1)")
print()

// MARK: - 4.3
book.section("4.3", "FP4 and Int4 beside NF4")
book.say(
    """
    QLoRA compares NF4 with a 4-bit float (§4, Table 2: FP4 with 2 exponent bits and 1
    mantissa bit). bitsandbytes' FP4 is its own E2M1 variant, listed in code order: bit 3 the
    sign, exponent 00 gives 0 and 0.0625, other exponents (1 + m/2)·2^(4−e), all divided by 12.
    It has two zeros (0b0000 and 0b1000) and a tiny level 0.0052. Int4 is Chapter 2's absmax
    grid with 7 in place of 127: (c − 7)/7, 15 levels, code 15 unused. Code by code:
    """)
book.table(
    ["code", "bits", "NF4", "FP4 (bitsandbytes)", "Int4 (c − 7)/7"],
    (0..<16).map { code in
        [
            String(code), bits4(UInt8(code)), Fmt.f(Double(NF4Codebook.table[code]), 4),
            Fmt.f(Double(FP4Codebook.table[code]), 4),
            code < Int4Grid.table.count ? Fmt.f(Double(Int4Grid.table[code]), 4) : "(unused)",
        ]
    })
print()
book.figure(
    Charts.strip(
        title: "NF4 thins out toward ±1; FP4 stacks 4 codes at 0",
        xLabel: "value (fraction of the block absmax)",
        series: [
            ("nf4", NF4Codebook.table.map(Double.init)), ("fp4", FP4Codebook.table.map(Double.init)),
            ("int4", Int4Grid.table.map(Double.init)),
        ], xRange: -1.05...1.05),
    "codebooks", caption: "the values of the three 4-bit tables on [-1, 1]")
print()
// Code usage: how often each level is chosen for normal weights, blocks of 64.
/// usage[k]: fraction of the weights coded to the k-th smallest level of `type`.
func levelUsage(_ type: FourBitDataType) throws -> [Double] {
    let codes = try FastBlockwise4.quantize(normalX, type: type, blockSize: defaultBlockSize).codes
    var counts = [Int](repeating: 0, count: 16)
    for c in codes { counts[Int(c)] += 1 }
    return type.sortedCodes.map { Double(counts[Int($0)]) / Double(codes.count) }
}
/// Entropy in bits of a distribution over codes: 4 bits when all 16 are equally used.
func entropy(_ p: [Double]) -> Double {
    p.reduce(0) { $0 - ($1 > 0 ? $1 * Math.log2($1) : 0) }
}
let usage = try FourBitDataType.all.map { try levelUsage($0) }  // int4, fp4, nf4
book.say(
    """
    What each type does with normal weights (blocks of \(defaultBlockSize)): the share of the weights \
    that land on each level, smallest level first. A code that is never used is a wasted
    sixteenth; the entropy of the codes says how many of the 4 bits carry information.
    """)
book.table(
    ["level (ascending)", "NF4 %", "FP4 %", "Int4 %"],
    (0..<16).map { k in
        [
            String(k + 1), Fmt.f(100 * usage[2][k], 2), Fmt.f(100 * usage[1][k], 2),
            k < Int4Grid.table.count ? Fmt.f(100 * usage[0][k], 2) : "-",
        ]
    } + [["entropy (bits)", Fmt.f(entropy(usage[2]), 3), Fmt.f(entropy(usage[1]), 3), Fmt.f(entropy(usage[0]), 3)]])
print()
let fp4NearZero = usage[1][6..<10].reduce(0, +)
/// The mean absmax of the blocks of 64, in units of σ.
let meanAbsmaxSigma = stride(from: 0, to: normalX.count, by: defaultBlockSize).map { start in
    Double(Statistics.absmax(Array(normalX[start..<(start + defaultBlockSize)])))
}.reduce(0, +) / Double(normalX.count / defaultBlockSize) / weightStd
book.say(
    """
    NF4 comes closest to 4 bits (\(Fmt.f(entropy(usage[2]), 3))). Its levels were cut for N(0, 1) \
    scaled so that ±1 = 1.848σ, but the absmax of a block of 64 normal weights is on average \
    \(Fmt.f(meanAbsmaxSigma, 2))σ: the scaled weights are narrower than NF4 assumes, so the outer levels are used less than 1/16 (\(Fmt.f(100 * usage[2][0], 1))% and \
    \(Fmt.f(100 * usage[2][15], 1))%) and the inner ones more (up to \(Fmt.f(100 * usage[2].max()!, 1))%). FP4 spends four
    codes (±0 and ±0.0052) on the band around zero, which together take \(Fmt.f(100 * fp4NearZero, 1))% \
    of the weights; Int4 leaves code 15 unused.
    """)
book.figure(
    Charts.bar(
        title: "NF4 uses its 16 codes most evenly",
        xLabel: "level, smallest to largest", yLabel: "% of normal weights (blocks of \(defaultBlockSize))",
        categories: (1...16).map(String.init),
        series: [
            ("nf4", usage[2].map { 100 * $0 }), ("fp4", usage[1].map { 100 * $0 }),
            ("int4", Array(usage[0].prefix(15)).map { 100 * $0 }),
        ],
        annotations: [.horizontal(100.0 / 16, label: "1/16")]),
    "code-usage", caption: "share of \(weightCount) N(0, \(weightStd)^2) weights on each level, per type")
print()

// MARK: - 4.4
book.section("4.4", "Blockwise 4-bit quantization, step by step")
book.say(
    """
    quantize_4bit (QLoRA §2 "Block-wise k-bit Quantization"; bitsandbytes' PyTorch kernel):
    flatten; cut into blocks of blockSize; absmax per block; scaled = clamp(x · (1/absmax),
    −1, 1) (the short last block divides by its absmax instead); code = the nearest table
    value, found by comparing with the midpoints between sorted neighbours (bucketize: a value
    on a midpoint takes the lower code); two codes per byte, the first element in the high
    nibble, an odd count padded with the code of 0.0. Dequantization: table[code] · absmax.
    37 weights in blocks of 32 — one full block, one short block of 5, an odd count:
    """)
var exampleRNG = SeededRNG(seed: seed &+ 40)
var example = exampleRNG.normalFloats(37, std: weightStd)
example[3] = 0.0712  // a large weight: it sets block 0's absmax
let exampleQ = try BlockwiseQuantizer4.quantize(example, type: .nf4, blockSize: 32)
let exampleCodes = exampleQ.codes
let exampleAbsmax = exampleQ.constants.absmax
let exampleHat = exampleQ.dequantize()
let shownIndices = Array(0..<6) + [30, 31] + Array(32..<37)
book.table(
    ["i", "block", "x", "absmax", "scaled", "code", "table[code]", "x̂", "x̂ − x"],
    shownIndices.map { i in
        let b = i / 32
        let scaled = b == 0 ? example[i] * (1 / exampleAbsmax[0]) : example[i] / exampleAbsmax[1]
        return [
            String(i), String(b), Fmt.f(Double(example[i]), 5), Fmt.f(Double(exampleAbsmax[b]), 5),
            Fmt.f(Double(scaled), 4), String(exampleCodes[i]), Fmt.f(Double(NF4Codebook.table[Int(exampleCodes[i])]), 4),
            Fmt.f(Double(exampleHat[i]), 5), Fmt.e(Double(exampleHat[i] - example[i]), 1),
        ]
    })
print()
print("packed (19 bytes, first element in the high nibble, last low nibble = padding 7):")
print("  " + exampleQ.packed.map(hex).joined(separator: " "))
print()
let normalQ64 = try BlockwiseQuantizer4.quantize(normalX, type: .nf4, blockSize: defaultBlockSize)
book.say(
    """
    Weight 3 (0.0712) sets block 0's absmax and comes back exactly (code 15 = 1.0); the others
    share the remaining 15 levels. Byte 0 is \(hex(exampleQ.packed[0])): codes \(exampleCodes[0]) and \
    \(exampleCodes[1]). The storage: \(exampleQ.packed.count) bytes of codes and \(exampleAbsmax.count) float32 \
    absmax = \(exampleQ.storageBytes) bytes for 37 weights. At scale, \(weightCount) weights in blocks of \
    \(defaultBlockSize) take \(normalQ64.storageBytes) bytes: \(Fmt.f(normalQ64.bitsPerParameter, 3)) bits per \
    weight, 4 for the code and 32/64 = 0.5 for the absmax.
    """)
let fastQ64 = try FastBlockwise4.quantize(normalX, type: .nf4, blockSize: defaultBlockSize)
let fastAgrees = fastQ64.packed == normalQ64.packed && fastQ64.constants == normalQ64.constants
book.say(
    """
    The round trips of 4.2, 4.3 and 4.6 run FastBlockwise4, a SIMD rewrite of these steps, about
    20x faster; NF4FastPathTests proves it writes the same bytes as this readable quantizer,
    whose nearest code (Exercise 4c) and packing (4d) you write. On these \(weightCount) weights: \
    \(fastAgrees ? "the same \(fastQ64.packed.count) bytes and \(fastQ64.constants.blockCount) absmax" : "DIFFERENT bytes").
    """)

// MARK: - 4.5
book.section("4.5", "Where bitsandbytes' own backends disagree")
book.say(
    """
    bitsandbytes quantizes with a CUDA kernel on the GPU and with PyTorch code on the CPU, and
    the two do not always produce the same bytes. Quantization4Rules names each disagreement;
    our default (.reference) follows the reference data. One case each:
    """)
// (1) FP4: a value whose magnitude rounds to zero.
let tiny: [Float] = [0.5, 0.001, -0.001, 0.3]
let tinyReference = try BlockwiseQuantizer4.quantize(tiny, type: .fp4, blockSize: 32)
let tinyPyTorch = try BlockwiseQuantizer4.quantize(tiny, type: .fp4, blockSize: 32, rules: .pytorchPath)
// (2) An all-zero block.
let zeros = [Float](repeating: 0, count: 32) + [0.25, -0.1]
let zerosReference = try BlockwiseQuantizer4.quantize(zeros, type: .nf4, blockSize: 32)
let zerosCUDA = try BlockwiseQuantizer4.quantize(zeros, type: .nf4, blockSize: 32, rules: .cudaKernel)
// (3) A scaled value exactly on a midpoint (between NF4 codes 7 = 0 and 8 = 0.0796).
let midpoint = FourBitDataType.nf4.nearest.midpoints[7]
let tie: [Float] = [1.0, midpoint]
let tieLower = try BlockwiseQuantizer4.quantize(tie, type: .nf4, blockSize: 32)
let tieUpper = try BlockwiseQuantizer4.quantize(
    tie, type: .nf4, blockSize: 32, rules: Quantization4Rules(midpointTie: .upperCode))
// (4) The short last block: x / a against x · (1/a). Find an x near a midpoint where they differ.
/// The first (absmax, x) with |x| < absmax whose code differs between dividing and multiplying.
func partialBlockDisagreement() -> (absmax: Float, x: Float)? {
    for absmax: Float in [0.7, 0.3, 0.9, 0.11, 0.57] {
        for m in FourBitDataType.nf4.nearest.midpoints {
            var x = m * absmax
            for _ in 0..<4 { x = x.nextDown }
            for _ in 0..<9 {
                let divided = BlockwiseQuantizer4.code(forScaled: x / absmax, type: .nf4)
                let multiplied = BlockwiseQuantizer4.code(forScaled: x * (1 / absmax), type: .nf4)
                if divided != multiplied && abs(x) < absmax { return (absmax, x) }
                x = x.nextUp
            }
        }
    }
    return nil
}
var ruleRows: [[String]] = [
    [
        "FP4 magnitude rounds to 0", "x = +0.001 in a block of absmax 0.5",
        "\(bits4(tinyReference.codes[1])) (the +0 code)",
        "\(bits4(tinyPyTorch.codes[1])) (the -0 code)  (PyTorch bucketize)",
    ],
    [
        "", "x = -0.001",
        "\(bits4(tinyReference.codes[2])) (the -0 code)",
        "\(bits4(tinyPyTorch.codes[2])) (the +0 code)  (PyTorch bucketize)",
    ],
    [
        "all-zero block (NF4)", "32 zeros, absmax 0",
        "code \(zerosReference.codes[0]) → \(signed(zerosReference.dequantize()[0]))",
        "code \(zerosCUDA.codes[0]) → \(signed(zerosCUDA.dequantize()[0]))  (CUDA: 0·∞ = NaN)",
    ],
    [
        "scaled value on a midpoint", "x = \(Fmt.f(Double(midpoint), 8)), absmax 1",
        "code \(tieLower.codes[1]) → \(signed(tieLower.dequantize()[1]))",
        "code \(tieUpper.codes[1]) → \(signed(tieUpper.dequantize()[1]))  (right=True)",
    ],
]
var partialFound: (absmax: Float, x: Float)?
if let (a, x) = partialBlockDisagreement() {
    partialFound = (a, x)
    let t: [Float] = [a, x]
    let divide = try BlockwiseQuantizer4.quantize(t, type: .nf4, blockSize: 32)
    let multiply = try BlockwiseQuantizer4.quantize(
        t, type: .nf4, blockSize: 32, rules: Quantization4Rules(partialBlock: .multiplyByReciprocal))
    ruleRows.append([
        "short last block", "x = \(Fmt.g(Double(x), 9)), absmax \(Fmt.g(Double(a)))",
        "x/a: code \(divide.codes[1]) → \(signed(divide.dequantize()[1], 6))",
        "x·(1/a): code \(multiply.codes[1]) → \(signed(multiply.dequantize()[1], 6))  (CUDA)",
    ])
}
book.table(["question", "input", ".reference", "the other backend"], ruleRows, leftAligned: [0, 1, 2, 3])
print()
if let found = partialFound {
    book.say(
        """
        The short block's x / a = \(Fmt.g(Double(found.x / found.absmax), 9)) and x · (1/a) = \
        \(Fmt.g(Double(found.x * (1 / found.absmax)), 9)) differ in the last bit, and a midpoint lies between them.
        """)
}
// How much do the rules change on ordinary weights? 2^16 + 37 normal weights (a short last block).
let ruleX = Array(normalX.prefix((1 << 16) + 37))
var countRows: [[String]] = []
for type in [FourBitDataType.nf4, .fp4, .int4] {
    let reference = try BlockwiseQuantizer4.quantize(ruleX, type: type, blockSize: defaultBlockSize)
    let referenceHat = reference.dequantize()
    for (name, rules) in [("pytorchPath", Quantization4Rules.pytorchPath), ("cudaKernel", .cudaKernel)] {
        let other = try BlockwiseQuantizer4.quantize(ruleX, type: type, blockSize: defaultBlockSize, rules: rules)
        let otherHat = other.dequantize()
        let codeDiffs = zip(reference.codes, other.codes).filter { $0 != $1 }.count
        let bitDiffs = zip(referenceHat, otherHat).filter { $0.bitPattern != $1.bitPattern }.count
        let valueDiffs = zip(referenceHat, otherHat).filter { $0 != $1 }.count
        countRows.append([
            displayName(type), "." + name, String(codeDiffs), String(bitDiffs), String(valueDiffs),
        ])
    }
}
book.say(
    """
    On \(ruleX.count) ordinary N(0, \(weightStd)^2) weights in blocks of \(defaultBlockSize) (the last block \
    short), codes and dequantized values that differ from .reference:
    """)
book.table(["type", "rules", "codes differ", "x̂ bits differ", "x̂ values differ"], countRows, leftAligned: [0, 1])
print()
let fp4Flips = countRows.first { $0[0] == "FP4" && $0[1] == ".pytorchPath" }![2]
book.say(
    """
    Only FP4's sign of zero shows up in ordinary weights: \(fp4Flips) values smaller than about 0.26% of \
    their block's absmax land on a zero whose sign bit the two paths set oppositely. The codes
    differ; the dequantized values do not, because the table holds +0 for both zero codes
    (bitsandbytes writes its FP4 list in Python, where -0 is the integer 0; its C dequantizer,
    which decodes the sign bit itself, returns -0 for 0b1000 — the last bit only). The other
    three rules need an exact midpoint, an all-zero block, or a last-bit difference across a
    midpoint: rare in real weights, but a bit-for-bit test against bitsandbytes must know which
    backend it compares with, so the tests in NF4Tests pin each one down.
    """)

// MARK: - 4.6
book.section("4.6", "The evidence: Int4, FP4 and NF4 at every block size")
book.say(
    """
    QLoRA's claim (§3, and §4 with Table 2; repeated in the HF 4-bit blog post): NF4 is
    better than FP4, which is better than Int4. The paper measures perplexity and accuracy of
    real models; here we measure what the data types do to weights: the round-trip mean
    squared error of \(weightCount) synthetic weights, for block sizes 32 … 4096 — normal weights \
    (σ = \(weightStd)), and Student-t weights with ν = \(heavyTailNu) scaled to the same σ (heavier tails: \
    more blocks dominated by one large weight). Smaller blocks cost more absmax bytes (32/B bits
    per weight) and give less error.
    """)
let blockSizes = DataTypeComparison.blockSizes
let types: [FourBitDataType] = [.int4, .fp4, .nf4]
/// mse[type index][block index] for `x`.
func sweep(_ x: [Float]) throws -> [[Double]] {
    try types.map { type in try blockSizes.map { Statistics.mse(x, try roundTrip(x, type, blockSize: $0)) } }
}
let normalMSE = try sweep(normalX)
let heavyMSE = try sweep(heavyX)
/// The types in ascending MSE order at block index `b`, e.g. "NF4 < Int4 < FP4".
func order(_ mse: [[Double]], _ b: Int) -> String {
    types.indices.sorted { mse[$0][b] < mse[$1][b] }.map { displayName(types[$0]) }.joined(separator: " < ")
}
for (name, mse) in [("normal, σ = \(weightStd)", normalMSE), ("Student-t, ν = \(heavyTailNu), σ = \(weightStd)", heavyMSE)] {
    print("MSE of the round trip, \(name):")
    book.table(
        ["block size", "bits/weight", "Int4", "FP4", "NF4", "FP4/Int4", "NF4/Int4", "order"],
        blockSizes.indices.map { b in
            [
                String(blockSizes[b]), Fmt.f(4 + MemoryArithmetic.constantBitsPerParameter(blockSize: blockSizes[b]), 4),
                Fmt.e(mse[0][b], 3), Fmt.e(mse[1][b], 3), Fmt.e(mse[2][b], 3), Fmt.f(mse[1][b] / mse[0][b], 3),
                Fmt.f(mse[2][b] / mse[0][b], 3), order(mse, b),
            ]
        }, leftAligned: [7])
    print()
}
let nf4BestEverywhere = blockSizes.indices.allSatisfy { b in
    [normalMSE, heavyMSE].allSatisfy { $0[2][b] < $0[0][b] && $0[2][b] < $0[1][b] }
}
let fp4WinsNormal = blockSizes.indices.filter { normalMSE[1][$0] < normalMSE[0][$0] }.map { blockSizes[$0] }
let fp4WinsHeavy = blockSizes.indices.filter { heavyMSE[1][$0] < heavyMSE[0][$0] }.map { blockSizes[$0] }
/// "none" or "2048, 4096".
func list(_ xs: [Int]) -> String { xs.isEmpty ? "none" : xs.map(String.init).joined(separator: ", ") }
let nf4Gain = blockSizes.indices.map { 1 - normalMSE[2][$0] / normalMSE[0][$0] }
book.say(
    """
    Where the paper's ordering holds: NF4 has the smallest error \
    \(nf4BestEverywhere ? "at every block size, on both distributions" : "NOT everywhere (see the tables)"): \
    \(Fmt.f(100 * nf4Gain.min()!, 0))–\(Fmt.f(100 * nf4Gain.max()!, 0))% below Int4 on normal weights, \
    with the gap widening as blocks grow (a bigger block's absmax sits further out in the tail,
    and NF4's levels stay where the weights are).

    Where it fails: bitsandbytes' FP4 is NOT better than Int4 in MSE. On normal weights it is
    worse at every block size (block sizes where FP4 < Int4: \(list(fp4WinsNormal))), by \
    \(Fmt.f(100 * (normalMSE[1][0] / normalMSE[0][0] - 1), 0))% at 32 and \
    \(Fmt.f(100 * (normalMSE[1][1] / normalMSE[0][1] - 1), 0))% at the default 64. Only heavy tails with \
    big blocks turn it around (Student-t ν = \(heavyTailNu): FP4 < Int4 at \(list(fp4WinsHeavy))): when one \
    large weight sets the absmax, the rest crowd near zero, where FP4's levels are denser. Two
    reasons it loses elsewhere: four of its 16 codes (±0, ±0.0052) cover the band around zero
    that Int4 covers with one, and its top step (0.667 → 1) is more than twice Int4's 1/7.
    The paper ranks the types by the quality of real quantized models (perplexity, zero-shot
    accuracy), which this MSE on synthetic weights does not measure: weight MSE is only a proxy
    for it. On the MSE of near-normal weights only the NF4 half of the claim survives; Chapter
    7 checks this ranking on a trained model's held-out loss.
    """)
let blockAxis = blockSizes.map(Double.init)
book.figure(
    Charts.line(
        title: "NF4 has the lowest error at every block size",
        xLabel: "block size (weights per absmax, log scale)", yLabel: "round-trip MSE (log scale)",
        series: [
            Series(name: "int4 (normal)", x: blockAxis, y: normalMSE[0], color: Palette.bluishGreen),
            Series(name: "fp4 (normal)", x: blockAxis, y: normalMSE[1], color: Palette.black),
            Series(name: "nf4 (normal)", x: blockAxis, y: normalMSE[2], color: Palette.blue),
            Series(name: "int4 (Student-t, 3 dof)", x: blockAxis, y: heavyMSE[0], color: Palette.bluishGreen, style: .dashed),
            Series(name: "fp4 (Student-t, 3 dof)", x: blockAxis, y: heavyMSE[1], color: Palette.black, style: .dashed),
            Series(name: "nf4 (Student-t, 3 dof)", x: blockAxis, y: heavyMSE[2], color: Palette.blue, style: .dashed),
        ],
        xScale: .log10, yScale: .log10, markers: true, xTicks: blockAxis),
    "mse-vs-block-size",
    caption: "round-trip MSE of \(weightCount) weights, σ = \(weightStd), solid normal, dashed Student-t (ν = 3)")
print()
// Error histograms at the default block size, shared bins.
let errorSeries: [(name: String, values: [Double])] = try [FourBitDataType.nf4, .fp4, .int4].map { type in
    let xHat = try roundTrip(normalX, type, blockSize: defaultBlockSize)
    return (type.name, zip(xHat, normalX).map { Double($0 - $1) })
}
let rms = errorSeries.map { one in (one.values.reduce(0) { $0 + $1 * $1 } / Double(one.values.count)).squareRoot() }
let maxError = errorSeries.map { one in one.values.map(abs).max()! }
book.say("The errors themselves, normal weights in blocks of \(defaultBlockSize):")
book.table(
    ["type", "RMS error", "largest |error|", "exact (error 0)"],
    errorSeries.indices.map { i in
        [
            displayName(FourBitDataType.named(errorSeries[i].name)!), Fmt.e(rms[i], 3), Fmt.e(maxError[i], 3),
            String(errorSeries[i].values.filter { $0 == 0 }.count),
        ]
    })
print()
book.say(
    """
    NF4 wins on the typical error and loses on the worst: its steps are fine near zero, where
    most weights are, and wide at the ends (0.723 → 1, a step of 0.277 of the absmax, against
    Int4's 0.143), so a weight between its two outer levels can be off by 0.139 · absmax.
    Int4's error never exceeds half its uniform step. The \(errorSeries[0].values.filter { $0 == 0 }.count) \
    exact values are the blocks' absmax weights (\(weightCount / defaultBlockSize) blocks), which every type stores \
    exactly as ±1 · absmax.
    """)
let histogramLimit = (maxError.max()! * 1.02 * 1000).rounded(.up) / 1000
book.figure(
    Charts.histogram(
        title: "NF4: smallest RMS error; Int4: shortest tails",
        xLabel: "dequantized - original weight (σ of the weights = 0.02)", yLabel: "weights (log scale)",
        series: errorSeries, bins: 120, range: -histogramLimit...histogramLimit, yScale: .log10),
    "error-histograms",
    caption: "round-trip error of \(weightCount) normal weights, blocks of \(defaultBlockSize), per type, shared bins")
print()

// MARK: - 4.7
book.section("4.7", "Double quantization: quantizing the constants")
let dq = try BlockwiseQuantizer4.quantize(normalX, type: .nf4, blockSize: defaultBlockSize, doubleQuantization: true)
guard case .doubleQuantized(let nested) = dq.constants, case .float(let plainAbsmax) = normalQ64.constants else {
    fatalError("expected float32 constants without and double-quantized ones with --double-quant")
}
let restoredAbsmax = nested.decompress()
let absmaxRelativeErrors = zip(restoredAbsmax, plainAbsmax).map { abs(Double($0) - Double($1)) / Double($1) }
let dqMSE = Statistics.mse(normalX, dq.dequantize())
/// A few entries of the signed dynamic map, "code: value".
let dynamicSamples = [0, 64, 120, 127, 128, 135, 191, 255].map { code in
    "\(code): \(Fmt.g(Double(DynamicMap.signed[code]), 4))"
}.joined(separator: ", ")
let plainMSE = Statistics.mse(normalX, normalQ64.dequantize())
book.say(
    """
    Blocks of 64 cost one float32 absmax per 64 weights: 0.5 bits per weight, an eighth of
    the codes themselves. QLoRA's Double Quantization (§3) quantizes those constants c₂ in
    turn: subtract their mean (all absmax values are positive and bunched; centred, they use
    both halves of a signed code), quantize to 8 bits in blocks of 256, and keep the mean and
    one float32 c₁ per 256 constants. bitsandbytes does this with compress_statistics=True.

    The 8-bit code it uses is the signed dynamic map of Dettmers et al. (2022, "8-bit Optimizers
    via Block-wise Quantization", §2): 256 values in [−1, 1] laid out like a float with a
    movable point — after the sign bit, a run of E zero bits picks the decade (about 10^−E)
    and the bits after the terminating 1 are a linear fraction, so the values are dense near 0
    and sparse near ±1 (code: value): \(dynamicSamples). Blockwise quantization with it is
    Chapter 2's recipe with this table in place of the int8 grid: divide a block by its absmax,
    store the nearest entry's code. Chapter 5 builds the map (Exercise 5a) and uses it for
    Adam's states; here it is a table to look up. On the \(weightCount) normal weights:
    """)
book.table(
    ["", "float32 absmax", "double-quantized"],
    [
        ["constants", "\(plainAbsmax.count) float32", "\(nested.quantized.count) codes + \(nested.quantized.absmax.count) float32 c₁ + offset"],
        ["constant bytes", String(normalQ64.constants.storageBytes), String(dq.constants.storageBytes)],
        ["bits per weight, measured", Fmt.f(normalQ64.bitsPerParameter, 4), Fmt.f(dq.bitsPerParameter, 4)],
        ["weight round-trip MSE", Fmt.e(plainMSE, 4), Fmt.e(dqMSE, 4)],
    ], leftAligned: [0])
print()
book.table(
    ["block", "absmax c₂", "c₂ − offset", "code", "restored", "relative error"],
    (0..<5).map { b in
        [
            String(b), Fmt.f(Double(plainAbsmax[b]), 6), Fmt.f(Double(plainAbsmax[b] - nested.offset), 6),
            String(nested.quantized.codes[b]), Fmt.f(Double(restoredAbsmax[b]), 6), Fmt.e(absmaxRelativeErrors[b], 2),
        ]
    })
print()
book.say(
    """
    The offset (the mean absmax) is \(Fmt.f(Double(nested.offset), 6)); the centred constants span \
    \(Fmt.f(Double(plainAbsmax.min()! - nested.offset), 4)) … \(Fmt.f(Double(plainAbsmax.max()! - nested.offset), 4)). \
    Each restored absmax is off by at most \(Fmt.e(absmaxRelativeErrors.max()!, 2)) of itself (median \
    \(Fmt.e(Statistics.quantile(absmaxRelativeErrors.map(Float.init), 0.5), 2))), far below the 4-bit codes' own \
    error: the weights' MSE changes by \(Fmt.f(100 * (dqMSE / plainMSE - 1), 2))%.
    """)
let bits = MemoryArithmetic.constantBitsPerParameter()
let dqBits = MemoryArithmetic.doubleQuantizedConstantBitsPerParameter()
let saving = MemoryArithmetic.doubleQuantizationSavingBitsPerParameter()
let saving65B = MemoryArithmetic.gigabytes(
    MemoryArithmetic.bytes(parameters: MemoryArithmetic.parameters65B, bitsPerParameter: saving))
book.say("The memory arithmetic of QLoRA §3, computed (MemoryArithmetic):")
book.table(
    ["quantity", "formula", "bits per parameter"],
    [
        ["constants, float32 per block of 64", "32/64", Fmt.f(bits, 6)],
        ["double-quantized constants", "8/64 + 32/(64·256)", Fmt.f(dqBits, 6)],
        ["saving", "difference", Fmt.f(saving, 6)],
    ])
print()
print("saving for a 65B model: 65e9 × \(Fmt.f(saving, 6)) / 8 bytes = \(Fmt.f(saving65B, 2)) GB")
print()
book.say(
    """
    Whole models, weights only (every parameter quantized; real checkpoints keep norms and often
    embeddings in 16 bits), decimal GB. Int8 is what transformers' load_in_8bit stores, LLM.int8()
    (Chapter 3): an int8 code per weight and one float32 scale per output row (bitsandbytes'
    SCB), 8 + 32/4096 bits for rows of 4096 inputs (LLaMA-7B's hidden size; longer rows cost
    less). Its outlier columns cost no storage: they are picked from the activations at run
    time, and their weights come from the same int8 codes.
    """)
let storages = MemoryArithmetic.Storage.allCases
book.table(
    ["storage", "bits/param", "7B (GB)", "65B (GB)"],
    storages.map { s in
        [
            s == .int8 ? "int8 (LLM.int8)" : s.rawValue, Fmt.f(s.bitsPerParameter, 4),
            Fmt.f(MemoryArithmetic.gigabytes(MemoryArithmetic.totalBytes(parameters: MemoryArithmetic.parameters7B, storage: s)), 2),
            Fmt.f(MemoryArithmetic.gigabytes(MemoryArithmetic.totalBytes(parameters: MemoryArithmetic.parameters65B, storage: s)), 2),
        ]
    })
print()
let gb65 = { (s: MemoryArithmetic.Storage) in
    MemoryArithmetic.gigabytes(MemoryArithmetic.totalBytes(parameters: MemoryArithmetic.parameters65B, storage: s))
}
book.say(
    """
    A 65B model falls from \(Fmt.f(gb65(.fp16), 0)) GB in fp16 to \(Fmt.f(gb65(.nf4DoubleQuant), 1)) GB in NF4 \
    with double quantization — the weights of the paper's 65B fine-tune on one 48 GB GPU, with
    room left for LoRA adapters, activations and (paged) optimizer states (Chapter 7).
    """)

// MARK: - 4.8
book.section("4.8", "Your turn")
book.say(
    """
    Exercises 4a-4f write the functions this chapter ran: 4a the inverse normal CDF, 4b the
    NF4 table, 4c the nearest 4-bit code, 4d nibble packing, 4e double quantization, 4f the
    bits per parameter. `scripts/exercise start 4a` blanks one, `scripts/exercise check 4a`
    runs its tests and `scripts/exercise hint 4a` says what to read. NF4ReferenceTests compare
    the whole pipeline with bitsandbytes 0.50.2 bit for bit.

    Try it on your own tensors (`lowbit codebook NAME` prints a table, line i = code i, for nf4,
    fp4, int4, dynamic8-signed and dynamic8-unsigned):
    """)
print("    lowbit codebook nf4")
print("    lowbit quantize --scheme nf4 --block-size 64 --double-quant W.npy \\")
print("        --dequantized W4.npy --codes C.npy --absmax A.npy --json")
