import Book
import GGML

/// 11.2: the legacy family (blocks of 32) on TinyGPT's trained layers and a heavy-tailed matrix.
func legacySection(_ book: Notebook, setup: GGUFSetup, synthetic: [Float]) {
    book.section("11.2", "The legacy family and its error")
    book.say(
        """
        The five legacy types: Q8_0 (int8, d = absmax / 127), Q4_0 and Q5_0 (symmetric,
        d = signed absmax / -8 or / -16), Q4_1 and Q5_1 (asymmetric: d = (max - min) / 15 or
        / 31 and an fp16 minimum m, w = q * d + m). Q5's fifth bits sit in 4 extra bytes (qh, one
        bit per weight). Each on all 12 block linears of Chapter 6's model (weight error summed
        over the layers; output error ||X W^T - X W'^T||^2 / ||X W^T||^2 on the calibration
        inputs, averaged over the layers) and on a 256 x 256 matrix of Student-t (3 degrees of
        freedom) weights, heavy-tailed like real LLM weights:
        """)
    var rows: [[String]] = []
    var weightErrors: [Double] = []
    var syntheticErrors: [Double] = []
    for f in legacyFormats {
        var num = 0.0
        var den = 0.0
        var output = 0.0
        for name in setup.base.blockLinearNames {
            let (w, r, _) = setup.weight(name)
            let q = book.attempt(f.name) { try roundTrip(f, w) }
            let e = relativeError(w, q)
            let norm = w.reduce(0.0) { $0 + Double($1) * Double($1) }
            num += e * norm
            den += norm
            output += relativeOutputError(setup.inputs[name]!, w, q, rows: r)
        }
        let s = relativeError(synthetic, book.attempt(f.name) { try roundTrip(f, synthetic) })
        weightErrors.append(num / den)
        syntheticErrors.append(s)
        rows.append([
            f.name, Fmt.f(f.bitsPerWeight, 2), Fmt.e(num / den, 3),
            Fmt.e(output / Double(setup.base.blockLinearNames.count), 3), Fmt.e(s, 3),
        ])
    }
    book.table(
        ["type", "bits / weight", "TinyGPT weights", "TinyGPT outputs", "Student-t weights"],
        rows)
    print()
    // legacyFormats: Q8_0, Q5_1, Q5_0, Q4_1, Q4_0
    for errors in [weightErrors, syntheticErrors] {
        book.check(errors[0] < min(errors[1], errors[2]), "Q8_0 beats the 5-bit types")
        book.check(max(errors[1], errors[2]) < min(errors[3], errors[4]), "5 bits beat 4 bits")
        book.check(errors[1] < errors[2] && errors[3] < errors[4], "_1 beats _0 at equal bits")
    }
    book.check(zip(weightErrors, syntheticErrors).allSatisfy { $0 < $1 }, "heavy tails cost more")
    let ratio4 = weightErrors[4] / weightErrors[3]
    let ratioT = syntheticErrors[4] / syntheticErrors[3]
    let perBit = weightErrors[3] / weightErrors[1]
    book.say(
        """
        One more bit halves the step and divides the squared error by about 4: Q4_1 to Q5_1
        divides it by \(Fmt.f(perBit, 1)) on TinyGPT. At equal code width the asymmetric _1
        types win: min and max fit the block exactly, where the _0 grids are centred on zero and
        span +-absmax however lopsided the block is. Q4_0 has \(Fmt.ratio(ratio4)) the error of
        Q4_1 on TinyGPT and \(Fmt.ratio(ratioT)) on the Student-t matrix, for half a bit less per
        weight (4.5 against 5). A block of 32 confines an outlier's damage to its 31 neighbours:
        that is the legacy types' whole defence against heavy tails, and the Student-t matrix
        shows it is only partial (every type's error is larger there than on TinyGPT).
        """)
}
