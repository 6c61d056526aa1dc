// Chapter 9 — GPTQ: quantization that looks at the data, and "GPTQ or bitsandbytes?"
// answered on our own model.
//
// Run: swift run -c release Chapter09 [--figures DIR] [--models DIR]
// Needs Models/tinygpt-fables.safetensors, which Chapter 6 trains and saves. Each section is
// one file (9.1-hessian.swift, …) holding one function; this file passes each the inputs it
// needs. The ideas live in Sources/GPTQ (one layer: the Hessian, the Cholesky factor, the
// grid, the error feedback, the checkpoint format) and Sources/PostTraining (the whole
// model: round-to-nearest, GPTQ block by block, NF4). Timings go to standard error only.
import Book
import GPTQ
import PostTraining
import TinyGPT

let seed: UInt64 = 9
let book = Notebook(chapter: 9, title: "GPTQ: quantization that looks at the data")
let loaded = book.loadModel("tinygpt-fables.safetensors", trainedBy: "Chapter06")
let corpora = ChapterCorpora(contextLength: loaded.model.config.contextLength)
let calibration = Calibration(
    corpus: corpora.fables, windows: 128, contextLength: loaded.model.config.contextLength,
    seed: seed)
let setup = GPTQSetup(base: loaded.model, corpora: corpora, calibration: calibration)
book.parameters([
    "seed": "\(seed) (calibration windows; the synthetic layer uses \(seed + 1))",
    "base model": "tinygpt-fables.safetensors by \(loaded.metadata["trained_by"] ?? "?"), "
        + "\(loaded.metadata["steps"] ?? "?") steps; 12 block linears of "
        + Fmt.grouped(setup.base.blockLinears.map(\.layer.weight.count).reduce(0, +)) + " weights",
    "calibration": "\(calibration.windows) windows of \(calibration.windowLength) characters of "
        + "fables (training text): \(Fmt.grouped(calibration.rows)) rows per layer",
    "evaluation": "held-out fables, \(corpora.fablesEval.count) batches of "
        + "\(corpora.batchSize) x \(calibration.windowLength)",
    "GPTQ": "damping \(Fmt.g(Double(setup.damping))) x mean diag(H), blocks of "
        + "\(setup.blockSize) columns, groups of \(setup.groupSize) (this model's g128)",
])

let study = hessianSection(book, setup: setup)
choleskySection(book, study: study)
gridSection(book, study: study, setup: setup)
errorFeedbackSection(book, study: study, setup: setup)
lazyBatchSection(book, study: study, setup: setup)
layerEvidence(book, study: study, setup: setup, seed: seed + 1)
let gptq4 = wholeModelSection(book, setup: setup)
hubFormatSection(book, study: study, setup: setup, quantized: gptq4)
exercisesSection(book)
