import Core

/// An entropy per character, in the two units the chapters print: bits (information
/// theory's unit) and nats (the unit of a cross-entropy loss computed with `log`).
public struct EntropyPerCharacter: Equatable, Sendable, CustomStringConvertible {
    public let bits: Double
    public var nats: Double { bits * Math.log(2) }

    public init(bits: Double) { self.bits = bits }
    public init(nats: Double) { self.bits = nats / Math.log(2) }

    public var description: String { "\(bits) bits = \(nats) nats per character" }
}

/// The exact entropy rate of a grammar's text (Shannon, "A Mathematical Theory of
/// Communication", 1948, §7 — the entropy of a Markov source; Cover & Thomas, *Elements of
/// Information Theory*, 2nd ed., §4.2).
///
/// ```
/// P[s][t]  = Σ of the probabilities of the arcs from s to t        (the state chain)
/// π        = the stationary distribution: π P = π, Σ π = 1
/// H_s      = −Σ_arcs p log₂ p           bits per arc chosen in state s
/// L_s      =  Σ_arcs p · |text|         characters per arc chosen in state s
/// H_char   = Σ_s π_s H_s  /  Σ_s π_s L_s          bits per character
/// ```
///
/// Why the ratio is exact: the arcs are prefix-free in each state, so N arcs and the
/// characters they write determine each other and carry the same information, ≈ N · Σ π H
/// bits; they span ≈ N · Σ π L characters (the ergodic theorem, applied to both sums — a
/// renewal-reward argument). The ratio is the entropy rate of the character process: the
/// lowest expected loss per character *any* model can reach with unlimited context.
///
/// A model with a window of T characters sees less than that at the start of each window, so
/// its achievable loss sits slightly above the rate; the gap shrinks as T grows past a
/// sentence or two. The test `entropyRateMatchesBruteForceEstimate` checks the formula
/// against −log₂ P(text) / |text| on a long sampled text, which converges to the same number
/// (Shannon–McMillan–Breiman) by an independent route.
extension ProbabilisticGrammar {
    /// The state chain's transition matrix: P[s][t].
    public var transitionMatrix: [[Double]] {
        var p = [[Double]](repeating: [Double](repeating: 0, count: arcs.count), count: arcs.count)
        for (s, stateArcs) in arcs.enumerated() {
            for arc in stateArcs { p[s][arc.target] += arc.probability }
        }
        return p
    }

    /// π, by power iteration on the *lazy* chain (P + I) / 2. The lazy chain has the same
    /// stationary distribution and is aperiodic even when P is not (a grammar whose sentences
    /// all have the same length is periodic, and plain power iteration would oscillate).
    public var stationaryDistribution: [Double] {
        let p = transitionMatrix
        let n = arcs.count
        var pi = [Double](repeating: 1 / Double(n), count: n)
        for _ in 0..<200_000 {
            var next = pi.map { $0 / 2 }
            for s in 0..<n {
                for t in 0..<n { next[t] += pi[s] * p[s][t] / 2 }
            }
            let change = zip(next, pi).map { abs($0 - $1) }.max()!
            pi = next
            if change < 1e-16 { break }
        }
        let total = pi.reduce(0, +)
        return pi.map { $0 / total }
    }

    /// H_s for every state: bits per arc chosen there.
    public var entropyPerArc: [Double] {
        arcs.map { $0.reduce(0) { $0 - $1.probability * Math.log2($1.probability) } }
    }

    /// L_s for every state: the expected characters an arc writes there.
    public var expectedCharactersPerArc: [Double] {
        arcs.map { $0.reduce(0) { $0 + $1.probability * Double($1.text.count) } }
    }

    /// The entropy rate of the character process, Σ π H / Σ π L.
    public var entropyRate: EntropyPerCharacter {
        let pi = stationaryDistribution
        let bitsPerArc = zip(pi, entropyPerArc).reduce(0) { $0 + $1.0 * $1.1 }
        let charactersPerArc = zip(pi, expectedCharactersPerArc).reduce(0) { $0 + $1.0 * $1.1 }
        return EntropyPerCharacter(bits: bitsPerArc / charactersPerArc)
    }

    /// The long-run frequency of each character of `vocabulary` in this grammar's text:
    /// expected occurrences per arc over expected characters per arc.
    ///
    /// ```
    /// f(c) = Σ_s π_s Σ_arcs p · count(c in text)  /  Σ_s π_s L_s
    /// ```
    public func characterFrequencies(_ vocabulary: CharacterVocabulary) -> [Double] {
        let pi = stationaryDistribution
        var counts = [Double](repeating: 0, count: vocabulary.count)
        for (s, stateArcs) in arcs.enumerated() {
            for arc in stateArcs {
                for id in vocabulary.encode(arc.text) { counts[id] += pi[s] * arc.probability }
            }
        }
        let total = counts.reduce(0, +)
        return counts.map { $0 / total }
    }

    /// The unigram entropy: what a model that ignores all context (it knows only how often
    /// each character occurs) would score. Every useful model must get below it.
    public func unigramEntropy(_ vocabulary: CharacterVocabulary) -> EntropyPerCharacter {
        EntropyPerCharacter(bits: Self.entropyBits(of: characterFrequencies(vocabulary)))
    }

    /// −Σ p log₂ p over the non-zero entries.
    public static func entropyBits(of distribution: [Double]) -> Double {
        distribution.reduce(0) { $1 > 0 ? $0 - $1 * Math.log2($1) : $0 }
    }
}
