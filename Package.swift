// swift-tools-version:6.0
// LowBit — the ideas that make large language models small, rebuilt in readable Swift.
//
// The target list reads like the table of contents: support rooms first (Core, Plot,
// TensorIO), then one module per concept, then the `lowbit` CLI and one executable per
// chapter. Every arrow in the house style's module graph is a `dependencies:` entry here.
import Foundation
import PackageDescription

let linuxMath: [LinkerSetting] = [.linkedLibrary("m", .when(platforms: [.linux]))]

/// Concept and support libraries: (name, dependencies).
let libraries: [(String, [Target.Dependency])] = [
    ("Core", []),
    ("Plot", ["CLibPNG"]),
    ("Book", ["Plot", "TinyGPT", "Core"]),
    ("TensorIO", ["Core"]),
    ("FloatFormats", ["Core"]),
    ("Absmax", ["Core"]),
    ("LLMInt8", ["Absmax", "Core"]),
    ("Blockwise8", ["Core"]),
    ("NF4", ["Absmax", "Blockwise8", "Core"]),
    ("NN", ["Core"]),
    ("Optimizers", ["Blockwise8", "NN", "Core"]),
    ("TinyGPT", ["NN", "TensorIO", "Core"]),
    ("LoRA", ["NN", "Core"]),
    ("QLoRA", ["LoRA", "NF4", "Optimizers", "FloatFormats", "NN", "Core"]),
    ("MoE", ["Optimizers", "NN", "Core"]),
    ("GPTQ", ["TensorIO", "Core"]),
    ("AWQ", ["Core"]),
    ("PostTraining", ["TinyGPT", "BERT", "GPTQ", "AWQ", "NF4", "Blockwise8", "LLMInt8", "Absmax", "GGML", "GGUF", "NN", "Core"]),
    ("GGML", ["FloatFormats", "Core"]),
    ("GGUF", ["GGML", "FloatFormats", "TensorIO", "Core"]),
    ("BERT", ["NN", "TensorIO", "GGUF", "GGML", "FloatFormats", "Core"]),
]

/// Chapter executables: (target name, folder under Chapters/, dependencies).
let chapters: [(String, String, [Target.Dependency])] = [
    ("Chapter01", "01-float-formats", ["Core", "Plot", "Book", "FloatFormats"]),
    ("Chapter02", "02-absmax-zeropoint", ["Core", "Plot", "Book", "Absmax"]),
    ("Chapter03", "03-llm-int8", ["Core", "Plot", "Book", "Absmax", "LLMInt8"]),
    ("Chapter04", "04-nf4", ["Core", "Plot", "Book", "Absmax", "Blockwise8", "NF4"]),
    ("Chapter05", "05-optimizers", ["Core", "Plot", "Book", "Blockwise8", "NN", "Optimizers"]),
    ("Chapter06", "06-lora", ["Core", "Plot", "Book", "NN", "TinyGPT", "LoRA", "Optimizers", "TensorIO"]),
    ("Chapter07", "07-qlora", ["Core", "Plot", "Book", "NN", "TinyGPT", "LoRA", "QLoRA", "NF4", "Optimizers", "TensorIO"]),
    ("Chapter08", "08-moe", ["Core", "Plot", "Book", "NN", "MoE"]),
    ("Chapter09", "09-gptq", ["Core", "Plot", "Book", "TinyGPT", "GPTQ", "LLMInt8", "PostTraining", "TensorIO"]),
    ("Chapter10", "10-awq", ["Core", "Plot", "Book", "NN", "TinyGPT", "AWQ", "GPTQ", "PostTraining"]),
    ("Chapter11", "11-gguf", ["Core", "Plot", "Book", "NN", "TinyGPT", "GGML", "GGUF", "GPTQ", "AWQ", "NF4", "Absmax", "PostTraining"]),
    ("Chapter12", "12-minilm", ["Core", "Plot", "Book", "BERT", "GGUF", "PostTraining", "TensorIO"]),
]

/// Test targets: one per module, plus the chapter golden-output and CLI tests.
let tests: [(String, [Target.Dependency])] = [
    ("CoreTests", ["Core", "TestSupport"]),
    ("PlotTests", ["Plot", "Core", "TestSupport"]),
    ("TensorIOTests", ["TensorIO", "Core", "TestSupport"]),
    ("FloatFormatsTests", ["FloatFormats", "TensorIO", "Core", "TestSupport"]),
    ("AbsmaxTests", ["Absmax", "Core", "TestSupport"]),
    ("LLMInt8Tests", ["LLMInt8", "Absmax", "TensorIO", "Core", "TestSupport"]),
    ("Blockwise8Tests", ["Blockwise8", "TensorIO", "Core", "TestSupport"]),
    ("NF4Tests", ["NF4", "Blockwise8", "TensorIO", "Core", "TestSupport"]),
    ("NNTests", ["NN", "Core", "TestSupport", "NNTestSupport"]),
    ("OptimizersTests", ["Optimizers", "Blockwise8", "NN", "TensorIO", "Core", "TestSupport"]),
    ("TinyGPTTests", ["TinyGPT", "NN", "TensorIO", "Core", "TestSupport", "NNTestSupport"]),
    ("LoRATests", ["LoRA", "NN", "TensorIO", "Core", "TestSupport", "NNTestSupport"]),
    ("QLoRATests", ["QLoRA", "LoRA", "NF4", "Optimizers", "NN", "Core", "TestSupport", "NNTestSupport"]),
    ("MoETests", ["MoE", "NN", "TensorIO", "Core", "TestSupport"]),
    ("GPTQTests", ["GPTQ", "TensorIO", "Core", "TestSupport"]),
    ("AWQTests", ["AWQ", "TensorIO", "Core", "TestSupport"]),
    ("PostTrainingTests", ["PostTraining", "TinyGPT", "BERT", "TensorIO", "GPTQ", "AWQ", "NF4", "NN", "Core", "TestSupport"]),
    ("GGMLTests", ["GGML", "TensorIO", "Core", "TestSupport"]),
    ("GGUFTests", ["GGUF", "GGML", "TensorIO", "Core", "TestSupport"]),
    ("BERTTests", ["BERT", "PostTraining", "NN", "TensorIO", "GGUF", "GGML", "Core", "TestSupport"]),
    ("ChapterTests", ["TestSupport"]),
    ("CLITests", ["lowbit", "TinyGPT", "NN", "Core", "TensorIO", "TestSupport"]),
]

/// Test targets that carry reference vectors in a `Fixtures/` folder.
let testsWithFixtures: Set<String> = ["TensorIOTests", "FloatFormatsTests", "LLMInt8Tests", "Blockwise8Tests", "NF4Tests", "OptimizersTests",
    "LoRATests", "MoETests", "TinyGPTTests", "GPTQTests", "AWQTests", "GGMLTests",
    "GGUFTests", "BERTTests",
]

var targets: [Target] = [
    .systemLibrary(
        name: "CLibPNG", path: "Sources/CLibPNG", pkgConfig: "libpng",
        providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
    .executableTarget(
        name: "lowbit",
        dependencies: [
            "Core", "TensorIO", "FloatFormats", "Absmax", "LLMInt8", "Blockwise8", "NF4", "LoRA", "MoE", "NN", "TinyGPT", "Optimizers", "GPTQ", "AWQ", "GGML", "GGUF", "BERT", "PostTraining",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        path: "Sources/lowbit", linkerSettings: linuxMath),
    // The learner's loop: list, start, check, hint and reset the exercises (EXERCISES.md).
    .executableTarget(
        name: "exercise",
        dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
        path: "Sources/exercise"),
]
// Runs the built executables (chapters, lowbit) from tests.
targets.append(.target(name: "TestSupport", dependencies: ["TensorIO", "Core"], path: "Tests/TestSupport"))
// Gradient checks for every test target whose layers have a backward pass.
targets.append(.target(name: "NNTestSupport", dependencies: ["NN", "Core"], path: "Tests/NNTestSupport"))
targets += libraries.map { name, deps in
    .target(name: name, dependencies: deps, path: "Sources/\(name)", linkerSettings: linuxMath)
}
targets += chapters.map { name, folder, deps in
    .executableTarget(
        name: name, dependencies: deps, path: "Chapters/\(folder)",
        exclude: ["README.md", "expected.txt"], linkerSettings: linuxMath)
}
targets += tests.map { name, deps in
    .testTarget(
        name: name, dependencies: deps, path: "Tests/\(name)",
        exclude: FileManager.default.fileExists(atPath: Context.packageDirectory + "/Tests/\(name)/HINTS.md") ? ["HINTS.md"] : [],
        resources: testsWithFixtures.contains(name) ? [.copy("Fixtures")] : [],
        linkerSettings: linuxMath)
}

/// Library products: every concept module on its own (`import NF4` needs only the NF4 product)
/// and `LowBit`, all of them at once. Book (the chapters' notebook) and CLibPNG are not
/// products: they serve the book, not another package. Examples/ holds a package that depends
/// on LowBit by path and builds in CI.
let libraryProducts: [Product] =
    libraries.map(\.0).filter { $0 != "Book" }.map { .library(name: $0, targets: [$0]) }
    + [.library(name: "LowBit", targets: libraries.map(\.0).filter { $0 != "Book" })]

let package = Package(
    name: "LowBit",
    products: [.executable(name: "lowbit", targets: ["lowbit"])] + libraryProducts,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: targets
)
