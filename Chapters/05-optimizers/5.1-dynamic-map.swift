import Blockwise8
import Book
import Core
import Plot

/// §5.1: bitsandbytes' signed and unsigned dynamic maps, decade by decade, and their relative
/// precision against a linear 8-bit grid.
func dynamicMapSection(_ book: Notebook) {
    book.section("5.1", "The dynamic 8-bit map: a float with a movable point")
    let signedMap = DynamicMap.signed
    let unsignedMap = DynamicMap.unsigned
    book.say(
        """
        Adam's states span many orders of magnitude within one tensor: the second moment v
        holds squared gradients, and 1e-12 next to 1e-4 is ordinary. A linear 8-bit grid
        (Chapter 2's absmax int8) has one step, absmax/127, and rounds everything below half
        of it to zero. Dettmers et al. (2022, "8-bit Optimizers via Block-wise Quantization",
        §2, "Dynamic Quantization") use instead the dynamic data type (Chapter 4's double
        quantization already borrowed its signed form): after the sign bit, a run of E zeros
        is the exponent (value ~ 10^−E), a 1 marks its end, and the remaining F = 6 − E bits
        are a linear fraction in (0.1, 1). Each extra zero buys a decade of range and costs
        one bit of precision. bitsandbytes builds it as create_dynamic_map: decade by decade,
        the centres of linspace(0.1, 1, n + 1) scaled into the decade, with n = 2^i levels in
        [10^(i−7), 10^(i−6)) for i = 0 … 6 (twice as many for the unsigned map, whose sign
        bit becomes a fraction bit, F = 7 − E: v is never negative), plus 0 and 1. The
        positive half of each map, decade by decade ("step at top": the gap between the
        decade's two largest values, relative to the largest):
        """)
    /// Positive entries of `map` in [10^e, 10^(e+1)), 1 itself excluded.
    func decade(_ map: [Float], _ e: Int) -> [Float] {
        let low = Math.pow(10, Double(e))
        let high = Math.pow(10, Double(e + 1))
        return map.filter { Double($0) >= low && Double($0) < high && $0 < 1 }
    }
    /// The relative step at the top of a decade, as a percentage, or "-" for a single level.
    func topStep(_ levels: [Float]) -> String {
        guard levels.count > 1 else { return "-" }
        let (top, below) = (levels[levels.count - 1], levels[levels.count - 2])
        return Fmt.f(100 * Double(top - below) / Double(top), 2) + "%"
    }
    let g5 = { (x: Float) in Fmt.g(Double(x), 5) }
    book.table(
        [
            "decade", "signed: levels", "smallest", "largest", "step at top", "unsigned: levels",
            "step at top",
        ],
        (-7...(-1)).reversed().map { e in
            let s = decade(signedMap, e)
            let u = decade(unsignedMap, e)
            return [
                "1e\(e) … 1e\(e + 1)", String(s.count), s.first.map(g5) ?? "-",
                s.last.map(g5) ?? "-", topStep(s), String(u.count), topStep(u),
            ]
        })
    print()
    let zeroCode = signedMap.firstIndex(of: 0)!
    book.say(
        """
        The signed map: \(signedMap.count) values, code 0 = \(g5(signedMap[0])) (there is no −1), \
        code \(zeroCode) = 0, code 255 = \(g5(signedMap[255])); the smallest positive value is \
        \(g5(signedMap[zeroCode + 1])). The unsigned map runs from 0 (code 0) through \
        \(g5(unsignedMap[1])) to 1 (code 255). Both match bitsandbytes' tables entry for entry
        (Exercise 5a; the float32 linspace needs PyTorch's fused multiply-add, see
        TorchLinspace).

        What that buys, measured as the gap between neighbouring values relative to the value:
        a linear grid is fine near its absmax and has nothing between 0 and absmax/127; the
        dynamic map's relative step only doubles from one decade to the next (1.4% near the
        absmax, 12% a thousand times below it), so a small state keeps its rough magnitude
        instead of becoming 0 — down to the smallest level, \(g5(signedMap[zeroCode + 1])) \
        (signed) or \(g5(unsignedMap[1])) (unsigned) of the block's absmax; below about half \
        of that, the dynamic map returns 0 too:
        """)
    /// (value, gap to the next larger value / value) over the positive part of a sorted table.
    func relativeGaps(_ table: [Float]) -> (x: [Double], y: [Double]) {
        let positive = table.filter { $0 > 0 }.map(Double.init)
        let pairs = zip(positive, positive.dropFirst()).map { ($0, ($1 - $0) / $0) }
        return (pairs.map(\.0), pairs.map(\.1))
    }
    let gapsSigned = relativeGaps(signedMap)
    let gapsUnsigned = relativeGaps(unsignedMap)
    let gapsLinear = relativeGaps((-127...127).map { Float($0) / 127 })
    book.figure(
        Charts.line(
            title: "Linear int8 stops at 1/127; dynamic maps go 4 decades lower",
            xLabel: "value / block absmax (log scale)",
            yLabel: "gap to next value / value (log scale)",
            series: [
                Series(
                    name: "dynamic, signed (m)", x: gapsSigned.x, y: gapsSigned.y,
                    color: Palette.blue),
                Series(
                    name: "dynamic, unsigned (v)", x: gapsUnsigned.x, y: gapsUnsigned.y,
                    color: Palette.skyBlue),
                Series(
                    name: "linear int8, k/127", x: gapsLinear.x, y: gapsLinear.y,
                    color: Palette.reddishPurple),
            ],
            xScale: .log10, yScale: .log10, markers: true,
            annotations: [.horizontal(0.01, label: "1%")]),
        "dynamic-map-precision",
        caption: "relative gap between neighbouring values, per map")
    print()
}
