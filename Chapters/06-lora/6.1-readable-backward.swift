import Book
import Core
import NN
import TinyGPT

/// 6.1, continued: the training ran the fast backward passes; exercises 6b and 6c write the
/// readable loops they replace. Run those once on the trained model to show the same bits.
func readableBackwardCheck(_ book: Notebook, base: BaseModel, corpora: ChapterCorpora, seed: UInt64)
{
    let model = base.model
    let probe = corpora.fablesEval[0]
    _ = model.forward(probe.inputs, batchSize: probe.batchSize, time: probe.time)
    let shape = [probe.batchSize, probe.time, model.config.channels]
    var rng = SeededRNG(seed: seed + 4)
    let norm = model.blocks[0].ln1
    let dy = Tensor(shape: shape, data: rng.normalFloats(shape.reduce(1, *)))
    norm.zeroGrad()
    let fastNorm = norm.backward(dy).data + norm.weight.grad + norm.bias.grad
    norm.zeroGrad()
    let readableNorm = norm.referenceBackward(dy).data + norm.weight.grad + norm.bias.grad
    norm.zeroGrad()
    let attention = model.blocks[0].attention.attention
    let dOut = Tensor(shape: shape, data: rng.normalFloats(shape.reduce(1, *)))
    let fast = attention.backward(dOut)
    let readable = attention.referenceBackward(dOut)
    let fastAttention = fast.query.data + fast.key.data + fast.value.data
    let readableAttention = readable.query.data + readable.key.data + readable.value.data
    book.say(
        """
        The training ran LayerNorm's and attention's fast backward passes (four rows, sixteen keys
        at a time, in SIMD lanes); LayerNorm.referenceBackward and
        ScaledDotProductAttention.referenceBackward are the readable loops they replace, exercises
        6b and 6c, and LayerNormFastPathTests and AttentionFastPathTests prove both compute the same
        bits. Once more here, on block 0 of the trained model and one held-out batch, with random
        upstream gradients:
        """)
    print("readable against fast backward, values whose bits differ:")
    print(
        "    LayerNorm dx, dgamma, dbeta \(bitsDiffering(fastNorm, readableNorm)) of "
            + "\(Fmt.grouped(fastNorm.count));"
            + " attention dq, dk, dv \(bitsDiffering(fastAttention, readableAttention)) of "
            + "\(Fmt.grouped(fastAttention.count))"
    )
}

/// How many values of two arrays differ in their bits (all of them when the lengths differ).
private func bitsDiffering(_ a: [Float], _ b: [Float]) -> Int {
    a.count != b.count
        ? max(a.count, b.count) : zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
}
