import Blockwise8
import Book
import Core
import NF4

/// §4.6: double quantization of the absmax constants of `plain` (4.4's NF4 result on the
/// normal weights), with the dynamic map introduced where it is first needed.
func doubleQuantizationSection(_ book: Notebook, _ normalX: [Float], plain: QuantizedBlockwise4) {
    book.section("4.6", "Double quantization: quantizing the constants")
    let dq = book.attempt("double quantization") {
        try BlockwiseQuantizer4.quantize(
            normalX, type: .nf4, blockSize: plain.blockSize, doubleQuantization: true)
    }
    guard case .doubleQuantized(let nested) = dq.constants,
        case .float(let plainAbsmax) = plain.constants
    else { book.fail("expected float32 constants without and double-quantized ones with DQ") }
    let restored = nested.decompress()
    let relativeErrors = zip(restored, plainAbsmax).map { r, a in
        abs(Double(r) - Double(a)) / Double(a)
    }
    let dqMSE = Statistics.mse(normalX, dq.dequantize())
    let plainMSE = Statistics.mse(normalX, plain.dequantize())
    let samples = [0, 64, 120, 127, 128, 135, 191, 255].map { code in
        "\(code): \(Fmt.g(Double(DynamicMap.signed[code]), 4))"
    }.joined(separator: ", ")
    book.say(
        """
        Blocks of 64 cost one float32 absmax per 64 weights: 0.5 bits per weight, an eighth of
        the codes themselves. QLoRA's Double Quantization (§3) quantizes those constants c₂ in
        turn: subtract their mean (all absmax values are positive and bunched; centred, they
        use both halves of a signed code), quantize to 8 bits in blocks of 256, and keep the
        mean and one float32 c₁ per 256 constants. bitsandbytes does this with
        compress_statistics=True.

        The paper says "8-bit Floats"; the 8-bit code bitsandbytes uses is the signed dynamic
        map of Dettmers et al. (2022, "8-bit Optimizers via Block-wise Quantization", §2): 256
        values in [−1, 1] laid out like a float with a movable point — after the sign bit, a
        run of E zero bits picks the decade (about 10^−E) and the bits after the terminating 1
        are a linear fraction, so the values are dense near 0 and sparse near ±1 (code:
        value): \(samples). Blockwise quantization with it is Chapter 2's recipe with this \
        table in place of the int8 grid: divide a block by its absmax, store the nearest
        entry's code. Chapter 5 builds the map (Exercise 5a) and uses it for Adam's states;
        here it is a table to look up. On the \(normalX.count) normal weights:
        """)
    let c1 = nested.quantized.absmax.count
    book.table(
        ["", "float32 absmax", "double-quantized"],
        [
            [
                "constants", "\(plainAbsmax.count) float32",
                "\(nested.quantized.count) codes + \(c1) float32 c₁ + offset",
            ],
            [
                "constant bytes", String(plain.constants.storageBytes),
                String(dq.constants.storageBytes),
            ],
            [
                "bits per weight, measured", Fmt.f(plain.bitsPerParameter, 4),
                Fmt.f(dq.bitsPerParameter, 4),
            ],
            ["weight round-trip MSE", Fmt.e(plainMSE, 4), Fmt.e(dqMSE, 4)],
        ], leftAligned: [0])
    print()
    book.table(
        ["block", "absmax c₂", "c₂ − offset", "code", "restored", "relative error"],
        (0..<5).map { b in
            [
                String(b), Fmt.f(Double(plainAbsmax[b]), 6),
                Fmt.f(Double(plainAbsmax[b] - nested.offset), 6), String(nested.quantized.codes[b]),
                Fmt.f(Double(restored[b]), 6), Fmt.e(relativeErrors[b], 2),
            ]
        })
    print()
    let centred = { (x: Float) in Fmt.f(Double(x - nested.offset), 4) }
    let median = Statistics.quantile(relativeErrors.map(Float.init), 0.5)
    book.say(
        """
        The offset (the mean absmax) is \(Fmt.f(Double(nested.offset), 6)); the centred \
        constants span \(centred(plainAbsmax.min()!)) … \(centred(plainAbsmax.max()!)). Each \
        restored absmax is off by at most \(Fmt.e(relativeErrors.max()!, 2)) of itself (median \
        \(Fmt.e(median, 2))), far below the 4-bit codes' own error: the weights' MSE changes \
        by \(Fmt.f(100 * (dqMSE / plainMSE - 1), 2))%.
        """)
}
