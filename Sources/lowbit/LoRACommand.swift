import ArgumentParser
import LoRA
import NN
import TensorIO

/// `lowbit lora …` — Chapter 6's adapters.
struct LoRACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lora",
        abstract: "LoRA adapters: merge an adapter into its base weight.",
        subcommands: [Merge.self])

    /// `lowbit lora merge --base W.npy --lora-a A.npy --lora-b B.npy --alpha ALPHA [--rslora] --out MERGED.npy`
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write W + s·B·A (s = α/r, or α/√r with --rslora) as float32, in peft's layout.",
            discussion: "W is out × in, A is r × in, B is out × r (peft's lora_A / lora_B weights).")

        @Option(help: "Base weight W (.npy, out × in).") var base: String
        @Option(name: .customLong("lora-a"), help: "Adapter A (.npy, r × in).") var loraA: String
        @Option(name: .customLong("lora-b"), help: "Adapter B (.npy, out × r).") var loraB: String
        @Option(help: "LoRA alpha (the scaling's numerator).") var alpha: Double
        @Flag(help: "Scale by α/√r (rsLoRA) instead of α/r.") var rslora = false
        @Option(help: "Output: the merged weight (float32, out × in).") var out: String

        func validate() throws {
            guard alpha.isFinite else { throw ValidationError("--alpha must be a finite number, got \(alpha)") }
        }

        func run() throws {
            let w = try FloatInput.load(base)
            let a = try FloatInput.load(loraA)
            let b = try FloatInput.load(loraB)
            guard w.shape.count == 2, a.shape.count == 2, b.shape.count == 2 else {
                throw CLIError(
                    "W, A and B must be 2-D: W is \(w.shape), A is \(a.shape), B is \(b.shape) (expected out × in, r × in, out × r)")
            }
            let (outFeatures, inFeatures, rank) = (w.shape[0], w.shape[1], a.shape[0])
            guard a.shape[1] == inFeatures else {
                throw CLIError("A is \(a.shape[0]) × \(a.shape[1]) but W is \(outFeatures) × \(inFeatures): A must be r × \(inFeatures)")
            }
            guard b.shape == [outFeatures, rank] else {
                throw CLIError("B is \(b.shape[0]) × \(b.shape[1]) but must be \(outFeatures) × \(rank) (out × r, with r from A \(a.shape[0]) × \(a.shape[1]))")
            }
            let weight = Parameter(name: "weight", shape: w.shape, value: w.values)
            let adapter = LoRALinear(
                base: Linear(weight: weight, bias: nil), config: LoRAConfig(rank: rank, alpha: alpha, useRSLoRA: rslora),
                a: a.values, b: b.values)
            let merged = adapter.mergedLinear().weight.value
            try writeOutputs([(out, RawTensor(float32: merged, shape: w.shape))])
        }
    }
}
