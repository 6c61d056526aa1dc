import Book
import Core
import MoE

/// 8.2: the Switch Transformer's load-balancing loss on 8.1's batch, and the router z-loss.
func loadBalancingSection(_ book: Notebook, _ stats: SparseMoE.Statistics) {
    book.section("8.2", "The load-balancing loss, in transformers' normalisation")
    let routing = stats.routing
    let (tokens, experts, topK) = (routing.tokens, routing.experts, routing.topK)
    book.say(
        """
        The Switch Transformer (Fedus et al. 2021, §2.2) adds an auxiliary loss to the training
        loss, L_aux = E * sum_e f_e * P_e, where f_e is the fraction of tokens sent to expert e and
        P_e its mean router probability over the batch. transformers' load_balancing_loss_func
        counts both top-2 slots, so the f_e sum to K = 2: a perfectly uniform router scores K, a
        router that puts everything on the same two experts scores E. Only P carries gradient
        (the counts come from a top-k selection, which has no gradient): dL_aux/dp_t,e =
        E * f_e / T, for T tokens, pushes every token away from the experts that are already
        busy.
        """)
    let terms = stats.loadBalancing
    book.table(
        ["", "expert 0 … 7", "sum"],
        [
            [
                "f_e (fraction of tokens)", Fmt.row(terms.fractionPerExpert, digits: 3, width: 7),
                Fmt.f(terms.fractionPerExpert.reduce(0, +), 3),
            ],
            [
                "P_e (mean probability)", Fmt.row(terms.meanProbability, digits: 3, width: 7),
                Fmt.f(terms.meanProbability.reduce(0, +), 3),
            ],
        ])
    print()
    let uniform = book.attempt("L_aux") {
        try LoadBalancingLoss.value(logits: Tensor(shape: [tokens, experts]), topK: topK)
    }
    let collapsedRow: [Float] = [0, 0] + [Float](repeating: -.infinity, count: experts - 2)
    let collapsedLogits = Tensor(rows: [[Float]](repeating: collapsedRow, count: tokens))
    let collapsed = book.attempt("L_aux") {
        try LoadBalancingLoss.value(logits: collapsedLogits, topK: topK)
    }
    book.say(
        """
        ST-MoE's router z-loss (Zoph et al. 2022, §3, eq. 5) is a second auxiliary term: L_z,
        the mean over tokens of (log sum_e exp z_e)², keeps the logits small so that the float32
        (or bfloat16) softmax stays accurate.
        """)
    book.table(
        ["router", "L_aux", "router z-loss L_z"],
        [
            ["this batch", Fmt.f(terms.value, 4), Fmt.f(stats.zLoss, 4)],
            ["uniform (all logits 0)", Fmt.f(uniform, 4), "—"],
            ["all tokens on experts 0 and 1", Fmt.f(collapsed, 4), "—"],
        ])
    print()
    book.say(
        """
        How much L_aux Mixtral was trained with is not in its paper: Jiang et al. give no
        coefficient and do not describe the balancing loss. What can be read is code and
        configuration. transformers adds router_aux_loss_coef * L_aux to the loss, and its
        MixtralConfig defaults the coefficient to 0.001; the config.json released with
        Mixtral-8x7B-v0.1 sets "router_aux_loss_coef": 0.02; the Switch Transformer used 0.01.
        §8.4 trains with all three. transformers' Mixtral computes no z-loss (the paper does not
        mention one either); our layer offers it with coefficient 0 by default.
        """)
}
