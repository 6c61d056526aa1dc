import Blockwise8
import Book
import Core
import Optimizers
import Plot

/// §5.3, continued: the 32-bit run's final Adam states quantized as 8-bit Adam stores them —
/// the error of m and v, and the values of v a linear grid would set to 0.
func stateErrorSection(_ book: Notebook, run32: OptimizerTrainingRun, min8BitSize: Int) {
    var mValues: [Float] = []
    var vValues: [Float] = []
    guard let states = (run32.optimizer as? AdamW)?.states else {
        book.fail("the 32-bit run's optimizer is not AdamW")
    }
    for (p, state) in zip(run32.optimizer.parameters, states) where p.count >= min8BitSize {
        if let state {
            mValues += state.m
            vValues += state.v
        }
    }
    let quantized = BlockwiseAdamState.quantized(m: mValues, v: vValues)
    let linearUnsigned: [Float] = (0...255).map { Float($0) / 255 }
    let vLinear = book.attempt("blockwise quantization") {
        try BlockwiseQuantizer8.quantize(
            vValues, blockSize: BlockwiseAdamState.blockSize, code: linearUnsigned
        ).dequantize()
    }
    let mErrors = logRelativeErrors(mValues, quantized.firstMoment.dequantize())
    let vErrors = logRelativeErrors(vValues, quantized.secondMoment.dequantize())
    let vLinearErrors = logRelativeErrors(vValues, vLinear)
    let vZeroed = zip(vValues, vLinear).filter { $0 != 0 && $1 == 0 }.count
    book.say(
        """
        How much error do the 8-bit states carry? The 32-bit run's final states of the \
        \(mValues.count) values in 8-bit tensors, quantized exactly as 8-bit Adam stores them: \
        the median relative error is \(Fmt.f(100 * mErrors.median, 2))% for m (signed map) and \
        \(Fmt.f(100 * vErrors.median, 2))% for v (unsigned map). A linear 8-bit grid would \
        give v a smaller median error, \(Fmt.f(100 * vLinearErrors.median, 2))% (it is finer \
        near each block's absmax), but it would set \(vZeroed) of the \(vValues.count) values \
        of v to 0 — the bar at 0 on the right of the figure: a relative error of 100%, and an
        update of m/ε for each of those weights. That tail, not the median, is why 8-bit
        optimizers need the dynamic map (the paper's ablations report unstable training
        without dynamic quantization).
        """)
    let median = { (e: (logs: [Double], median: Double)) in Fmt.f(100 * e.median, 1) }
    book.figure(
        Charts.histogram(
            title: "8-bit states: median error \(median(mErrors))% (m), \(median(vErrors))% (v)",
            xLabel: "log10 of |dequantized - state| / |state|", yLabel: "state values",
            series: [
                ("m, dynamic signed map", mErrors.logs), ("v, dynamic unsigned map", vErrors.logs),
                ("v, linear 8-bit (for contrast)", vLinearErrors.logs),
            ], bins: 104, range: -6...1.8,
            annotations: [
                .vertical(-2, label: "1%"),
                .vertical(0, label: "100%: \(vZeroed) set to 0"),
            ]),
        "state-quantization-error",
        caption: "relative error of m and v, 8-bit, blocks of 256")
    print()
}

/// log10 of |x̂ − x| / |x| for the nonzero values that are not exact, and the median relative
/// error over all nonzero values.
private func logRelativeErrors(_ x: [Float], _ xHat: [Float]) -> (logs: [Double], median: Double) {
    var logs: [Double] = []
    var relative: [Float] = []
    for (a, b) in zip(x, xHat) where a != 0 {
        let r = abs(Double(b) - Double(a)) / abs(Double(a))
        relative.append(Float(r))
        if r != 0 { logs.append(Math.log10(r)) }
    }
    return (logs, Statistics.quantile(relative, 0.5))
}
