// Chapter 8 — Mixture of Experts: Mixtral's top-2 routing, load balancing, and what sparsity buys.
//
// Run: swift run -c release Chapter08 [--figures DIR]
// Reads like a notebook: each section prints what it shows, the figures go to Figures/.
// The ideas live in Sources/MoE (routing, losses, experts, dispatch, the layer, Mixtral's
// arithmetic); this file only calls, prints and plots. Training uses AdamW from Optimizers.
import Book
import Core
import MoE
import NN
import Optimizers
import Plot

let seed: UInt64 = 8
let book = Notebook(chapter: 8, title: "Mixture of Experts: Mixtral's top-2 routing, load balancing, and what sparsity buys")
var rng = SeededRNG(seed: seed)

// 8.1–8.3: one MoE layer with the reference case's sizes, and a batch of 16 tokens.
let hidden = 16
let intermediate = 32
let experts = 8
let topK = 2
let batchTokens = 16
let routerStd = 0.4
print("seed: \(seed)")
print("layer: H \(hidden), I \(intermediate), E \(experts) experts, top-\(topK); router W_g ~ N(0, \(routerStd)^2)")
print("batch: \(batchTokens) tokens x ~ N(0, 1)")

/// Values as a fixed-width row.
func row(_ values: [Double], digits: Int = 3, width: Int = 7) -> String {
    values.map { v in
        let s = Fmt.f(v, digits)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }.joined()
}

// MARK: - 8.1
book.section("8.1", "Routing a batch: softmax over all experts, top-2, renormalise")
book.say(
    """
    A Mixtral layer (Jiang et al. 2024, §2.1) has E = 8 SwiGLU experts and a router, a bias-free
    linear map from the token to 8 logits. transformers' MixtralTopKRouter takes the softmax over
    all 8 experts in float32, keeps the two largest probabilities (torch.topk) and divides them by
    their sum; the layer's output is the weighted sum of those two experts' outputs. Every other
    expert is skipped for this token.
    """)
let router = Tensor(shape: [experts, hidden], data: rng.normalFloats(experts * hidden, std: routerStd))
let expertLayers = (0..<experts).map {
    SwiGLUExpert(hidden: hidden, intermediate: intermediate, name: "experts.\($0)", rng: &rng)
}
let moe = try SparseMoE(routerWeight: router, experts: expertLayers, topK: topK)
let x = Tensor(shape: [batchTokens, hidden], data: rng.normalFloats(batchTokens * hidden))
_ = try moe.forward(x)
let stats = moe.lastStatistics!
let routing = stats.routing
book.table(
    ["token", "router probabilities p, experts 0 … 7", "top-2", "weights w"],
    (0..<batchTokens).map { t in
        let p = routing.probabilities[(t * experts)..<((t + 1) * experts)].map(Double.init)
        let chosen = routing.experts(ofToken: t).map(String.init).joined(separator: ", ")
        return [String(t), row(p), chosen, row(routing.weights(ofToken: t).map(Double.init))]
    })
print()
let load = routing.tokensPerExpert
book.say(
    """
    Each row of p sums to 1; each pair of weights sums to 1 and is a softmax over the two chosen
    logits alone, so the six experts left out do not change w at all. Tokens per expert (top-2
    slots, 32 in all): \(load). An even share would be \(batchTokens * topK / experts) each.
    """)
book.figure(
    Charts.heatmap(
        title: "Router probabilities: each token spreads its probability over all 8 experts",
        xLabel: "expert", yLabel: "token", values: routing.probabilities.map(Double.init), rows: batchTokens, cols: experts,
        colorLabel: "probability p", colorRange: 0...1, xTickLabels: (0..<experts).map(String.init),
        yTickLabels: (0..<batchTokens).map(String.init), showValues: true, size: (1200, 900)),
    "router-probabilities", caption: "softmax(z) for the 16 tokens (rows) over the 8 experts (columns)")
var chosenWeights = [Double](repeating: .nan, count: batchTokens * experts)
for t in 0..<batchTokens {
    for (k, e) in routing.experts(ofToken: t).enumerated() {
        chosenWeights[t * experts + e] = Double(routing.weights[t * topK + k])
    }
}
book.figure(
    Charts.heatmap(
        title: "Top-2 routing keeps two experts per token and renormalises their weights to sum to 1",
        xLabel: "expert", yLabel: "token", values: chosenWeights, rows: batchTokens, cols: experts,
        colorLabel: "routing weight w (grey: not chosen)", colorRange: 0...1, xTickLabels: (0..<experts).map(String.init),
        yTickLabels: (0..<batchTokens).map(String.init), showValues: true, size: (1200, 900)),
    "routing-weights", caption: "the same tokens: only the two chosen experts are coloured, with their weights")
book.figure(
    Charts.bar(
        title: "Tokens per expert: an untrained router already loads the experts unevenly",
        xLabel: "expert", yLabel: "top-2 slots (of \(batchTokens * topK))", categories: (0..<experts).map { "expert \($0)" },
        series: [("tokens", load.map(Double.init))], showValues: true,
        annotations: [.horizontal(Double(batchTokens * topK / experts), label: "even share")]),
    "tokens-per-expert", caption: "how many of the 32 slots each expert receives")
print()
let tiedRow = [Float](repeating: 0.125, count: 8)
book.say(
    """
    Ties: torch.topk documents no order for equal values. On the CPU it is fixed by libstdc++'s
    nth_element, which we port (TorchCPUTopK): eight equal probabilities — a router whose
    weights are all zero — send every token to experts \(TopK.indices(of: tiedRow, k: 2)), not \
    \(TopK.indices(of: tiedRow, k: 2, tieBreaking: .lowerIndexFirst)).
    """)

// MARK: - 8.2
book.section("8.2", "The load-balancing loss, in transformers' normalisation")
book.say(
    """
    The Switch Transformer (Fedus et al. 2021, §2.2) adds L_aux = E * sum_e f_e * P_e, where f_e
    is the fraction of tokens sent to expert e and P_e its mean router probability. transformers'
    load_balancing_loss_func counts both top-2 slots, so the f_e sum to K = 2: a perfectly
    uniform router scores K, a router that puts everything on the same two experts scores E.
    Only P carries gradient (the counts come from an argmax): dL_aux/dp_t,e = E * f_e / T pushes
    every token away from the experts that are already busy.
    """)
let terms = stats.loadBalancing
book.table(
    ["", "expert 0 … 7", "sum"],
    [
        ["f_e (fraction of tokens)", row(terms.fractionPerExpert), Fmt.f(terms.fractionPerExpert.reduce(0, +), 3)],
        ["P_e (mean probability)", row(terms.meanProbability), Fmt.f(terms.meanProbability.reduce(0, +), 3)],
    ])
print()
let uniform = try LoadBalancingLoss.value(logits: Tensor(shape: [batchTokens, experts]), topK: topK)
let collapsedRow: [Float] = [0, 0] + [Float](repeating: -.infinity, count: experts - 2)
let collapsedLogits = Tensor(rows: [[Float]](repeating: collapsedRow, count: batchTokens))
let collapsed = try LoadBalancingLoss.value(logits: collapsedLogits, topK: topK)
book.table(
    ["router", "L_aux", "router z-loss"],
    [
        ["this batch", Fmt.f(terms.value, 4), Fmt.f(stats.zLoss, 4)],
        ["uniform (all logits 0)", Fmt.f(uniform, 4), "—"],
        ["all tokens on experts 0 and 1", Fmt.f(collapsed, 4), "—"],
    ])
print()
book.say(
    """
    Mixtral trains with router_aux_loss_coef = 0.001 times this loss. ST-MoE's router z-loss
    (Zoph et al. 2022, §3.1), the mean over tokens of (log sum_e exp z_e)^2, is the other
    auxiliary term: it keeps the logits small so the float32 softmax stays accurate. Mixtral does
    not use it; our layer offers it with coefficient 0 by default.
    """)

// MARK: - 8.3
book.section("8.3", "Expert capacity and dropped tokens (Switch Transformer)")
book.say(
    """
    Mixtral never drops a token. The Switch Transformer, built for accelerators that want fixed
    shapes, gives every expert capacity = ceil(factor * T * K / E) slots; first choices are
    placed before second choices, and an assignment that finds its expert full is dropped (the
    token keeps only its other expert, unrenormalised, or passes through the residual path alone).
    The same 16 tokens:
    """)
let factors = [1.0, 1.25, 1.5, 2.0, 4.0]
book.table(
    ["capacity factor", "slots per expert", "dropped assignments", "tokens with no expert"],
    try factors.map { factor in
        let plan = try ExpertDispatch.plan(routing, capacityFactor: factor)
        let dropped = "\(plan.dropped.count) of \(batchTokens * topK)"
        return [Fmt.g(factor), String(plan.capacity ?? 0), dropped, String(plan.fullyDroppedTokens.count)]
    })
print()
book.say(
    """
    At factor E/K = 4 every expert could take every token and nothing is dropped. The less even
    the router, the more capacity it needs — one more reason to balance the load.
    """)

// MARK: - 8.4
book.section("8.4", "Training a tiny MoE: router collapse without the auxiliary loss")
let sharedNorm = 6.0
let task = ClusteredTokens(
    classes: 8, dimensions: 16, componentsPerClass: 8, centerSpread: 1.0, noise: 0.5, sharedNorm: sharedNorm, seed: seed)
let expertWidth = 8
let steps = 500
let batchSize = 96
let learningRate = 0.01
let mixtralAlpha = 0.001
let switchAlpha = 0.01
let routerInitScale: Float = 0.1
let evaluationEvery = 25
/// The load is summed over windows of training ending at these steps (short ones first, where the router moves fastest).
let loadWindowEnds = [1, 20, 100, 500]
print("task: 8 classes x 8 clusters in 16 dimensions (centre spread 1.0, noise 0.5)")
print("      plus a shared component of norm \(Fmt.g(sharedNorm))")
print("models: x + FFN(x) -> linear head")
print("      MoE: 8 experts of width \(expertWidth), top-2; dense: SwiGLU of width \(2 * expertWidth)")
print("training: \(steps) steps of AdamW (lr \(learningRate)), batches of \(batchSize)")
print("      router initialised at \(routerInitScale) x nn.Linear's scale")
print()
book.say(
    """
    The task: points from 64 Gaussian clusters in 16 dimensions, 8 classes of 8 clusters each, so
    experts can specialise on regions of the input. Every point also carries the same vector s,
    like the large common direction of transformer hidden states. The router is initialised
    small (Switch Transformer §2.4 scales initialisations by 0.1). Four models see the same
    batches: the MoE layer without L_aux, with Mixtral's coefficient alpha = 0.001, and with the
    Switch Transformer's alpha = 0.01 (all three from the same initial weights), and a dense
    SwiGLU FFN as wide as the two experts a token uses — the same active parameters but for the
    router's 128 weights.
    """)

/// One training run: held-out loss every `evaluationEvery` steps and the slots per expert
/// summed over each window of `loadWindowEnds` (empty for the dense model).
struct Run {
    var model: MoEClassifier
    var evalSteps: [Double] = []
    var evalLosses: [Double] = []
    var loadByWindow: [[Int]] = []
    var finalLoss = 0.0
    var finalAccuracy = 0.0
}

func train(
    _ model: MoEClassifier, task: ClusteredTokens, heldOut: (inputs: Tensor, labels: [Int]),
    test: (inputs: Tensor, labels: [Int])
) throws -> Run {
    var run = Run(model: model)
    let optimizer = AdamW(model.parameters, AdamHyperparameters(learningRate: learningRate))
    var batches = SeededRNG(seed: seed + 200)  // the same batches for every model
    var window = [Int](repeating: 0, count: 8)
    for step in 1...steps {
        let (xb, yb) = task.sample(count: batchSize, rng: &batches)
        let result = try model.lossAndGradients(xb, labels: yb)
        optimizer.step()
        for (e, n) in result.tokensPerExpert.enumerated() { window[e] += n }
        if loadWindowEnds.contains(step) {
            if !result.tokensPerExpert.isEmpty { run.loadByWindow.append(window) }
            window = [Int](repeating: 0, count: 8)
        }
        if step % evaluationEvery == 0 || step == 1 {
            run.evalSteps.append(Double(step))
            run.evalLosses.append(try model.evaluate(heldOut.inputs, labels: heldOut.labels).loss)
        }
    }
    (run.finalLoss, run.finalAccuracy) = try model.evaluate(test.inputs, labels: test.labels)
    return run
}

var dataRNG = SeededRNG(seed: seed + 300)
let heldOut = task.sample(count: 512, rng: &dataRNG)
let testSet = task.sample(count: 2000, rng: &dataRNG)
var runs: [(name: String, run: Run)] = []
let variants = [("MoE, no L_aux", 0.0), ("MoE, alpha 0.001", mixtralAlpha), ("MoE, alpha 0.01", switchAlpha), ("dense", -1)]
for (name, coefficient) in variants {
    var modelRNG = SeededRNG(seed: seed + 100)  // the same initial weights for every MoE model
    let model: MoEClassifier
    if coefficient >= 0 {
        let configuration = MoEConfiguration(
            hidden: 16, intermediate: expertWidth, experts: 8, topK: 2, auxLossCoefficient: coefficient)
        model = try MoEClassifier(moe: configuration, classes: 8, rng: &modelRNG)
        if case .sparse(let layer) = model.block {
            for i in layer.router.weight.value.indices { layer.router.weight.value[i] *= routerInitScale }
        }
    } else {
        model = MoEClassifier(denseHidden: 16, intermediate: 2 * expertWidth, classes: 8, rng: &modelRNG)
    }
    runs.append((name, try train(model, task: task, heldOut: heldOut, test: testSet)))
}

let windowLabels = loadWindowEnds.indices.map { i in
    let start = i == 0 ? 1 : loadWindowEnds[i - 1] + 1
    return start == loadWindowEnds[i] ? "step \(start)" : "steps \(start)-\(loadWindowEnds[i])"
}
for (index, (name, run)) in runs.enumerated() where !run.loadByWindow.isEmpty {
    print("\(name): share of top-2 slots per expert")
    book.table(
        ["steps", "expert 0 … 7", "busiest two", "experts under 2 %"],
        zip(windowLabels, run.loadByWindow).map { label, counts in
            let total = Double(counts.reduce(0, +))
            let shares = counts.map { Double($0) / total }
            let top = shares.sorted(by: >)
            let idle = shares.filter { $0 < 0.02 }.count
            return [label, row(shares, digits: 2, width: 6), Fmt.f(top[0] + top[1], 2), String(idle)]
        })
    print()
    guard index != 1 else { continue }  // figures for no L_aux and for alpha 0.01
    book.figure(
        Charts.bar(
            title: index == 0
                ? "Without L_aux the router collapses: a few experts take almost every token"
                : "With 0.01 * L_aux every expert keeps a share of the tokens",
            xLabel: "expert", yLabel: "share of top-2 slots", categories: (0..<8).map { "expert \($0)" },
            series: zip(windowLabels, run.loadByWindow).map { label, counts in
                (label, counts.map { Double($0) / Double(counts.reduce(0, +)) })
            },
            yRange: 0...0.6, annotations: [.horizontal(0.125, label: "even share 1/8")]),
        index == 0 ? "load-without-aux" : "load-with-aux",
        caption: "\(name): each expert's share of the slots in four windows of training")
    print()
}
book.table(
    ["model", "active parameters", "total parameters", "test loss", "test accuracy"],
    runs.map { name, run in
        [
            name, String(run.model.activeParameterCount), String(run.model.parameters.totalCount),
            Fmt.f(run.finalLoss, 4), Fmt.f(run.finalAccuracy, 4),
        ]
    })
print()
book.figure(
    Charts.line(
        title: "Same active parameters: the balanced MoE learns the clustered task best",
        xLabel: "training step", yLabel: "held-out cross-entropy",
        series: runs.map { Series(name: $0.name, x: $0.run.evalSteps, y: $0.run.evalLosses) }, yScale: .log10),
    "loss-curves", caption: "held-out loss every \(evaluationEvery) steps (512 points), log scale")
print()
/// Final-window numbers of a run: the busiest two experts' share and the experts under 2 %.
func finalLoad(_ run: Run) -> (busiestTwo: Double, idle: Int) {
    let counts = run.loadByWindow.last!
    let shares = counts.map { Double($0) / Double(counts.reduce(0, +)) }.sorted(by: >)
    return (shares[0] + shares[1], shares.filter { $0 < 0.02 }.count)
}
let firstStepIdle = runs[0].run.loadByWindow[0].filter { $0 == 0 }.count
let (collapsedTop, collapsedIdle) = finalLoad(runs[0].run)
let (_, mixtralIdle) = finalLoad(runs[1].run)
let (_, switchIdle) = finalLoad(runs[2].run)
book.say(
    """
    At the first step the shared component already gives every token a similar preference
    (\(firstStepIdle) experts receive nothing). Without L_aux that is never undone: within twenty steps the
    router settles on a few experts and the others starve — parameters paid for and never
    trained. Over steps 101-500 the busiest two take \(Fmt.f(100 * collapsedTop, 0)) % of the slots and \(collapsedIdle) of 8
    experts get under 2 %. Mixtral's alpha = 0.001 pulls the load back only partly in 500 steps
    of this tiny model (\(mixtralIdle) experts under 2 %); alpha = 0.01 leaves \(switchIdle). The balanced MoE beats
    the dense FFN of the same active size: it holds four times the expert parameters while
    spending the same multiply-adds per token. (Remove s and this small router stays balanced
    even without L_aux: collapse needs inputs that share a direction, which transformer hidden
    states do.)
    """)

// MARK: - 8.5
book.section("8.5", "Mixtral 8x7B's arithmetic: 13B per token, 47B in memory")
let mixtral = MixtralArithmetic.mixtral8x7B
print(
    "config: hidden \(mixtral.hidden), intermediate \(mixtral.intermediate), \(mixtral.layers) layers, "
        + "\(mixtral.experts) experts, top-\(mixtral.topK),")
print(
    "        \(mixtral.queryHeads) query / \(mixtral.keyValueHeads) KV heads of \(mixtral.headDimension), "
        + "vocabulary \(mixtral.vocabulary)")
print()
/// Gigabytes (10⁹ bytes) of `parameters` stored at `width`.
func gigabytes(_ parameters: Int, _ width: StorageWidth) -> Double {
    MixtralArithmetic.bytes(parameters, bitsPerParameter: width.bitsPerParameter) / 1e9
}
/// Billions with two decimals, or millions below 0.1B.
func billions(_ n: Int) -> String { n >= 100_000_000 ? Fmt.f(Double(n) / 1e9, 2) + "B" : Fmt.f(Double(n) / 1e6, 2) + "M" }
book.table(
    ["part", "per layer", "all layers", "active per token"],
    [
        [
            "attention (W_q, W_k, W_v, W_o)", String(mixtral.attentionPerLayer),
            billions(mixtral.layers * mixtral.attentionPerLayer), billions(mixtral.layers * mixtral.attentionPerLayer),
        ],
        [
            "experts (8 x 3 x 4096 x 14336)", String(mixtral.experts * mixtral.parametersPerExpert),
            billions(mixtral.expertParameters), billions(mixtral.layers * mixtral.topK * mixtral.parametersPerExpert),
        ],
        ["router + 2 RMSNorms", String(mixtral.routerPerLayer + mixtral.normsPerLayer),
         billions(mixtral.layers * (mixtral.routerPerLayer + mixtral.normsPerLayer)),
         billions(mixtral.layers * (mixtral.routerPerLayer + mixtral.normsPerLayer))],
        [
            "embeddings, output head, final norm", "—", billions(mixtral.embeddingsAndHead),
            billions(mixtral.embeddingsAndHead),
        ],
        ["total", "", billions(mixtral.totalParameters), billions(mixtral.activeParameters)],
    ])
print()
let activePercent = 100 * Double(mixtral.activeParameters) / Double(mixtral.totalParameters)
print("total \(mixtral.totalParameters), active \(mixtral.activeParameters) (\(Fmt.f(activePercent, 1)) %)")
print()
book.table(
    ["storage", "bits / parameter", "all 46.7B parameters", "the 12.9B a token uses"],
    StorageWidth.allCases.map { width in
        [
            width.rawValue, Fmt.f(width.bitsPerParameter, 3),
            Fmt.f(gigabytes(mixtral.totalParameters, width), 1) + " GB",
            Fmt.f(gigabytes(mixtral.activeParameters, width), 1) + " GB",
        ]
    })
print()
book.figure(
    Charts.bar(
        title: "Mixtral needs memory for all 46.7B parameters, though each token uses 12.9B",
        xLabel: "storage", yLabel: "GB (10^9 bytes)", categories: StorageWidth.allCases.map(\.rawValue),
        series: [
            ("all parameters (memory)", StorageWidth.allCases.map { gigabytes(mixtral.totalParameters, $0) }),
            ("active per token (compute)", StorageWidth.allCases.map { gigabytes(mixtral.activeParameters, $0) }),
        ],
        showValues: true, annotations: [.horizontal(80, label: "one 80 GB GPU")]),
    "mixtral-memory", caption: "weights of Mixtral 8x7B in GB at each storage width")
print()
book.table(
    ["tokens in a batch", "experts read per layer (of 8)", "fraction of expert weights"],
    [1, 2, 4, 8, 16, 32].map { n in
        let touched = mixtral.expectedExpertsTouched(tokens: n)
        return [String(n), Fmt.f(touched, 2), Fmt.f(touched / Double(mixtral.experts), 3)]
    })
print()
book.say(
    """
    Compute follows the active parameters: about 2 * 12.9B = 25.8 GFLOP per token for the matrix
    products, the cost of a 13B dense model and a quarter of a dense 47B one. Memory follows the
    total: the router picks experts per token and per layer, so any expert may be needed next,
    and all of them must be resident — 93 GB in fp16, more than one 80 GB GPU, 26 GB in NF4.
    And a batch does not stay sparse for long: if tokens chose uniformly, 16 tokens already read
    7.9 of the 8 experts in every layer (table above, E * (1 - (1 - K/E)^n)), so serving a batch
    streams nearly all 47B parameters' bytes per step while doing 13B's arithmetic per token.
    """)
