import Book
import MoE

/// Billions with two decimals, or millions below 0.1B.
func billions(_ n: Int) -> String {
    n >= 100_000_000 ? Fmt.f(Double(n) / 1e9, 2) + "B" : Fmt.f(Double(n) / 1e6, 2) + "M"
}

/// 8.6: Mixtral 8x7B's parameters from its configuration: why 46.7B and not 56B, and why a
/// token uses 12.9B of them.
func mixtralParametersSection(_ book: Notebook, _ m: MixtralArithmetic) {
    book.section("8.6", "Mixtral 8x7B's parameters: 46.7B, not 8 x 7B = 56B; 12.9B per token")
    print(
        "config: hidden \(m.hidden), intermediate \(m.intermediate), \(m.layers) layers, "
            + "\(m.experts) experts, top-\(m.topK),")
    print(
        "        \(m.queryHeads) query / \(m.keyValueHeads) KV heads of \(m.headDimension), "
            + "vocabulary \(m.vocabulary)")
    print()
    book.say(
        """
        The name suggests eight 7B models: 8 x 7B = 56B parameters (57.9B with Mistral 7B's
        exact 7.24B). But Mixtral is Mistral 7B's transformer with each layer's FFN replaced by
        8 experts of the same size. Attention (grouped-query: 8 key-value heads shared by 32
        query heads), the norms, the embeddings and the output head — the shared parts — exist
        once, and every token uses them. Counting from the configuration:
        """)
    let (l, router, norms) = (m.layers, m.routerPerLayer, m.normsPerLayer)
    book.table(
        ["part", "per layer", "all layers", "active per token"],
        [
            [
                "attention (W_q, W_k, W_v, W_o)", String(m.attentionPerLayer),
                billions(l * m.attentionPerLayer),
                billions(l * m.attentionPerLayer),
            ],
            [
                "experts (8 x 3 x 4096 x 14336)", String(m.experts * m.parametersPerExpert),
                billions(m.expertParameters),
                billions(l * m.topK * m.parametersPerExpert),
            ],
            [
                "router + 2 RMSNorms", String(router + norms), billions(l * (router + norms)),
                billions(l * (router + norms)),
            ],
            [
                "embeddings, output head, final norm", "—", billions(m.embeddingsAndHead),
                billions(m.embeddingsAndHead),
            ],
            ["total", "", billions(m.totalParameters), billions(m.activeParameters)],
        ])
    print()
    let activePercent = 100 * Double(m.activeParameters) / Double(m.totalParameters)
    print("total \(m.totalParameters), active \(m.activeParameters) (\(Fmt.f(activePercent, 1)) %)")
    print()
    let (shared, ffn) = (m.sharedParameters, l * m.parametersPerExpert)
    book.table(
        ["model", "shared parts", "FFN stacks", "routers", "parameters"],
        [
            [
                "Mistral 7B (one FFN per layer)", billions(shared), "1 x " + billions(ffn), "—",
                billions(m.denseParameters),
            ],
            [
                "8 x Mistral 7B", "8 x " + billions(shared), "8 x " + billions(ffn), "—",
                billions(8 * m.denseParameters),
            ],
            [
                "Mixtral 8x7B", billions(shared), "8 x " + billions(ffn), billions(l * router),
                billions(m.totalParameters),
            ],
            [
                "Mixtral, one token", billions(shared), "2 x " + billions(ffn),
                billions(l * router),
                billions(m.activeParameters),
            ],
        ])
    print()
    let eightModels = 8 * m.denseParameters
    let saved = billions(eightModels - m.totalParameters)
    book.say(
        """
        Eight separate 7B models would hold \(billions(eightModels)); Mixtral stores the
        shared \(billions(shared)) once instead of eight times, so it is \(saved) smaller: 46.7B,
        the paper's "47B". A token passes through the shared parts, two of the eight FFNs and
        the router: 12.9B, the paper's "13B active parameters".
        """)
}
