import Book
import NF4

/// Appendix A, continued: how often each backend's rules change codes and dequantized values
/// on ordinary normal weights.
func backendCounts(_ book: Notebook, _ ruleX: [Float], blockSize: Int) {
    /// Quantizes `ruleX` with `type` under `rules`.
    func q(_ type: FourBitDataType, _ rules: Quantization4Rules) -> QuantizedBlockwise4 {
        book.attempt("quantize") {
            try BlockwiseQuantizer4.quantize(ruleX, type: type, blockSize: blockSize, rules: rules)
        }
    }
    var rows: [[String]] = []
    for type in [FourBitDataType.nf4, .fp4, .int4] {
        let reference = q(type, .reference)
        let referenceHat = reference.dequantize()
        let others: [(String, Quantization4Rules)] = [
            ("pytorchPath", .pytorchPath), ("cudaKernel", .cudaKernel),
        ]
        for (name, rules) in others {
            let other = q(type, rules)
            let otherHat = other.dequantize()
            rows.append([
                type.displayName, "." + name,
                String(zip(reference.codes, other.codes).filter { $0 != $1 }.count),
                String(zip(referenceHat, otherHat).filter { $0.bitPattern != $1.bitPattern }.count),
                String(zip(referenceHat, otherHat).filter { $0 != $1 }.count),
            ])
        }
    }
    book.say(
        """
        On \(ruleX.count) ordinary N(0, 0.02^2) weights in blocks of \(blockSize) (the last \
        block short), codes and dequantized values that differ from .reference:
        """)
    book.table(
        ["type", "rules", "codes differ", "x̂ bits differ", "x̂ values differ"], rows,
        leftAligned: [0, 1])
    print()
    let fp4Flips = rows.first { $0[0] == "FP4" && $0[1] == ".pytorchPath" }![2]
    book.say(
        """
        Only FP4's sign of zero shows up in ordinary weights: \(fp4Flips) values smaller than \
        about 0.26% of their block's absmax land on a zero whose sign bit the two paths set
        oppositely. The codes differ; the dequantized values do not, because the table holds
        +0 for both zero codes (bitsandbytes writes its FP4 list in Python, where -0 is the
        integer 0; its C dequantizer, which decodes the sign bit itself, returns -0 for 0b1000
        — the last bit only). The other three rules need an exact midpoint, an all-zero block,
        or a last-bit difference across a midpoint: rare in real weights, but a bit-for-bit
        test against bitsandbytes must know which backend it compares with, so the tests in
        NF4Tests pin each one down.
        """)
}
