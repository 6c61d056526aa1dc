import Book
import PostTraining

/// 10.5: folding 1/s into LayerNorm, the value projection and a scaled GELU — the same function.
func foldingSection(_ book: Notebook, setup: AWQSetup, run: AWQRun) {
    book.section("10.5", "Folding: the scaled model computes the same function")
    book.say(
        """
        The division by s must cost nothing at inference, so it is folded into whatever produced
        the activation (ScaleFolding; the reference's apply_scale):
        """)
    book.table(
        ["activation from", "scaled (columns x s)", "1/s folded into"],
        [
            ["ln1", "q, k, v", "gamma / s, beta / s (exercise 10d)"],
            ["value", "output", "value's rows and bias / s"],
            ["ln2", "fc", "gamma / s, beta / s"],
            ["GELU", "proj", "AWQScaledActivation: GELU's output / s"],
        ])
    print()
    book.say(
        """
        Attention is linear in v: the softmax weights times v / s are the attention's output
        divided by s, so value's rows can carry output's 1/s. GELU is not positively homogeneous,
        GELU(h / s) is not GELU(h) / s, so nothing before proj can absorb 1/s: the reference
        wraps GELU in a ScaledActivation that divides its output by s, one elementwise division
        per token (here AWQScaledActivation, in proj's slot). OPT, the paper's model, uses ReLU,
        for which 1/s folds into fc1's rows for free. Before quantization the folded model is
        the base model:
        """)
    let batch = setup.corpora.fablesEval[0]
    let before = setup.base.forward(batch.inputs, batchSize: batch.batchSize, time: batch.time)
    let after = run.folded.forward(batch.inputs, batchSize: batch.batchSize, time: batch.time)
    let largest = before.data.map { abs(Double($0)) }.max()!
    let difference = zip(before.data, after.data).map { abs(Double($0) - Double($1)) }.max()!
    let (baseLoss, foldedLoss) = (setup.heldOutLoss(setup.base), setup.heldOutLoss(run.folded))
    let activationScales = run.folded.blocks.compactMap { $0.mlp.proj as? AWQScaledActivation }
        .reduce(0) { $0 + $1.scales.count }
    book.table(
        ["", "base", "folded"],
        [
            ["held-out fables loss", Fmt.f(baseLoss, 6), Fmt.f(foldedLoss, 6)],
            ["max |logit| (one batch)", Fmt.f(largest, 3), ""],
            ["max |logit difference|", "", Fmt.e(difference, 2)],
        ])
    print()
    book.check(difference <= 1e-4 * largest, "the folded model computes the base model's logits")
    book.say(
        """
        The logits differ by at most \(Fmt.e(difference / largest, 1)) of their largest value:
        float32 rounding of one multiplication and one division per weight. The quantized model
        stores Q(W diag(s)) in place of W; the only extra numbers it keeps are the
        \(activationScales) GELU scales (a float16 each, counted in the bits per weight of 10.7).
        """)
}
