// Chapter 8 — Mixture of Experts: Mixtral's top-2 routing, load balancing, and what sparsity buys.
//
// Run: swift build -c release && .build/release/Chapter08 [--figures DIR]
// One file per section (8.1-routing.swift … 8.7-mixtral-memory.swift); the ideas live in
// Sources/MoE (routing, losses, experts, dispatch, the layer, training, Mixtral's arithmetic).
import Book
import Core
import MoE

let book = Notebook(
    chapter: 8,
    title: "Mixture of Experts: Mixtral's top-2 routing, load balancing, and what sparsity buys")
let seed: UInt64 = 8
let layer = MoEConfiguration(hidden: 16, intermediate: 32, experts: 8, topK: 2)
let (routerStd, batchTokens) = (0.4, 16)
let task = ClusteredTokens(
    classes: 8, dimensions: 16, componentsPerClass: 8, centerSpread: 1.0, noise: 0.5, sharedNorm: 6,
    seed: seed)
let trainedLayer = MoEConfiguration(
    hidden: 16, intermediate: 8, experts: 8, topK: 2, routerInitScale: 0.1)
let recipe = MoETraining.Recipe(
    steps: 500, batchSize: 96, learningRate: 0.01, batchSeed: seed + 200, evaluationEvery: 25)
let coefficients = [0, 0.001, 0.01, 0.02]
book.parameters([
    "seed": "\(seed)",
    "layer (8.1-8.3)": "H \(layer.hidden), I \(layer.intermediate), E \(layer.experts) experts, "
        + "top-\(layer.topK); router W_g ~ N(0, \(routerStd)^2)",
    "batch (8.1-8.3)": "\(batchTokens) tokens x ~ N(0, 1)",
    "task (8.4)":
        "8 classes x 8 clusters in 16 dimensions (centre spread 1, noise 0.5), shared norm 6",
    "models (8.4)":
        "x + FFN(x) -> linear head; MoE: 8 experts of width 8, top-2; dense: width 16",
    "training (8.4)":
        "\(recipe.steps) steps of AdamW (lr \(recipe.learningRate)), "
        + "batches of \(recipe.batchSize), router init x \(trainedLayer.routerInitScale)",
    "alpha (8.4)": coefficients.map { Fmt.g($0) }.joined(separator: ", "),
])

var rng = SeededRNG(seed: seed)
let stats = routingSection(book, layer: layer, routerStd: routerStd, tokens: batchTokens, rng: &rng)
loadBalancingSection(book, stats)
capacitySection(book, stats.routing)
let models = routerCollapseSection(
    book, task: task, layer: trainedLayer, coefficients: coefficients, recipe: recipe,
    modelSeed: seed + 100,
    dataSeed: seed + 300)
balancePaysSection(book, models, recipe: recipe)
mixtralParametersSection(book, .mixtral8x7B)
mixtralMemorySection(book, .mixtral8x7B)
