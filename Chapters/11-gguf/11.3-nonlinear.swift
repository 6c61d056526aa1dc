import Book
import GGML
import NF4
import Plot

/// 11.3: IQ4_NL's table beside NF4's, and MXFP4's shared exponent over E2M1 codes.
func nonLinearSection(_ book: Notebook, setup: GGUFSetup, synthetic: [Float]) {
    book.section("11.3", "IQ4_NL vs NF4, and MXFP4")
    let iq4 = IQ4_NL.values.map { Double($0) / 127 }
    let nf4 = FourBitDataType.nf4.values.map(Double.init)
    book.say(
        """
        IQ4_NL keeps Q4_0's struct (fp16 d, 16 bytes of nibbles, 4.5 bits per weight) and
        reads each code through a fixed table, kvalues_iq4nl, bent toward zero like NF4's. The
        two tables, IQ4_NL's divided by 127 so both end at -1:
        """)
    book.table(
        ["code"] + (0..<8).map { "\($0)" },
        [["IQ4_NL"] + iq4[0..<8].map { Fmt.f($0, 3) }, ["NF4"] + nf4[0..<8].map { Fmt.f($0, 3) }])
    book.table(
        ["code"] + (8..<16).map { "\($0)" },
        [["IQ4_NL"] + iq4[8..<16].map { Fmt.f($0, 3) }, ["NF4"] + nf4[8..<16].map { Fmt.f($0, 3) }])
    print()
    book.figure(
        Charts.line(
            title: "Two 4-bit tables bent toward zero",
            xLabel: "code", yLabel: "value / largest magnitude",
            series: [
                Series(name: "IQ4_NL (kvalues_iq4nl / 127)", y: iq4, color: Palette.blue),
                Series(name: "NF4 (bitsandbytes)", y: nf4, color: Palette.orange),
                Series(
                    name: "E2M1 (MXFP4) / 6", y: sortedE2M1().map { $0 / 6 },
                    color: Palette.bluishGreen, style: .dashed),
            ],
            markers: true),
        "iq4nl-vs-nf4", caption: "the 16 values of IQ4_NL, NF4 and E2M1, code by code")
    book.check(iq4.first! == -1 && nf4.first! == -1, "both tables start at -1")
    book.check(iq4[8] > 0 && nf4[7] == 0, "IQ4_NL has no exact zero, NF4 has")
    book.say(
        """
        Both have 16 values and a finer step near zero, where most weights are. NF4 is
        symmetric around an exact 0 (code 7) with 8 values above it and 7 below; IQ4_NL has no
        zero at all (its closest values are \(Fmt.f(iq4[8], 4)) and \(Fmt.f(iq4[7], 4))) and is
        scaled differently: not by absmax, but by a least-squares d searched per block (the
        sign of the largest weight picks which end of the table it lands on; 16 candidate
        scales, the best weighted fit kept). The errors on the same weights, every type at
        4.25-4.5 bits (NF4 and FP4 in bitsandbytes' blocks of 64 with a float32 absmax, 4.5
        bits, as Chapter 4 stores them):
        """)
    fourBitTable(book, setup: setup, synthetic: synthetic)
    mxfp4Paragraph(book, setup: setup)
}

/// Weight errors of the 4-bit types on TinyGPT (all block linears) and the Student-t matrix.
private func fourBitTable(_ book: Notebook, setup: GGUFSetup, synthetic: [Float]) {
    let schemes: [(String, Double, ([Float]) throws -> [Float])] = [
        ("Q4_0", Q4_0.bitsPerWeight, { try roundTrip(Q4_0.self, $0) }),
        ("IQ4_NL", IQ4_NL.bitsPerWeight, { try roundTrip(IQ4_NL.self, $0) }),
        ("MXFP4", MXFP4.bitsPerWeight, { try roundTrip(MXFP4.self, $0) }),
        ("NF4 b64", 4.5, { try BlockwiseQuantizer4.quantize($0, type: .nf4).dequantize() }),
        ("FP4 b64", 4.5, { try BlockwiseQuantizer4.quantize($0, type: .fp4).dequantize() }),
    ]
    let names = setup.base.blockLinearNames
    let weights = names.flatMap { setup.weight($0).values }
    var errors: [String: (Double, Double)] = [:]
    var rows: [[String]] = []
    for (name, bits, quantize) in schemes {
        // each matrix on its own (a block never spans two matrices), then summed
        let q = names.flatMap { n in book.attempt(name) { try quantize(setup.weight(n).values) } }
        let e = (relativeError(weights, q), relativeError(synthetic, book.attempt(name) {
            try quantize(synthetic)
        }))
        errors[name] = e
        rows.append([name, Fmt.f(bits, 2), Fmt.e(e.0, 3), Fmt.e(e.1, 3)])
    }
    book.table(["type", "bits / weight", "TinyGPT weights", "Student-t weights"], rows)
    print()
    let iq = errors["IQ4_NL"]!
    let q4 = errors["Q4_0"]!
    book.check(iq.0 < q4.0 && iq.1 < q4.1, "IQ4_NL beats Q4_0 at the same 4.5 bits")
    let mx = errors["MXFP4"]!
    book.check(
        mx.0 > max(iq.0, q4.0) && mx.1 > max(iq.1, q4.1), "MXFP4 is above Q4_0 and IQ4_NL")
    book.say(
        """
        At the same 4.5 bits IQ4_NL has \(Fmt.percent(1 - iq.0 / q4.0, 0)) less weight error
        than Q4_0 on TinyGPT (\(Fmt.percent(1 - iq.1 / q4.1, 0)) on the Student-t matrix): a
        table fitted to bell-shaped weights, and a scale fitted to the block, not to its largest
        value.
        """)
}

/// MXFP4: one block's E8M0 exponent and what it means.
private func mxfp4Paragraph(_ book: Notebook, setup: GGUFSetup) {
    let block = Array(setup.weight("blocks.0.mlp.fc").values[0..<32])
    let amax = block.map(abs).max()!
    let e = MXFP4.sharedExponent(block[...])
    let scale = Float.pow2(Int(e) - 127)
    book.check(amax / scale >= 4 && amax / scale < 8, "amax / 2^(e - 127) lands in [4, 8)")
    var e2m1: [String] = []
    for v in sortedE2M1() where v >= 0 && !e2m1.contains(Fmt.g(v, 2)) { e2m1.append(Fmt.g(v, 2)) }
    book.say(
        """
        MXFP4 (OCP Microscaling, 4.25 bits) is Chapter 1's FP4 - E2M1: 1 sign, 2 exponent, 1
        mantissa bit, the values \(e2m1.joined(separator: ", ")) and their negatives - with one
        shared power of two per 32 weights, an E8M0 byte (8 exponent bits, no sign, no
        mantissa, bias 127). No multiplier to round: the scale is 2^(e - 127) with
        e = floor(log2 absmax) - 2 + 127, so absmax / scale lands in [4, 8). The block of 11.1
        has absmax \(Fmt.g(Double(amax), 4)): e = \(e), scale 2^\(Int(e) - 127), absmax / scale
        = \(Fmt.g(Double(amax / scale), 4)). E2M1 stops at 6: a block whose ratio is above 6
        clips its largest weights to 6 * scale, and one whose ratio is just above 4 leaves the
        top code unused. bitsandbytes' FP4 (Chapter 4) reads 16 codes of the same shape with a
        float32 absmax per 64 weights instead, and NF4 changes the grid itself. A power of two
        is free to apply in hardware; here it costs more error than Q4_0's fp16 scale, at a
        quarter of a bit less per weight.
        """)
}

/// The 16 E2M1 values in ascending order (kvalues_mxfp4 / 2; -0 and +0 both 0).
func sortedE2M1() -> [Double] { MXFP4.values.map { Double($0) / 2 }.sorted() }
