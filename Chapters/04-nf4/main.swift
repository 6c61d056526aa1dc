// Chapter 4 — NF4, FP4 and 4-bit blockwise quantization, with double quantization.
//
// Run: swift run -c release Chapter04 [--figures DIR]
// A notebook: the parameters below, then one call per section (files 4.N-*.swift), each
// printing its prose, tables and figures; Appendix A (A-backends.swift) comes last. The ideas
// live in Sources/NF4 (built on Sources/Blockwise8 and Sources/Absmax).
import Book
import NF4

let book = Notebook(chapter: 4, title: "NF4, FP4 and 4-bit blockwise quantization")
let seed: UInt64 = 4
let weightCount = 1 << 18
let normal = DataTypeComparison.WeightDistribution.normal(std: 0.02)
let heavy = DataTypeComparison.WeightDistribution.studentT(degreesOfFreedom: 3, std: 0.02)
let blockSize = 64
let blockSizes = DataTypeComparison.blockSizes
book.parameters([
    "seed": "\(seed) (normal weights \(seed), Student-t weights \(seed + 1), "
        + "4.4's example \(seed + 40))",
    "weights": "\(weightCount) = 2^18 per distribution: \(normal); \(heavy)",
    "block sizes": blockSizes.map(String.init).joined(separator: ", ") + "; default \(blockSize)",
    "double quantization": "blocks of \(DoubleQuantizedAbsmax.blockSize), signed dynamic map",
    "NF4 offset": "\(NF4Codebook.offset)",
])
let normalX = normal.sample(weightCount, seed: seed)
let heavyX = heavy.sample(weightCount, seed: seed + 1)

inverseNormalSection(book)
nf4TableSection(book)
offsetSection(book, normalX, blockSize: blockSize)
paperFormulaSection(book, normalX, blockSize: blockSize)
codebooksSection(book)
codeUsageSection(book, normalX, blockSize: blockSize)
let normalQ = blockwiseSection(book, normalX, blockSize: blockSize, exampleSeed: seed + 40)
evidenceSection(book, normalX: normalX, heavyX: heavyX, blockSizes: blockSizes)
errorHistogramSection(book, normalX, blockSize: blockSize)
doubleQuantizationSection(book, normalX, plain: normalQ)
memoryArithmeticSection(book)
yourTurnSection(book)
backendsAppendix(book, Array(normalX.prefix((1 << 16) + 37)), blockSize: blockSize)
