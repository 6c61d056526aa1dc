import Blockwise8
import Book
import NF4
import Plot

/// §4.2: NF4 built as bitsandbytes builds it, code by code against the published table; the
/// equal probability mass between levels (with the figure) and why there is an extra value.
func nf4TableSection(_ book: Notebook) {
    book.section("4.2", "Building NF4 from normal quantiles")
    let offset = NF4Codebook.offset
    let positiveP = TorchLinspace.float32(from: Float(offset), to: 0.5, count: 9).dropLast()
    let negativeP = TorchLinspace.float32(from: Float(offset), to: 0.5, count: 8).dropLast()
    let constructed = NF4Codebook.construct()
    let published = NF4Codebook.table
    book.say(
        """
        bitsandbytes builds NF4 with create_normal_map(offset = 0.9677083, use_extra_value =
        True), the table QLoRA's experiments use and the HF 4-bit blog post ("Making LLMs even
        more accessible with bitsandbytes, 4-bit quantization and QLoRA", 2023) summarises.
        It is not the formula printed in QLoRA's §3 (that one comes after this table): it
        takes quantiles at evenly spaced probabilities, without averaging: 8 positive levels
        Φ⁻¹(p) at p = linspace(offset, 0.5, 9) without its last point, 7 negative ones at
        −Φ⁻¹(p) with p = linspace(offset, 0.5, 8) without its last point, and one 0; sorted
        and divided by the largest, Φ⁻¹(offset). The probabilities are float32
        (torch.linspace), Φ⁻¹ is Double (scipy), the division float32. Code by code, against
        the table bitsandbytes publishes in get_4bit_type('nf4') (an ulp, a unit in the last
        place, is the gap between two neighbouring float32 values):
        """)
    // Φ(level before normalisation) for each code: the cumulative probability it sits at.
    let cumulative: [Double] =
        negativeP.map { 1 - Double($0) } + [0.5] + positiveP.reversed().map { Double($0) }
    book.table(
        ["code", "Φ(level)", "Φ⁻¹ (σ units)", "constructed", "published", "ulps apart"],
        (0..<16).map { code in
            let p = cumulative[code]
            let ulps = abs(Int(constructed[code].bitPattern) - Int(published[code].bitPattern))
            return [
                String(code), Fmt.f(p, 7), Fmt.f(StandardNormal.quantile(p), 6),
                Fmt.f(Double(constructed[code]), 8), Fmt.f(Double(published[code]), 8),
                String(ulps),
            ]
        })
    print()
    let sigma = NF4Codebook.levelsInStandardDeviations()
    let masses = (0..<15).map { StandardNormal.cdf(sigma[$0 + 1]) - StandardNormal.cdf(sigma[$0]) }
    let (negative, positive) = (masses[0..<7], masses[7..<15])
    let positiveStep = (offset - 0.5) / 8
    let negativeStep = (offset - 0.5) / 7
    book.say(
        """
        All 16 entries match to the bit (Exercise 4b, the NF4 table, follows bitsandbytes, and
        its tests check it; dividing in Double instead of float32 would move 6 of them by one
        ulp, which is why the quantizer uses the published table, not a recomputation).

        Equal probability mass: neighbouring levels enclose the same mass of N(0, 1), because
        they sit at equally spaced probabilities. Between the 8 positive levels (and 0) that
        is (offset − ½)/8 = \(Fmt.f(positiveStep, 6)); measured from the published table: \
        \(Fmt.f(positive.min()!, 6)) … \(Fmt.f(positive.max()!, 6)). On the negative side, 7 \
        steps of (offset − ½)/7 = \(Fmt.f(negativeStep, 6)); measured: \
        \(Fmt.f(negative.min()!, 6)) … \(Fmt.f(negative.max()!, 6)). Where normal weights are \
        dense (near 0) the levels are dense; every code gets its fair share of the weights.
        """)
    // The figure: N(0, 1), and over it the average density between neighbouring levels
    // (mass ÷ width) as steps: narrow and tall at the centre, wide and low in the tails,
    // every step enclosing the same area.
    let densityX = stride(from: -3.2, through: 3.2, by: 0.02).map { $0 }
    var stepX: [Double] = []
    var stepY: [Double] = []
    for i in 0..<15 {
        let height = masses[i] / (sigma[i + 1] - sigma[i])
        stepX += [sigma[i], sigma[i], sigma[i + 1], sigma[i + 1]]
        stepY += [0, height, height, 0]
    }
    book.figure(
        Charts.line(
            title: "Neighbouring NF4 levels enclose equal normal mass",
            xLabel: "weight / σ (NF4's ±1 sits at ±\(Fmt.f(sigma[15], 3))σ)",
            yLabel: "probability density",
            series: [
                Series(
                    name: "N(0, 1) density", x: densityX, y: densityX.map(StandardNormal.density),
                    color: Palette.grey),
                Series(name: "nf4: mass between levels / width", x: stepX, y: stepY),
            ],
            xRange: -3.2...3.2, yRange: 0...0.5,
            annotations: [.vertical(sigma[0]), .vertical(sigma[15], label: "±1 (the absmax)")]),
        "nf4-levels-over-normal",
        caption: "16 levels = step edges; each step holds \(Fmt.f(positiveStep, 4)) or "
            + Fmt.f(negativeStep, 4))
    print()
    book.say(
        """
        Why an extra positive value: 16 codes split 8 + 8 leave no room for an exact zero, and
        zero must come back exactly (padding, pruned weights, every all-zero block). 7
        negative levels, 0 and 8 positive ones use all 16 codes; the price is a slight
        asymmetry.
        """)
}
