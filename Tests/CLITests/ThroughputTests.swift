import Core
import Testing
import TinyGPT

@testable import lowbit

/// `Throughput.measure`, the timer behind `lowbit bench train`: it times exactly the requested
/// steps (after untimed warm-up steps) and its numbers agree with each other.
@Suite struct ThroughputTests {
    /// 3 timed steps of 2 sequences of the tiny config's context 8 = 48 tokens. The optimizer
    /// step is empty: only the counting and timing are under test, not the training.
    @Test func throughputCountsTokens() {
        var rng = SeededRNG(seed: 47)
        let model = TinyGPTModel(config: .tiny(vocabularySize: 29), rng: &rng)
        let corpus = Corpus(grammar: .fables, characters: 1_000, seed: 48)
        var optimizerSteps = 0
        let m = Throughput.measure(model, on: corpus, batchSize: 2, steps: 3, warmupSteps: 1, rng: &rng) {
            optimizerSteps += 1
        }
        #expect(optimizerSteps == 1 + 3, "one warm-up step and three timed ones")
        #expect(m.tokens == 3 * 2 * 8)
        // tokens/s · s gives the tokens back up to rounding of one division and one product.
        #expect(m.seconds > 0 && abs(m.tokensPerSecond * m.seconds - 48) < 1e-6)
        #expect(abs(m.millisecondsPerStep - 1000 * m.seconds / 3) < 1e-9)
    }
}
