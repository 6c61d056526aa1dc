import Book
import Optimizers
import Plot

/// §5.3: the same MLP trained with 32-bit AdamW and with 8-bit AdamW
/// (`OptimizerTrainingRun`); returns both runs for the memory and state-error sections.
func trainingSection(
    _ book: Notebook, _ config: OptimizerTrainingRun.Configuration
)
    -> (run32: OptimizerTrainingRun, run8: OptimizerTrainingRun)
{
    book.section("5.3", "Training with 32-bit and 8-bit Adam")
    let run32 = OptimizerTrainingRun(config, eightBit: false)
    let run8 = OptimizerTrainingRun(config, eightBit: true)
    let ma32 = OptimizerTrainingRun.movingAverage(run32.trainingLosses)
    let ma8 = OptimizerTrainingRun.movingAverage(run8.trainingLosses)
    let gaps = zip(ma32, ma8).map { abs($0 - $1) }
    let worstGap = gaps.indices.max { gaps[$0] < gaps[$1] }!
    book.say(
        """
        The 8-bit optimizer (§2 of the paper; bitsandbytes' Adam8bit/AdamW8bit) keeps m with
        the signed map and v with the unsigned map, blocks of 256, and runs every step as:
        dequantize both, update in float32 exactly as AdamW does (decoupled weight decay),
        requantize with a fresh absmax per block. Tensors smaller than min_8bit_size keep
        32-bit states; bitsandbytes' default is 4096, which in this toy would leave only
        fc2.weight in 8 bits, so we lower it to \(config.min8BitSize): every weight matrix \
        gets 8-bit states, the biases stay in 32 bits. OptimizerTrainingRun trains both from \
        the same weights on the same batches. Training loss (moving average of 20 steps) and \
        the loss on \(config.heldOutCount) held-out points:
        """)
    let every = config.evaluateEvery
    book.table(
        [
            "step", "train, 32-bit", "train, 8-bit", "held-out, 32-bit", "held-out, 8-bit",
            "difference",
        ],
        stride(from: 0, through: config.steps, by: 50).map { step in
            let (e, h32, h8) = (step / every, run32.heldOutLosses, run8.heldOutLosses)
            return [
                String(step), step == 0 ? "-" : Fmt.f(ma32[step - 1], 4),
                step == 0 ? "-" : Fmt.f(ma8[step - 1], 4), Fmt.f(h32[e], 4), Fmt.f(h8[e], 4),
                Fmt.e(h8[e] - h32[e], 2),
            ]
        })
    print()
    book.say(
        """
        The two curves coincide: the largest gap between the moving averages is \
        \(Fmt.f(gaps[worstGap], 4)) (step \(worstGap + 1), where the loss is \
        \(Fmt.f(ma32[worstGap], 3))), the final held-out losses are \
        \(Fmt.f(run32.heldOutLosses.last!, 4)) (32-bit) and \(Fmt.f(run8.heldOutLosses.last!, 4)) \
        (8-bit), the held-out accuracies \(Fmt.f(100 * run32.heldOutAccuracy, 1))% and \
        \(Fmt.f(100 * run8.heldOutAccuracy, 1))%. The paper finds the same on real benchmarks
        (8-bit optimizers match 32-bit ones on language modelling, translation and image
        classification, with 75% less optimizer memory). One seed and one toy task: the gap
        is a few thousandths either way, not a ranking.
        """)
    let steps = (1...config.steps).map(Double.init)
    let evaluated = run32.heldOutLosses.indices.map { Double($0 * every) }
    book.figure(
        Charts.line(
            title: "8-bit Adam's loss curve lies on 32-bit Adam's",
            xLabel: "training step", yLabel: "cross-entropy loss (nats)",
            series: [
                Series(name: "fp32 Adam, train (20-step mean)", x: steps, y: ma32),
                Series(
                    name: "8-bit Adam, train (20-step mean)", x: steps, y: ma8,
                    color: Palette.blue, style: .dashed),
                Series(
                    name: "fp32 Adam, held-out", x: evaluated, y: run32.heldOutLosses,
                    color: Palette.black),
                Series(
                    name: "8-bit Adam, held-out", x: evaluated, y: run8.heldOutLosses,
                    color: Palette.vermillion, style: .dashed),
            ]),
        "loss-curves", caption: "training and held-out loss, 32-bit and 8-bit AdamW")
    print()
    return (run32, run8)
}
