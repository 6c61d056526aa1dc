import ArgumentParser
import Core
import Optimizers
import TinyGPT

/// `lowbit bench train`: training throughput of Chapter 6's TinyGPT (forward + backward +
/// AdamW step), single thread, in tokens per second.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Benchmark TinyGPT training throughput (forward + backward + AdamW), tokens/s.")

    @Option(help: "Sequences per batch.") var batchSize = 8
    @Option(help: "Timed training steps.") var steps = 30
    @Flag(help: "Print one JSON object instead of the table.") var json = false

    func validate() throws {
        guard (1...256).contains(batchSize) else { throw ValidationError("--batch-size must be in 1...256") }
        guard (1...10_000).contains(steps) else { throw ValidationError("--steps must be in 1...10000") }
    }

    func run() throws {
        let corpus = Corpus(grammar: .fables, characters: 200_000, seed: 6)
        let config = GPTConfig.chapter(vocabularySize: corpus.vocabulary.count)
        var rng = SeededRNG(seed: 6)
        let model = TinyGPTModel(config: config, rng: &rng)
        let optimizer = AdamW(model.parameters, AdamHyperparameters(learningRate: 3e-3))
        let m = Throughput.measure(model, on: corpus, batchSize: batchSize, steps: steps, rng: &rng) { optimizer.step() }
        if json {
            var report = JSONReport()
            report.add("parameters", config.parameterCount)
            report.add("layers", config.layers)
            report.add("channels", config.channels)
            report.add("heads", config.heads)
            report.add("context", config.contextLength)
            report.add("vocabulary", config.vocabularySize)
            report.add("batch_size", batchSize)
            report.add("tokens_per_second", m.tokensPerSecond)
            print(report.text)
        } else {
            print(BenchEnvironment.describe())
            print("TinyGPT: \(config.layers) layers, width \(config.channels), \(config.heads) heads, context \(config.contextLength), \(config.parameterCount) parameters; batch \(batchSize)")
            print(String(format: "%.0f tokens/s  (%.1f ms per step)", m.tokensPerSecond, m.millisecondsPerStep))
        }
    }
}
