import Book
import FloatFormats
import Plot

/// 1.4: every FP4 code, the size of the FP8 and FP4 grids, and two binades up close.
func gridsSection(_ book: Notebook) {
    book.section("1.4", "The grids of FP8 and FP4")
    book.say(
        """
        The fewer the bits, the more visible the grid. FP4 E2M1 has 16 codes; here is every one:
        """)
    let fp4 = FloatFormat.fp4E2M1
    book.table(
        ["code", "bits", "value"],
        (0..<UInt32(fp4.codeCount)).map { code in
            [
                String(code), fp4.explain(fp4.decode(code)).bitString,
                Fmt.g(Double(fp4.decode(code))),
            ]
        }, leftAligned: [1])
    print()
    book.table(
        ["format", "codes", "positive finite", "in [1, 2)", "smallest", "step at max", "largest"],
        [FloatFormat.fp8E4M3, .fp8E5M2, .fp4E2M1].map { format in
            let positives = format.allFiniteValues.filter { $0 > 0 }
            let inOneToTwo = positives.filter { $0 >= 1 && $0 < 2 }.count
            let nearMax = positives.suffix(2)
            return [
                format.name, String(format.codeCount), String(positives.count), String(inOneToTwo),
                Fmt.g(Double(positives.first ?? 0)),
                Fmt.g(Double((nearMax.last ?? 0) - (nearMax.first ?? 0))),
                Fmt.g(Double(positives.last ?? 0)),
            ]
        })
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
        (
            name: format.name,
            values: format.allFiniteValues.filter { $0 >= 1 && $0 <= 4 }.map(Double.init)
        )
    }
    let perBinade = zoomed.map { one in one.values.filter { $0 < 2 }.count }  // in [1, 2)
    book.figure(
        Charts.strip(
            title: "Each binade holds E4M3 \(perBinade[1]) values, E5M2 \(perBinade[0]), "
                + "FP4 \(perBinade[2])",
            xLabel: "value (linear axis; the step doubles at 2)", series: zoomed,
            xRange: 0.9...4.1),
        "representable-values", caption: "fp8-e5m2, fp8-e4m3, fp4-e2m1 values in [1, 4]")
}
