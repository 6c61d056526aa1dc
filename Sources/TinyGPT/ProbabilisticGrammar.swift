import Core

/// A probabilistic finite-state grammar: the seeded source of the text TinyGPT learns.
///
/// The grammar is a Markov chain over *states* (grammatical slots: "sentence start",
/// "subject noun", "verb", …). In each state it picks one *arc* with the arc's probability,
/// writes the arc's text (a word with its trailing space or punctuation) and moves to the
/// arc's target state — a regular grammar in the sense of Chomsky (1956) with probabilities
/// on its productions, the simplest generator whose text has a *computable* entropy.
///
/// ```
/// arcs: [states][choices] Arc     arcs[s] = the choices in state s, probabilities summing to 1
/// Arc:  text (≥ 1 character), probability, target state
/// text = arc₁.text + arc₂.text + …, starting in `startState`
/// ```
///
/// **Why the arcs must be prefix-free in each state.** If no arc's text in a state is a prefix
/// of another's there, the characters decode back into the arcs one at a time
/// (`informationContent(of:)` does exactly that). The text then carries exactly the
/// information of the arc choices, which is what lets `GrammarEntropy` turn entropy per arc
/// into entropy per character. The initializer checks it, and checks that every state can
/// reach every other (through the start state), so the chain has one stationary distribution.
public struct ProbabilisticGrammar: Sendable {
    /// One production: write `text`, then continue in state `target`.
    public struct Arc: Equatable, Sendable {
        public let text: String
        public let probability: Double
        public let target: Int
    }

    /// A group of words with weights that all lead to the same next state — how the grammars
    /// in `Domains.swift` are written. Weights are normalised over the whole state.
    public struct Choices: Sendable {
        public let words: [(text: String, weight: Double)]
        public let next: String

        public init(_ words: KeyValuePairs<String, Double>, then next: String) {
            self.init(words.map { ($0.key, $0.value) }, then: next)
        }

        public init(_ words: [(String, Double)], then next: String) {
            self.words = words.map { (text: $0.0, weight: $0.1) }
            self.next = next
        }
    }

    public let name: String
    public let stateNames: [String]
    /// arcs[s]: the choices in state s.
    public let arcs: [[Arc]]
    public let startState: Int

    /// Builds the grammar from named states (the first one listed need not be the start).
    public init(name: String, start: String, states: KeyValuePairs<String, [Choices]>) {
        let names = states.map(\.key)
        precondition(Set(names).count == names.count, "grammar \(name): a state name occurs twice")
        guard let startIndex = names.firstIndex(of: start) else {
            preconditionFailure("grammar \(name): no start state \(start)")
        }
        var arcs: [[Arc]] = []
        for (stateName, choices) in states {
            let total = choices.flatMap(\.words).reduce(0) { $0 + $1.weight }
            precondition(total > 0, "grammar \(name): state \(stateName) has no positive weight")
            var stateArcs: [Arc] = []
            for choice in choices {
                guard let target = names.firstIndex(of: choice.next) else {
                    preconditionFailure("grammar \(name): state \(stateName) leads to unknown state \(choice.next)")
                }
                for (text, weight) in choice.words {
                    precondition(weight > 0 && !text.isEmpty,
                                 "grammar \(name): empty word or non-positive weight in \(stateName)")
                    stateArcs.append(Arc(text: text, probability: weight / total, target: target))
                }
            }
            arcs.append(stateArcs)
        }
        self.init(name: name, stateNames: names, arcs: arcs, startState: startIndex)
    }

    /// Builds the grammar from arcs directly (probabilities must already sum to 1 per state).
    public init(name: String, stateNames: [String], arcs: [[Arc]], startState: Int) {
        precondition(stateNames.count == arcs.count && arcs.indices.contains(startState),
                     "grammar \(name): states do not match")
        for (s, stateArcs) in arcs.enumerated() {
            let total = stateArcs.reduce(0) { $0 + $1.probability }
            precondition(abs(total - 1) < 1e-9, "grammar \(name): probabilities in \(stateNames[s]) sum to \(total)")
            for a in stateArcs {
                precondition(arcs.indices.contains(a.target), "grammar \(name): arc \(a.text) leads nowhere")
                for b in stateArcs where b.text != a.text {
                    precondition(!b.text.hasPrefix(a.text),
                                 "grammar \(name): in \(stateNames[s]) \"\(a.text)\" is a prefix of \"\(b.text)\"")
                }
            }
            precondition(Set(stateArcs.map(\.text)).count == stateArcs.count,
                         "grammar \(name): repeated word in \(stateNames[s])")
        }
        self.name = name
        self.stateNames = stateNames
        self.arcs = arcs
        self.startState = startState
        precondition(isIrreducible, "grammar \(name): some state cannot reach some other state")
    }

    /// Every state reachable from the start, and the start reachable from every state.
    var isIrreducible: Bool {
        func reachable(from origin: Int, reversed: Bool) -> Set<Int> {
            var seen: Set<Int> = [origin], stack = [origin]
            while let s = stack.popLast() {
                let next = reversed
                    ? arcs.indices.filter { t in arcs[t].contains { $0.target == s } }
                    : arcs[s].map(\.target)
                for t in next where seen.insert(t).inserted { stack.append(t) }
            }
            return seen
        }
        return reachable(from: startState, reversed: false).count == arcs.count
            && reachable(from: startState, reversed: true).count == arcs.count
    }

    /// Exactly `count` characters of text, walking the chain from the start state. Each arc
    /// costs one uniform draw from `rng`; the last arc is cut off at `count` characters.
    public func generate(characters count: Int, rng: inout SeededRNG) -> String {
        var text = ""
        text.reserveCapacity(count + 32)
        var length = 0
        var state = startState
        while length < count {
            let arc = choose(in: state, rng: &rng)
            text += arc.text
            length += arc.text.count
            state = arc.target
        }
        return String(text.prefix(count))
    }

    /// One arc of `state`, drawn with its probability: the first arc whose cumulative
    /// probability exceeds a uniform u ∈ [0, 1).
    func choose(in state: Int, rng: inout SeededRNG) -> Arc {
        let u = rng.uniform()
        var cumulative = 0.0
        for arc in arcs[state] {
            cumulative += arc.probability
            if u < cumulative { return arc }
        }
        return arcs[state].last!  // u within rounding of 1
    }

    /// −log₂ P(text): decodes `text` arc by arc from the start state and adds up −log₂ p of
    /// each complete arc. Returns the bits and the characters those complete arcs cover (a
    /// cut-off last arc is left out), or nil if the text is not one this grammar writes.
    public func informationContent(of text: String) -> (bits: Double, characters: Int)? {
        let chars = Array(text)
        var position = 0, state = startState, bits = 0.0
        while position < chars.count {
            let rest = chars[position...]
            guard let arc = arcs[state].first(where: { rest.starts(with: $0.text) }) else {
                // The tail may be a cut-off arc; anything else is not this grammar's text.
                if arcs[state].contains(where: { $0.text.starts(with: rest) }) { break }
                return nil
            }
            bits -= Math.log2(arc.probability)
            position += arc.text.count
            state = arc.target
        }
        return (bits, position)
    }
}
