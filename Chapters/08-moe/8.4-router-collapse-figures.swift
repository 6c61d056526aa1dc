import Book
import MoE
import Plot

/// 8.4's figures: the busiest two experts' share over training, and every expert's share at
/// the end, for the MoE runs side by side.
func routerCollapseFigures(
    _ book: Notebook, _ models: [TrainedModel], layer: MoEConfiguration,
    lastWindow: ClosedRange<Int>
) {
    let window = 10
    let ends = Array(stride(from: window, through: models[0].run.loadPerStep.count, by: window))
    let steps = "\(lastWindow.lowerBound)-\(lastWindow.upperBound)"
    let evenTwo = Double(layer.topK) / Double(layer.experts)
    book.figure(
        Charts.line(
            title: "Without L_aux two experts keep ~70 % of the slots;"
                + " alpha 0.01 or 0.02 spreads them",
            xLabel: "training step",
            yLabel: "share of top-2 slots taken by the busiest two experts",
            series: models.map { model in
                Series(
                    name: model.name, x: ends.map(Double.init),
                    y: ends.map { model.run.busiestShare(2, over: ($0 - window + 1)...$0) })
            },
            yRange: 0...1,
            annotations: [.horizontal(evenTwo, label: "even load: 2 of 8 experts = 0.25")]),
        "load-over-steps",
        caption: "the busiest two experts' share of the slots, windows of \(window) steps")
    book.figure(
        Charts.bar(
            title: "After training: without L_aux five experts starve;"
                + " with alpha 0.01 or 0.02 none does",
            xLabel: "expert",
            yLabel: "share of top-2 slots, steps \(steps)",
            categories: (0..<layer.experts).map { "expert \($0)" },
            series: models.map { ($0.name, $0.run.shares(over: lastWindow)) },
            annotations: [.horizontal(1 / Double(layer.experts), label: "even share 1/8")]),
        "load-by-expert",
        caption: "each expert's share over steps \(steps), the MoE runs side by side")
    print()
}
