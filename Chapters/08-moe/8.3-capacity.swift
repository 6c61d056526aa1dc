import Book
import MoE

/// 8.3: Switch-style expert capacity on 8.1's routing: how many assignments each factor drops.
func capacitySection(_ book: Notebook, _ routing: Routing) {
    book.section("8.3", "Expert capacity and dropped tokens (Switch Transformer)")
    book.say(
        """
        Mixtral as released never drops a token: neither Mistral's reference code nor
        transformers has a capacity, and the paper mentions none. The Switch Transformer, built
        for accelerators that want fixed shapes, gives every expert capacity =
        ceil(factor * T * K / E) slots; first choices are placed before second choices, and an
        assignment that finds its expert full is dropped (the token keeps only its other
        expert, unrenormalised, or passes through the residual path alone). The same
        \(routing.tokens) tokens:
        """)
    let factors = [1.0, 1.25, 1.5, 2.0, 4.0]
    book.table(
        ["capacity factor", "slots per expert", "dropped assignments", "tokens with no expert"],
        factors.map { factor in
            let plan = book.attempt("dispatch") {
                try ExpertDispatch.plan(routing, capacityFactor: factor)
            }
            let dropped = "\(plan.dropped.count) of \(routing.tokens * routing.topK)"
            return [
                Fmt.g(factor), String(plan.capacity ?? 0), dropped,
                String(plan.fullyDroppedTokens.count),
            ]
        })
    print()
    book.say(
        """
        At factor E/K = 4 every expert could take every token and nothing is dropped. The less
        even the router, the more capacity it needs — one more reason to balance the load.
        """)
}
