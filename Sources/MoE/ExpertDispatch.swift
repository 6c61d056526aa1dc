/// Which tokens each expert processes: the routing turned into one group per expert, and —
/// optionally — the Switch Transformer's expert capacity with token dropping.
///
/// ```
/// groups[e]: the (token, slot) assignments expert e runs on, in token order
/// dropped:   the assignments that found their expert full, in the order they were refused
/// ```
///
/// **Grouping.** Running all E experts on all T tokens costs E/K times the work that has a
/// non-zero weight. Instead each expert gathers its own rows of x, runs once on that [n_e][H]
/// block, and its weighted outputs are added back to their tokens' rows (transformers:
/// `torch.where(expert_mask[e])`, `index_add_`). The n_e differ from expert to expert — which is
/// exactly what fixed-shape accelerators dislike, and why Switch introduced capacity.
///
/// **Capacity** (Fedus et al. 2021, §2.2, "expert capacity"; Lepikhin et al., GShard, 2020):
///
/// ```
/// capacity = ⌈capacityFactor · T · K / E⌉       slots per expert; factor 1 = a perfectly even share
/// ```
///
/// Slots are filled first choices first (all tokens' slot 0 in token order, then slot 1, …), as
/// GShard and ST-MoE give priority to the top-1 choice. An assignment that finds its expert
/// full is *dropped*: it contributes nothing, the token's other weights are *not*
/// renormalised, and a token with all K slots dropped comes out of the layer as zeros (in a
/// transformer block it still flows on through the residual connection). Mixtral and
/// transformers' Mixtral never drop: leave `capacityFactor` nil.
public struct ExpertDispatch: Equatable, Sendable {
    /// Token `token`'s slot `slot` (its `slot`-th choice).
    public struct Assignment: Equatable, Hashable, Sendable {
        public let token: Int
        public let slot: Int
        public init(token: Int, slot: Int) {
            self.token = token
            self.slot = slot
        }
    }

    public let groups: [[Assignment]]
    public let dropped: [Assignment]
    /// Slots per expert, or nil for no limit.
    public let capacity: Int?
    /// Tokens whose every slot was dropped (their layer output is zero).
    public let fullyDroppedTokens: [Int]

    /// ⌈factor · T · K / E⌉.
    public static func capacity(tokens: Int, experts: Int, topK: Int, factor: Double) -> Int {
        Int((factor * Double(tokens * topK) / Double(experts)).rounded(.up))
    }

    /// Groups the routing's T·K assignments by expert, honouring a capacity when given
    /// (exercise 8d): slot 0 of every token in token order, then slot 1, …; an assignment
    /// whose expert already holds `capacity` is dropped (in that order); each group is then
    /// sorted by token; a token is fully dropped when all K of its slots were (ascending).
    public static func plan(_ routing: Routing, capacityFactor: Double? = nil) throws(MoEError) -> ExpertDispatch {
        let (t, e, k) = (routing.tokens, routing.experts, routing.topK)
        var groups = [[Assignment]](repeating: [], count: e)
        var dropped: [Assignment] = []
        var capacity: Int?
        if let capacityFactor {
            guard capacityFactor.isFinite && capacityFactor > 0 else { throw .invalidCapacityFactor(capacityFactor) }
            capacity = Self.capacity(tokens: t, experts: e, topK: k, factor: capacityFactor)
        }
        // BEGIN EXERCISE 8d — capacity and token dropping
        for slot in 0..<k {
            for token in 0..<t {
                let expert = routing.selectedExperts[token * k + slot]
                let assignment = Assignment(token: token, slot: slot)
                if let capacity, groups[expert].count >= capacity {
                    dropped.append(assignment)
                } else {
                    groups[expert].append(assignment)
                }
            }
        }
        // Within a group, token order (the order transformers' torch.where yields).
        for expert in 0..<e { groups[expert].sort { ($0.token, $0.slot) < ($1.token, $1.slot) } }
        var droppedSlots = [Int](repeating: 0, count: t)
        for assignment in dropped { droppedSlots[assignment.token] += 1 }
        let fullyDropped = (0..<t).filter { droppedSlots[$0] == k }
        return ExpertDispatch(groups: groups, dropped: dropped, capacity: capacity, fullyDroppedTokens: fullyDropped)
        // END EXERCISE 8d
    }

    /// Tokens each expert actually processes (after dropping).
    public var tokensPerExpert: [Int] { groups.map(\.count) }
}
