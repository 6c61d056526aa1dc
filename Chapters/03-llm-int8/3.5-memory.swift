import Book
import Core
import LLMInt8

/// 3.5: BLOOM-176B's weights in fp32, bf16 and int8, and what the int8 scales cost.
func memorySection(_ book: Notebook, layerW: Tensor) {
    book.section("3.5", "Memory: why this matters at 176B parameters")
    book.say(
        """
        The blog (Belkada & Dettmers 2022, "Introduction") counts what BLOOM-176B needs. Weights
        only, decimal gigabytes, A100 80GB GPUs:
        """)
    let parameters = ModelMemory.bloom176BParameters
    book.table(
        ["precision", "bytes/param", "weights (GB)", "A100 80GB GPUs"],
        [ModelMemory.Precision.fp32, .bf16, .int8].map { p in
            let bytes = ModelMemory.bytes(parameters: parameters, precision: p)
            return [
                p.rawValue, String(p.bytesPerParameter), Fmt.f(ModelMemory.gigabytes(bytes), 0),
                String(ModelMemory.devicesNeeded(bytes: bytes, deviceBytes: ModelMemory.a100Bytes)),
            ]
        })
    print()
    let quantized = book.attempt("quantize W") {
        try VectorwiseQuantizer.quantize(layerW, threshold: 0, name: "W")
    }
    book.say(
        """
        The blog quotes 8 A100s for bf16 inference: activations, the attention cache and the \
        framework need room beyond the weights counted here. Int8 halves the weights; its \
        overheads are small: one float32 absmax per row (our \(layerW.rows) x \(layerW.cols) W \
        stores \(quantized.storageBytes) bytes, \(Fmt.f(quantized.bitsPerParameter, 4)) bits per \
        weight; a 14336-wide BLOOM row pays \(Fmt.f(8 + 32 / 14336.0, 4))), plus the float outlier \
        columns of X, computed on the fly.
        """)
}
