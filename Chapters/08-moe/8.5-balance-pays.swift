import Book
import MoE
import Plot

/// 8.5: what the runs of §8.4 learned: test loss and accuracy, the held-out loss curves, and
/// what the collapse costs.
func balancePaysSection(_ book: Notebook, _ models: [TrainedModel], recipe: MoETraining.Recipe) {
    book.section("8.5", "What balance buys: the MoE against a dense FFN of the same active size")
    book.say(
        """
        Active parameters are those one token passes through (router, two experts, head); the
        dense model's are all of its parameters. Test set: 2000 fresh points.
        """)
    book.table(
        ["model", "active parameters", "total parameters", "test loss", "test accuracy"],
        models.map { model in
            [
                model.name, String(model.run.model.activeParameterCount),
                String(model.run.model.parameters.totalCount), Fmt.f(model.test.loss, 4),
                Fmt.f(model.test.accuracy, 4),
            ]
        })
    print()
    book.figure(
        Charts.line(
            title: "Same active parameters: every MoE beats the dense FFN, alpha 0.01 by the most",
            xLabel: "training step", yLabel: "held-out cross-entropy (nats)",
            series: models.map { model in
                Series(
                    name: model.name, x: model.run.evaluationSteps.map(Double.init),
                    y: model.run.heldOutLosses)
            },
            yScale: .log10),
        "loss-curves",
        caption: "held-out loss every \(recipe.evaluationEvery) steps (512 points), log scale")
    print()
    let collapsed = models[0].run
    let last = 101...recipe.steps
    let idle = { (run: MoETraining.Run) in run.shares(over: last).filter { $0 < 0.02 }.count }
    let summary = models.dropFirst().filter { !$0.run.loadPerStep.isEmpty }.map { model in
        "alpha \(model.name.split(separator: " ").last!): \(idle(model.run))"
    }
    let firstStepIdle = collapsed.load(over: 1...1).filter { $0 == 0 }.count
    let busiestTwo = Fmt.f(100 * collapsed.busiestShare(2, over: last), 0)
    let window = "\(last.lowerBound)-\(last.upperBound)"
    let (best, strongest) = (models[2], models[3])
    let (bestLoss, strongestLoss) = (Fmt.f(best.test.loss, 4), Fmt.f(strongest.test.loss, 4))
    let alpha = { (model: TrainedModel) in String(model.name.dropFirst("MoE, ".count)) }
    let dense = models.last!
    book.check(
        models.dropLast().allSatisfy { $0.test.loss < dense.test.loss },
        "every MoE beats the dense FFN")
    book.check(strongest.test.loss > best.test.loss, "the strongest coefficient is not the best")
    book.say(
        """
        At the first step the shared component already gives every token a similar
        preference (\(firstStepIdle) experts receive nothing). Without L_aux that is never undone:
        within twenty steps the router settles on a few experts and the others starve —
        parameters paid for and never trained. Over steps \(window) the busiest two take
        \(busiestTwo) % of the slots and \(idle(collapsed)) of 8 experts get under 2 %. With L_aux,
        the experts under 2 % over the same steps are: \(summary.joined(separator: ", ")).
        transformers' default 0.001 pulls the load back only partly in \(recipe.steps) steps of
        this tiny model.

        Every MoE beats the dense FFN of the same active size: it holds four times the expert
        parameters while spending the same multiply-adds per token. Balance is not all that
        counts, though: \(alpha(strongest)) spreads the load most evenly yet ends with a higher
        test loss (\(strongestLoss)) than \(alpha(best)) (\(bestLoss)) — a larger
        coefficient also pulls the router away from what the task wants. One seed of a toy
        cannot say which coefficient Mixtral should have used. (Remove s and this small router
        stays balanced even without L_aux: collapse needs inputs that share a direction, which
        transformer hidden states do.)
        """)
}
