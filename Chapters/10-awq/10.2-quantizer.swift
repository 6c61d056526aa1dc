import AWQ
import Book

/// 10.2: AWQ's quantizer (pseudo_quantize_tensor) and which group sizes fit TinyGPT.
func quantizerSection(_ book: Notebook, setup: AWQSetup, bits: Int, groupSizes: [Int]) {
    book.section("10.2", "The quantizer: asymmetric groups along the input")
    let (w, x) = setup.layer("blocks.0.mlp.fc")
    let first = Array(w.values[0..<groupSizes[1]])
    let q = PseudoQuantizer.quantize(
        first, rows: 1, columns: first.count, bits: bits, groupSize: first.count)
    let (lo, hi) = (first.min()!, first.max()!)
    book.say(
        """
        Everything AWQ does ends in one quantizer, the reference's pseudo_quantize_tensor: each
        row of W is cut into groups of G consecutive input channels; a group's min and max (the
        range is not widened to include 0, unlike GPTQ's) give scale =
        (max - min) / \((1 << bits) - 1)
        and zero = clamp(-round(min / scale), 0, \((1 << bits) - 1)), rounded half to even; a
        weight becomes (clamp(round(w / scale) + zero) - zero) * scale. The first \(first.count)
        weights of row 0 of blocks.0.mlp.fc: min \(Fmt.g(Double(lo), 4)),
        max \(Fmt.g(Double(hi), 4)),
        scale \(Fmt.g(Double(q.scales[0]), 4)), zero \(Int(q.zeros[0])); the largest is stored
        as \(Fmt.g(Double(q.values.max()!), 4)).

        Group size on a small model. The posts quantize with g128: groups of 128 of a 4096-wide
        row, 32 groups per row. TinyGPT's attention and fc layers read 64 channels and proj reads
        256: a group of 128 does not fit a 64-wide row. What carries over is the number of groups
        per row and the cost of the constants, a float16 scale and a \(bits)-bit zero per group,
        (16 + \(bits)) / G bits per weight. This chapter uses g32 (2 groups per 64-wide row;
        \(Fmt.f(Double(16 + bits) / 32, 2)) bits of constants, as g32 on a real model) and g64
        (one group per
        64-wide row, per-row
        quantization there), with g16 below for the trend:
        """)
    var rows: [[String]] = []
    let (proj, projX) = setup.layer("blocks.0.mlp.proj")
    var errors: [Double] = []
    for g in groupSizes {
        let e = outputError(x, w, roundToNearest(w, bits: bits, groupSize: g))
        errors.append(e)
        let eProj = outputError(projX, proj, roundToNearest(proj, bits: bits, groupSize: g))
        rows.append([
            "g\(g)", "\(64 / g) | \(256 / g)",
            Fmt.f(Double(bits) + Double(16 + bits) / Double(g), 3),
            Fmt.e(e, 3), Fmt.e(eProj, 3),
        ])
    }
    book.table(
        [
            "RTN int\(bits)", "groups / row (64 | 256)", "bits / weight",
            "mlp.fc error", "mlp.proj error",
        ], rows)
    print()
    book.check(
        zip(errors, errors.dropFirst()).allSatisfy { $0 <= $1 },
        "smaller groups give smaller RTN output errors on blocks.0.mlp.fc")
    book.say(
        """
        Smaller groups follow the weights more closely and pay in constants: from
        g\(groupSizes.last!)
        to g\(groupSizes[0]) the fc layer's output error falls
        \(Fmt.ratio(errors.last! / errors[0])) for \(Fmt.f(Double(16 + bits) / Double(groupSizes[0])
            - Double(16 + bits) / Double(groupSizes.last!), 2)) more bits per weight. AWQ keeps the
        quantizer and changes what it is given.
        """)
}
