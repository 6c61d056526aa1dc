import ArgumentParser

/// `lowbit bench …` — kernel benchmarks (never run as tests).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure LowBit's kernels against the memory bandwidth of this machine.",
        subcommands: [BenchFormats.self, BenchInt8.self, BenchLLMInt8.self, BenchNF4.self, BenchTrain.self, BenchGPTQ.self, BenchGGUF.self, BenchEmbed.self]
    )
}
