import Book
import Core
import MoE
import Plot

/// A model trained in §8.4: its name in tables and legends, what training recorded, and its
/// loss and accuracy on the test set.
typealias TrainedModel = (
    name: String, run: MoETraining.Run, test: (loss: Double, accuracy: Double)
)

/// 8.4: the same MoE trained without L_aux and with each coefficient, and the dense baseline;
/// prints and plots how the load per expert evolves. Returns every run (dense last).
func routerCollapseSection(
    _ book: Notebook, task: ClusteredTokens, layer: MoEConfiguration, coefficients: [Double],
    recipe: MoETraining.Recipe, modelSeed: UInt64, dataSeed: UInt64
) -> [TrainedModel] {
    book.section("8.4", "Training a tiny MoE: router collapse without the auxiliary loss")
    let (steps, batch, rate) = (recipe.steps, recipe.batchSize, Fmt.g(recipe.learningRate))
    let scale = Fmt.g(Double(layer.routerInitScale))
    book.say(
        """
        The task: points from 64 Gaussian clusters in 16 dimensions, 8 classes of 8 clusters each,
        so experts can specialise on regions of the input. Every point also carries the same
        vector s, like the large common direction of transformer hidden states. The model is
        x + FFN(x) followed by a linear head, the FFN being a MoE layer of 8 experts of width \
        \(layer.intermediate), top-2. Its router starts small, at \(scale) x nn.Linear's scale
        (MoEConfiguration.routerInitScale), as the Switch Transformer (§2.4) does for every
        weight; we shrink only the router. Five models see the same \(steps) batches of \(batch)
        (AdamW, learning rate \(rate)): the MoE without L_aux and with alpha = 0.001
        (transformers' default), 0.01 (Switch) and 0.02 (Mixtral's config.json), all from the
        same initial weights, and a dense SwiGLU FFN as wide as the two experts a token uses —
        the same active parameters but for the router's 128 weights.
        """)
    var dataRNG = SeededRNG(seed: dataSeed)
    let heldOut = task.sample(count: 512, rng: &dataRNG)
    let testSet = task.sample(count: 2000, rng: &dataRNG)
    var models: [TrainedModel] = []
    for coefficient in coefficients + [-1] {
        var modelRNG = SeededRNG(seed: modelSeed)  // the same initial weights for every MoE model
        var configuration = layer
        configuration.auxLossCoefficient = max(coefficient, 0)
        let model =
            coefficient < 0
            ? MoEClassifier(
                denseHidden: layer.hidden, intermediate: 2 * layer.intermediate,
                classes: task.classes,
                rng: &modelRNG)
            : book.attempt("the model") {
                try MoEClassifier(moe: configuration, classes: task.classes, rng: &modelRNG)
            }
        let run = book.attempt("training") {
            try MoETraining.train(model, on: task, recipe: recipe, heldOut: heldOut)
        }
        let test = book.attempt("evaluation") {
            try model.evaluate(testSet.inputs, labels: testSet.labels)
        }
        let name =
            coefficient < 0
            ? "dense" : coefficient == 0 ? "MoE, no L_aux" : "MoE, alpha \(Fmt.g(coefficient))"
        models.append((name, run, test))
    }
    let windows = [1...1, 2...20, 21...100, 101...recipe.steps]
    for model in models where !model.run.loadPerStep.isEmpty {
        print("\(model.name): share of top-2 slots per expert")
        book.table(
            ["steps", "expert 0 … 7", "busiest two", "experts under 2 %"],
            windows.map { steps in
                let shares = model.run.shares(over: steps)
                let label =
                    steps.count == 1
                    ? "step \(steps.lowerBound)" : "steps \(steps.lowerBound)-\(steps.upperBound)"
                return [
                    label, Fmt.row(shares, digits: 2, width: 6),
                    Fmt.f(model.run.busiestShare(2, over: steps), 2),
                    String(shares.filter { $0 < 0.02 }.count),
                ]
            })
        print()
    }
    routerCollapseFigures(
        book, models.filter { !$0.run.loadPerStep.isEmpty }, layer: layer, lastWindow: windows.last!
    )
    return models
}
