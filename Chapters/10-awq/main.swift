// Chapter 10 — AWQ: activation-aware weight quantization, on the TinyGPT of Chapter 6.
//
// Run: swift run -c release Chapter10 [--figures DIR] [--models DIR]
// Needs Models/tinygpt-fables.safetensors, which Chapter 6 trains and saves. Each section is
// one file (10.1-observation.swift, …) holding one function; this file passes each the inputs
// it needs. The ideas live in Sources/AWQ (one weight matrix: the quantizer, the scale
// formula, the search, folding, clipping, the salient-channel experiment) and
// Sources/PostTraining (the whole model: AWQModel.swift, AWQScaleGroups.swift).
import Book
import TinyGPT

let seed: UInt64 = 10
let book = Notebook(chapter: 10, title: "AWQ: activation-aware weight quantization")
let loaded = book.loadModel("tinygpt-fables.safetensors", trainedBy: "Chapter06")
let setup = AWQSetup(
    base: loaded.model, corpora: ChapterCorpora(contextLength: loaded.model.config.contextLength),
    seed: seed, windows: 16)
let (bits, groupSize, groupSizes, clipSampleTokens) = (4, 32, [32, 64], 64)
book.parameters([
    "seed": "\(seed) (calibration windows; the synthetic layer uses \(seed + 1))",
    "base model": "tinygpt-fables.safetensors by \(loaded.metadata["trained_by"] ?? "?"), "
        + "\(loaded.metadata["steps"] ?? "?") steps; held-out fables loss "
        + "\(loaded.metadata["heldout_fables_loss"] ?? "?")",
    "calibration": setup.calibrationSummary,
    "quantizer": "\(bits)-bit asymmetric groups along the input (g\(groupSize) unless stated); "
        + "the head stays float32",
    "search": "20 ratios 0, 0.05, ..., 0.95; clip search: 10 shrinks of 20 steps on "
        + "\(clipSampleTokens) sampled tokens",
])

observationSection(book, setup: setup)
quantizerSection(book, setup: setup, bits: bits, groupSizes: [16] + groupSizes)
let run = scalingSection(book, setup: setup, bits: bits, groupSize: groupSize)
searchSection(book, setup: setup, run: run, bits: bits, groupSize: groupSize)
foldingSection(book, setup: setup, run: run)
let clipped = clippingSection(
    book, setup: setup, bits: bits, groupSize: groupSize, sampleTokens: clipSampleTokens)
wholeModelSection(
    book, setup: setup, bits: bits, groupSizes: groupSizes, clipSampleTokens: clipSampleTokens,
    reused: [run, clipped])
exercisesSection(book)
