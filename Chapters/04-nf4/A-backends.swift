import Book
import NF4

/// Appendix A: the four places bitsandbytes' CUDA kernel and its PyTorch path produce
/// different bytes (`Quantization4Rules`), one input each, and how often each changes codes
/// on ordinary weights (`ruleX`, with a short last block).
func backendsAppendix(_ book: Notebook, _ ruleX: [Float], blockSize: Int) {
    book.section("Appendix A.", "Where bitsandbytes' own backends disagree")
    book.say(
        """
        An aside for readers who compare bytes with bitsandbytes. It quantizes with a CUDA
        kernel on the GPU and with PyTorch code on the CPU, and the two do not always produce
        the same bytes. Quantization4Rules names each disagreement; our default (.reference)
        follows the reference data. One case each, under both rules:
        """)
    /// Quantizes `x` in blocks of 32 under `rules`.
    func q(
        _ x: [Float], _ type: FourBitDataType, _ rules: Quantization4Rules = .reference
    )
        -> QuantizedBlockwise4
    {
        book.attempt("quantize") {
            try BlockwiseQuantizer4.quantize(x, type: type, blockSize: 32, rules: rules)
        }
    }
    /// A value with its sign shown even for zero ("+0", "-0").
    func signed(_ x: Float, _ digits: Int = 4) -> String {
        x == 0 ? (x.sign == .minus ? "-0" : "+0") : Fmt.f(Double(x), digits)
    }
    /// "code c → value" for element i.
    func coded(_ r: QuantizedBlockwise4, _ i: Int, _ digits: Int = 4) -> String {
        "code \(r.codes[i]) → \(signed(r.dequantize()[i], digits))"
    }
    let bits = { (code: UInt8) in Fmt.bitString(code, bits: 4) }
    let tiny: [Float] = [0.5, 0.001, -0.001, 0.3]
    let (tinyRef, tinyTorch) = (q(tiny, .fp4), q(tiny, .fp4, .pytorchPath))
    let zeros = [Float](repeating: 0, count: 32) + [0.25, -0.1]
    let (zerosRef, zerosCUDA) = (q(zeros, .nf4), q(zeros, .nf4, .cudaKernel))
    let midpoint = FourBitDataType.nf4.nearest.midpoints[7]  // between codes 7 (0) and 8
    let tieLower = q([1, midpoint], .nf4)
    let tieUpper = q([1, midpoint], .nf4, Quantization4Rules(midpointTie: .upperCode))
    var rows: [[String]] = [
        [
            "FP4: |x| rounds to 0", "x = +0.001, absmax 0.5", ".reference",
            "\(bits(tinyRef.codes[1])) (the +0 code)",
        ],
        ["", "", "PyTorch bucketize", "\(bits(tinyTorch.codes[1])) (the -0 code)"],
        ["", "x = -0.001", ".reference", "\(bits(tinyRef.codes[2])) (the -0 code)"],
        ["", "", "PyTorch bucketize", "\(bits(tinyTorch.codes[2])) (the +0 code)"],
        ["all-zero block (NF4)", "32 zeros, absmax 0", ".reference", coded(zerosRef, 0)],
        ["", "", "CUDA (0·∞ = NaN)", coded(zerosCUDA, 0)],
        [
            "on a midpoint (NF4)", "x = \(Fmt.f(Double(midpoint), 8)), absmax 1", ".reference",
            coded(tieLower, 1),
        ],
        ["", "", "right=True", coded(tieUpper, 1)],
    ]
    let short = shortBlockDisagreement()
    if let (a, x) = short {
        let divide = q([a, x], .nf4)
        let multiply = q([a, x], .nf4, Quantization4Rules(partialBlock: .multiplyByReciprocal))
        rows += [
            [
                "short last block", "x = \(Fmt.g(Double(x), 9)), absmax \(Fmt.g(Double(a)))",
                ".reference: x/a", coded(divide, 1, 6),
            ],
            ["", "", "CUDA: x·(1/a)", coded(multiply, 1, 6)],
        ]
    }
    book.table(["case", "input", "rule", "code → value"], rows, leftAligned: [0, 1, 2, 3])
    print()
    if let (a, x) = short {
        book.say(
            """
            The short block's x / a = \(Fmt.g(Double(x / a), 9)) and x · (1/a) = \
            \(Fmt.g(Double(x * (1 / a)), 9)) differ in the last bit, and a midpoint lies between \
            them.
            """)
    }
    backendCounts(book, ruleX, blockSize: blockSize)
}

/// The first (absmax, x) with |x| < absmax near a midpoint whose NF4 code differs between
/// dividing by the absmax and multiplying by its reciprocal.
private func shortBlockDisagreement() -> (absmax: Float, x: Float)? {
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
