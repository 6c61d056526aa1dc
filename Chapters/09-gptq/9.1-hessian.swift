import Book
import Foundation
import Core
import GPTQ
import TinyGPT

/// 9.1: the layer-wise objective and its Hessian, from the inputs every linear layer of the
/// float model sees on the calibration text. Returns the layer the next sections study.
func hessianSection(_ book: Notebook, setup: GPTQSetup) -> LayerStudy {
    book.section("9.1", "The layer-wise objective and its Hessian")
    let calibration = setup.calibration
    book.say(
        """
        GPTQ (Frantar et al. 2022, §3) quantizes one linear layer at a time. For a layer
        y = x W^T with calibration inputs X (N rows) it looks for the quantized Q that keeps the
        layer's output closest, argmin_Q ||X W^T - X Q^T||^2, each row of W separately. The
        objective is quadratic in every row, with the same Hessian for all rows: H = 2 X^T X,
        which depends on the inputs only. The reference accumulates it as a running average
        over calibration sequences (add_batch, exercise 9a), so after S windows
        H = (2/S) sum_s X_s^T X_s.

        The inputs come from running the model on calibration text: \(calibration.windows)
        random windows of \(calibration.windowLength) characters of the training text, so each
        linear layer sees \(Fmt.grouped(calibration.rows)) rows (the paper: 128 segments of 2048
        tokens). One pass of the float model records all twelve layers' inputs:
        """)
    let names = setup.base.blockLinearNames
    let inputs = setup.base.linearInputs(calibration.batches) { names.contains($0) }
    var studies: [String: LayerStudy] = [:]
    var rows: [[String]] = []
    var dead = 0
    for (name, linear) in setup.base.blockLinears {
        guard let x = inputs[name] else { book.fail("no inputs recorded for \(name)") }
        let study = LayerStudy(
            name: name, w: linear.weight.value, out: linear.outFeatures, x: x,
            windows: calibration.windows)
        studies[name] = study
        let diagonal = (0..<study.n).map { Double(study.h[$0 * study.n + $0]) }.sorted()
        let zeros = diagonal.filter { $0 == 0 }.count
        dead += zeros
        rows.append([
            name, "\(study.n)", Fmt.grouped(study.rows), Fmt.e(diagonal[0]),
            Fmt.e(diagonal[diagonal.count / 2]), Fmt.e(diagonal[diagonal.count - 1]), "\(zeros)",
        ])
    }
    book.table(
        ["layer", "in", "rows", "diag H: min", "median", "max", "dead inputs"], rows)
    print()
    for block in 0..<setup.base.blocks.count {
        let h = ["query", "key", "value"].map { studies["blocks.\(block).attn.\($0)"]?.h ?? [] }
        book.check(h[0] == h[1] && h[1] == h[2], "query, key and value of block \(block) share H")
    }
    guard let study = studies["blocks.0.mlp.proj"] else { book.fail("no blocks.0.mlp.proj") }
    let diagonal = (0..<study.n).map { Double(study.h[$0 * study.n + $0]) }
    let meanDiagonal = diagonal.reduce(0, +) / Double(study.n)
    let spread = diagonal.max()! / diagonal.filter { $0 > 0 }.min()!
    let deadNote =
        dead == 0
        ? "None of TinyGPT's inputs is dead: LayerNorm and GELU outputs are almost never "
            + "exactly 0 (a large model's padding or ReLU layers can give dead inputs)."
        : "\(dead) of the twelve layers' inputs are dead here."
    book.say(
        """
        Query, key and value read the same rows (the output of ln1), so their three H are
        identical, bit for bit (checked); the reference computes each anyway. The diagonal
        H[i, i] = (2/S) sum x_i^2 says how much input i is used: it spans
        \(Fmt.f(log10(spread), 1)) decades on \(study.name), whose inputs are the GELU outputs.

        Two repairs come before any quantization (HessianPreparation). An input that is zero in
        every calibration row has H[i, i] = 0: its weights cannot matter, so the reference sets
        H[i, i] = 1 and W[:, i] = 0. \(deadNote) And H is damped:
        lambda = 0.01 x mean diag(H) is added to the diagonal (percdamp), so that its Cholesky
        factor exists even when the calibration rows do not span every direction. On
        \(study.name): mean diag(H) = \(Fmt.e(meanDiagonal)), lambda =
        \(Fmt.e(0.01 * meanDiagonal)).

        \(study.name) (\(study.out) x \(study.n), the layer with the most input columns) is
        the layer the next four sections work on.
        """)
    return study
}
