import Book
import Core
import NF4

/// §4.4: quantize_4bit step by step on 37 weights, the packed bytes, the storage; returns the
/// readable quantizer's result on the normal weights (4.6 double-quantizes its constants).
func blockwiseSection(
    _ book: Notebook, _ normalX: [Float], blockSize: Int, exampleSeed: UInt64
)
    -> QuantizedBlockwise4
{
    book.section("4.4", "Blockwise 4-bit quantization, step by step")
    book.say(
        """
        quantize_4bit (QLoRA §2 "Block-wise k-bit Quantization"; bitsandbytes' PyTorch
        kernel): flatten; cut into blocks of blockSize; absmax per block; scaled = clamp(x ·
        (1/absmax), −1, 1) (the short last block divides by its absmax instead); code = the
        nearest table value, found by comparing with the midpoints between sorted neighbours
        (torch.bucketize, which returns the index of the bin between sorted boundaries that a
        value falls in: a value on a midpoint takes the lower code); two codes per byte, the
        first element in the high nibble, an odd count padded with the code of 0.0.
        Dequantization: table[code] · absmax. 37 weights in blocks of 32 — one full block, one
        short block of 5, an odd count:
        """)
    var rng = SeededRNG(seed: exampleSeed)
    var x = rng.normalFloats(37, std: 0.02)
    x[3] = 0.0712  // a large weight: it sets block 0's absmax
    let q = book.attempt("quantize") {
        try BlockwiseQuantizer4.quantize(x, type: .nf4, blockSize: 32)
    }
    let absmax = q.constants.absmax
    let xHat = q.dequantize()
    book.table(
        ["i", "block", "x", "absmax", "scaled", "code", "table[code]", "x̂", "x̂ − x"],
        (Array(0..<6) + [30, 31] + Array(32..<37)).map { i in
            let b = i / 32
            let scaled = b == 0 ? x[i] * (1 / absmax[0]) : x[i] / absmax[1]
            return [
                String(i), String(b), Fmt.f(Double(x[i]), 5), Fmt.f(Double(absmax[b]), 5),
                Fmt.f(Double(scaled), 4), String(q.codes[i]),
                Fmt.f(Double(NF4Codebook.table[Int(q.codes[i])]), 4), Fmt.f(Double(xHat[i]), 5),
                Fmt.e(Double(xHat[i] - x[i]), 1),
            ]
        })
    print()
    print("packed (19 bytes, first element in the high nibble, last low nibble = padding 7):")
    print("  " + q.packed.map(Fmt.hexByte).joined(separator: " "))
    print()
    let normalQ = book.attempt("quantize") {
        try BlockwiseQuantizer4.quantize(normalX, type: .nf4, blockSize: blockSize)
    }
    book.say(
        """
        Weight 3 (0.0712) sets block 0's absmax and comes back exactly (code 15 = 1.0); the
        others share the remaining 15 levels. Byte 0 is \(Fmt.hexByte(q.packed[0])): codes \
        \(q.codes[0]) and \(q.codes[1]). The storage: \(q.packed.count) bytes of codes and \
        \(absmax.count) float32 absmax = \(q.storageBytes) bytes for 37 weights. At scale, \
        \(normalX.count) weights in blocks of \(blockSize) take \(normalQ.storageBytes) bytes: \
        \(Fmt.f(normalQ.bitsPerParameter, 3)) bits per weight, 4 for the code and 32/64 = 0.5 \
        for the absmax.
        """)
    let fast = book.attempt("quantize") {
        try BlockwiseQuantizer4.Fast.quantize(normalX, type: .nf4, blockSize: blockSize)
    }
    let agrees = fast.packed == normalQ.packed && fast.constants == normalQ.constants
    book.say(
        """
        The round trips of 4.2, 4.3 and 4.5 run BlockwiseQuantizer4.Fast, a SIMD rewrite of
        these steps, about 20x faster; NF4FastPathTests proves it writes the same bytes as
        this readable quantizer, whose nearest code (Exercise 4c) and packing (4d) you write. On \
        these \(normalX.count) weights: \(agrees ? "the same \(fast.packed.count) bytes and "
            + "\(fast.constants.blockCount) absmax" : "DIFFERENT bytes").
        """)
    return normalQ
}
