import Book
import Core
import LLMInt8

/// 3.6: why LLM.int8() is slower than fp16, most for small models — the passes of each path
/// counted (`InferenceCost`), no timings (they vary from machine to machine).
func speedSection(_ book: Notebook, tokens: Int, outlierColumns outlierFeatureCount: Int) {
    // The blog's table, "Time per token in milliseconds for Batch Size 1": int8 over 16/32-bit.
    func slowdown(_ int8: Double, _ baseline: Double) -> String { Fmt.ratio(int8 / baseline, 2) }
    book.section("3.6", "Speed: why LLM.int8() is slower than fp16, most for small models")
    book.say(
        """
        Int8 halves the bytes of every weight, and an A100's int8 tensor cores multiply twice as
        fast as its fp16 ones; yet the int8 blog post ("Is it faster than native models?") measured
        LLM.int8() slower than 16-bit, per generated token at batch size 1 (int8 on half as many
        GPUs in each pair): BLOOM-176B \(slowdown(282, 239)) against bf16 (282 ms against 239), \
        T5-11B \(slowdown(43.5, 11.7)) against fp16 (43.5 ms against 11.7), T5-3B \
        \(slowdown(312, 45)) against fp32 (312 ms against 45). The smaller the model, the larger the
        slowdown.

        The decomposition explains it. Where fp16 makes one pass over memory, the matmul, LLM.int8()
        makes seven (InferenceCost in Sources/LLMInt8): find the outlier columns, take the row
        absmax and quantize X, the int8 matmul, rescale its Int32 result, gather X's outlier
        columns, dequantize W's, and a second, float, matmul for them. Counted for a square
        h x h layer over \(tokens) tokens with \(outlierFeatureCount) outlier columns (activations \
        fp16, 2 bytes; codes 1 byte; the Int32 product and the statistics 4; MB = 10^6 bytes;
        "all / fp16" is LLM.int8()'s bytes, all seven passes, over fp16's):
        """)
    let hiddenSizes = [512, 1024, 2048, 4096, 8192]
    var otherShares: [Double] = []
    var totalRatios: [Double] = []
    book.table(
        [
            "h", "fp16 MB", "int8 matmul MB", "other passes MB", "others / fp16", "all / fp16",
            "matmul GFLOP", "others MOP",
        ],
        hiddenSizes.map { h in
            let layer = InferenceCost.Layer(
                tokens: tokens, inFeatures: h, outFeatures: h, outlierColumns: outlierFeatureCount)
            let fp16 = InferenceCost.float16Passes(layer)
            let int8 = InferenceCost.llmInt8Passes(layer)
            let others = int8.overhead
            otherShares.append(Double(others.totalBytes) / Double(fp16.totalBytes))
            totalRatios.append(Double(int8.totalBytes) / Double(fp16.totalBytes))
            return [
                String(h), Fmt.f(Double(fp16.totalBytes) / 1e6, 2),
                Fmt.f(Double(int8.filter(\.isMatmul).totalBytes) / 1e6, 2),
                Fmt.f(Double(others.totalBytes) / 1e6, 2), Fmt.percent(otherShares.last!, 0),
                Fmt.ratio(totalRatios.last!, 2),
                Fmt.f(Double(fp16.totalOperations) / 1e9, 2),
                Fmt.f(Double(others.totalOperations) / 1e6, 1),
            ]
        })
    print()
    book.say(
        """
        The matmul's work grows like h^2 (2 t h^2 operations on 2 h^2 bytes of fp16 weights); each \
        other pass touches t x h values (of X or of Y) and grows like h. At h = \(hiddenSizes[0]) \
        the six other passes move \(Fmt.percent(otherShares[0], 0)) as many bytes as the whole \
        fp16 matmul, and LLM.int8() moves \(Fmt.ratio(totalRatios[0], 2)) fp16's bytes in all; at \
        \(hiddenSizes.last!) the others are \(Fmt.percent(otherShares.last!, 0)) and the int8 \
        weights' saving wins (\(Fmt.ratio(totalRatios.last!, 2))). On a GPU each pass is also a \
        kernel launch, a fixed cost of microseconds however little the pass does: at batch size 1 \
        (t = 1) the passes move few bytes, but a small model's matmuls are short enough for six \
        extra launches per layer to matter, and a 176B model's are not.

        These are counts, not timings: timings vary from machine to machine, so the chapter does
        not print them. The README beside this chapter quotes our own CPU kernels
        (`lowbit bench llm-int8`), with the same shape.

        Exercises 3a-3e write the functions this chapter ran: 3a vector-wise quantization, 3b the
        outlier columns, 3c the rescale, 3d the float outlier product, 3e the memory arithmetic.
        `scripts/exercise start 3a` blanks one, `scripts/exercise check 3a` runs its tests and
        `scripts/exercise hint 3a` says what to read. LLMInt8ReferenceTests compare the whole layer
        with bitsandbytes 0.50.2 bit for bit.
        """)
}
