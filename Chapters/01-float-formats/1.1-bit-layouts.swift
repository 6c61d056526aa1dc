import Book
import FloatFormats

/// 1.1: the fields of every format, its derived range and precision, and how it spells
/// infinity and NaN.
func bitLayoutSection(_ book: Notebook) {
    book.section("1.1", "What the bits of each format mean")
    book.say(
        """
        A binary floating-point number is a sign bit s, an exponent field E of e bits and a
        mantissa field M of m bits. A normal number means (-1)^s x (1 + M/2^m) x 2^(E - bias);
        when E = 0 the leading 1 is dropped and the exponent is pinned at 1 - bias, which gives
        the evenly spaced subnormals down to zero. The formats differ only in e, m, the bias and
        how they spell infinity and NaN. In the tables below, epsilon = 2^-m is the gap between 1
        and the next larger value, and digits = (m + 1) log10 2 is how many decimal digits the
        mantissa carries:
        """)
    for format in FloatFormat.all {
        let exponent = String(repeating: "e", count: format.exponentBits)
        let mantissa = String(repeating: "m", count: format.mantissaBits)
        let unused = format.storageBits - format.codeBits
        let padding = unused > 0 ? " " + String(repeating: "0", count: unused) : ""
        print("\(Fmt.left(format.name, 10))s \(exponent) \(mantissa)\(padding)")
    }
    print()
    // Six significant digits, as `lowbit formats table` prints them.
    func short(_ x: Float) -> String { Fmt.g(Double(x), 6) }
    book.table(
        [
            "format", "layout", "bias", "max finite", "min normal", "min subnormal", "epsilon",
            "digits",
        ],
        FloatFormat.all.map { f in
            [
                f.name, f.layout, String(f.bias), short(f.largestFinite), short(f.smallestNormal),
                short(f.smallestSubnormal), short(f.machineEpsilon), Fmt.f(f.decimalDigits, 2),
            ]
        }, leftAligned: [0, 1])
    print()
    book.table(
        ["format", "infinity, NaN, overflow"],
        FloatFormat.all.map { [$0.name, $0.specialsSummary] }, leftAligned: [0, 1])
    print()
    book.say(
        """
        Read the table as a trade: every
        exponent bit doubles the range counted in powers of two, every mantissa bit halves the
        relative spacing. fp16 and bf16 both have 15 bits besides the sign. fp16 gives 10 of
        them to the mantissa and 5 to the exponent, so it is the more precise and stops at
        65504; bf16 gives 8 to the exponent, float32's range, and keeps only 7 mantissa bits, 3
        fewer than fp16. TF32 is what NVIDIA's tensor cores (since the A100) multiply when a
        float32 matmul runs in TF32 mode: float32's exponent, fp16's mantissa, in a 32-bit
        register. FP8 E4M3 has no infinity and one NaN per sign, which
        buys it the range up to 448; FP4 E2M1 has just eight magnitudes.
        """)
}
