import Book
import QLoRA
import TinyGPT

/// 7.2: the QLoRA layer with B = 0 computes exactly what the dequantized base computes;
/// storage type against compute type.
func qloraLayerSection(_ book: Notebook, setup: QLoRASetup, quantized: QuantizedBase) {
    book.section(
        "7.2", "The QLoRA layer: dequantize on the fly, backpropagate through the frozen weight")
    book.say(
        """
        A QLoRA layer (QLoRA §3, eq. 5) computes Y = X * dequant(W_NF4)^T + s * X A^T B^T. The 4-bit
        weight is turned into floats inside the forward pass, used for one matrix product and
        dropped; backward dequantizes it again to pass the gradient dY * W down to the layers below
        (their adapters need it) — but never forms a gradient for W itself. Adapters are drawn
        exactly as in Chapter 6, with B = 0, so the QLoRA model starts as the dequantized base, bit
        for bit:
        """)
    let qlora = book.attempt("quantize") { try setup.quantizedBase(adapters: true) }
    let dequantized = book.attempt("quantize") { try setup.quantizedBase(adapters: false) }
    dequantized.replaceLinearLayers { _, layer in QLoRAInjection.dequantizedBase(layer) }
    let probe = setup.corpora.diaryEval[0]
    let qloraLogits = qlora.forward(probe.inputs, batchSize: probe.batchSize, time: probe.time).data
    let floatLogits = dequantized.forward(
        probe.inputs, batchSize: probe.batchSize, time: probe.time
    ).data
    let differing = zip(qloraLogits, floatLogits).filter { $0.bitPattern != $1.bitPattern }.count
    print("logits of the QLoRA model (B = 0) vs the float model holding the dequantized weights,")
    print(
        "  \(probe.batchSize) x \(probe.time) positions: \(differing) of "
            + "\(Fmt.grouped(qloraLogits.count)) differ "
            + "(bit patterns compared)")
    let largest = quantized.layers.map(\.weightCount).max()!
    print(
        "largest float32 weight alive at once during a step: \(Fmt.grouped(4 * largest)) B "
            + "(one 256 x 64 MLP matrix),")
    print("  against \(Fmt.grouped(4 * quantized.weightCount)) B for all twelve")
    print()
    book.check(differing == 0, "the QLoRA model with B = 0 differs from the dequantized base")
    book.say(
        """
        Two number types meet in this layer. The storage type is what stays in memory between steps:
        NF4 codes and their constants. The compute type is what the matrix product multiplies: QLoRA
        dequantizes to BFloat16 (bf16: float32's 8 exponent bits with only 7 mantissa bits, Chapter
        1) and multiplies in 16 bits (§3; transformers' bnb_4bit_compute_dtype). This chapter
        computes in float32, like every layer of the book; NF4Linear.computeType = .bfloat16 instead
        rounds both operands of each product — the dequantized weight and the activations (the
        incoming gradient in backward) — to bf16 first, accumulating in float32 as tensor cores do.
        7.3 trains with both.

        Exercises 7a and 7b write NF4Linear's dequantization and backward, which every forward and
        backward pass of this chapter runs; their tests compare them with Chapter 4's dequantizer
        bit for bit and check every gradient, through one layer and through a frozen 4-bit layer
        stacked on top, against finite differences.
        """)
}
