import Book
import Core
import MoE
import Plot

/// 8.1: one MoE layer routes a batch of tokens; returns what its forward pass recorded.
func routingSection(
    _ book: Notebook, layer: MoEConfiguration, routerStd: Double, tokens: Int, rng: inout SeededRNG
) -> SparseMoE.Statistics {
    book.section("8.1", "Routing a batch: softmax over all experts, top-2, renormalise")
    let (experts, topK) = (layer.experts, layer.topK)
    book.say(
        """
        A Mixtral layer (Jiang et al. 2024, §2.1) has E = 8 experts — SwiGLU feed-forward networks,
        FFN(x) = W2 · (silu(W1 · x) ⊙ W3 · x) — and a router, a bias-free linear map from the token
        to 8 logits z. transformers' MixtralTopKRouter takes the softmax over all 8 experts in
        float32, keeps the two largest probabilities (torch.topk) and divides them by their sum;
        the layer's output is the sum of those two experts' outputs, each times its weight w.
        Every other expert is skipped for this token. Here the router's weights are drawn from
        N(0, \(Fmt.g(routerStd))²), large enough that the tokens disagree about their experts.
        """)
    let routerWeight = Tensor(
        shape: [experts, layer.hidden],
        data: rng.normalFloats(experts * layer.hidden, std: routerStd))
    let expertLayers = (0..<experts).map {
        SwiGLUExpert(
            hidden: layer.hidden, intermediate: layer.intermediate, name: "experts.\($0)", rng: &rng
        )
    }
    let moe = book.attempt("the layer") {
        try SparseMoE(routerWeight: routerWeight, experts: expertLayers, topK: topK)
    }
    let x = Tensor(shape: [tokens, layer.hidden], data: rng.normalFloats(tokens * layer.hidden))
    _ = book.attempt("routing") { try moe.forward(x) }
    let stats = moe.lastStatistics!
    let routing = stats.routing
    book.table(
        ["token", "router probabilities p, experts 0 … 7", "top-2", "weights w"],
        (0..<tokens).map { t in
            let p = routing.probabilities[(t * experts)..<((t + 1) * experts)]
            let chosen = routing.experts(ofToken: t).map(String.init).joined(separator: ", ")
            return [
                String(t), Fmt.row(p, digits: 3, width: 7), chosen,
                Fmt.row(routing.weights(ofToken: t), digits: 3, width: 7),
            ]
        })
    print()
    let (slots, load) = (tokens * topK, routing.tokensPerExpert)
    book.say(
        """
        Each row of p sums to 1; each pair of weights sums to 1 and is a softmax over the two
        chosen logits alone, so the six experts left out do not change w at all. Tokens per
        expert (top-2 slots, \(slots) in all): \(load). An even share would be \(slots / experts)
        each: even an untrained router loads the experts unevenly.
        """)
    let tickLabels = (x: (0..<experts).map(String.init), y: (0..<tokens).map(String.init))
    book.figure(
        Charts.heatmap(
            title: "Router probabilities: each token spreads its probability over all 8 experts",
            xLabel: "expert", yLabel: "token", values: routing.probabilities.map(Double.init),
            rows: tokens,
            cols: experts, colorLabel: "probability p", colorRange: 0...1,
            xTickLabels: tickLabels.x,
            yTickLabels: tickLabels.y, showValues: true, size: (1200, 900)),
        "router-probabilities",
        caption: "softmax(z) for the 16 tokens (rows) over the 8 experts")
    var chosenWeights = [Double](repeating: .nan, count: tokens * experts)
    for t in 0..<tokens {
        for (k, e) in routing.experts(ofToken: t).enumerated() {
            chosenWeights[t * experts + e] = Double(routing.weights[t * topK + k])
        }
    }
    book.figure(
        Charts.heatmap(
            title: "Top-2 routing keeps two experts per token and renormalises their weights"
                + " to sum to 1",
            xLabel: "expert", yLabel: "token", values: chosenWeights, rows: tokens, cols: experts,
            colorLabel: "routing weight w (grey: not chosen)", colorRange: 0...1,
            xTickLabels: tickLabels.x,
            yTickLabels: tickLabels.y, showValues: true, size: (1200, 900)),
        "routing-weights",
        caption: "the same tokens: only the two chosen experts are coloured")
    print()
    let tiedRow = [Float](repeating: 0.125, count: 8)
    let torchOrder = TopK.indices(of: tiedRow, k: 2).map(String.init).joined(separator: " and ")
    let lowerFirst = TopK.indices(of: tiedRow, k: 2, tieBreaking: .lowerIndexFirst).map(String.init)
        .joined(separator: " and ")
    book.say(
        """
        Ties: torch.topk documents no order for equal values. On the CPU it is fixed by
        libstdc++'s nth_element (a partial sort), which we port (TorchCPUTopK): eight equal
        probabilities — a router whose weights are all zero — send every token to experts \
        \(torchOrder), not \(lowerFirst).
        """)
    return stats
}
