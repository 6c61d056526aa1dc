// Chapter 11 — GGUF and llama.cpp's block formats, on the TinyGPT of Chapter 6.
//
// Run: swift run -c release Chapter11 [--figures DIR] [--models DIR]
// Needs Models/tinygpt-fables.safetensors, which Chapter 6 trains and saves. Each section is
// one file (11.1-block-bytes.swift, …) holding one function; this file passes each the inputs
// it needs. The formats live in Sources/GGML (one file per block type, each citing the C it
// follows in llama.cpp's ggml-quants.c); the whole model in Sources/PostTraining
// (GGMLModel.swift: llama.cpp's per-tensor type choice and fallback).
import Book
import GGML
import TinyGPT

let seed: UInt64 = 11
let book = Notebook(chapter: 11, title: "GGUF and llama.cpp's block formats")
let loaded = book.loadModel("tinygpt-fables.safetensors", trainedBy: "Chapter06")
let setup = GGUFSetup(
    base: loaded.model, corpora: ChapterCorpora(contextLength: loaded.model.config.contextLength),
    seed: seed, windows: 16)
let synthetic = heavyTailedMatrix(rows: 256, columns: 256, seed: seed + 1)
let formats: [any BlockFormat.Type] = [
    Q8_0.self, Q6_K.self, Q5_1.self, Q5_K.self, Q5_0.self, Q4_1.self, Q4_K.self, Q4_0.self,
    IQ4_NL.self, MXFP4.self, Q3_K.self, Q2_K.self,
]
book.parameters([
    "seed": "\(seed) (calibration windows; the Student-t matrix uses \(seed + 1), "
        + "its inputs \(seed + 2))",
    "base model": "tinygpt-fables.safetensors by \(loaded.metadata["trained_by"] ?? "?"), "
        + "\(loaded.metadata["steps"] ?? "?") steps; held-out fables loss "
        + "\(loaded.metadata["heldout_fables_loss"] ?? "?")",
    "calibration": setup.calibrationSummary,
    "formats": formats.map { $0.name }.joined(separator: ", "),
])

blockBytesSection(book, setup: setup, formats: formats)
legacySection(book, setup: setup, synthetic: synthetic)
nonLinearSection(book, setup: setup, synthetic: synthetic)
kQuantSection(book, setup: setup, synthetic: synthetic)
let trained = paretoSection(book, setup: setup, formats: formats, layer: "blocks.0.mlp.proj")
heavyTailedParetoSection(
    book, matrix: synthetic, rows: 256, columns: 256, seed: seed + 2, formats: formats,
    trained: trained)
wholeModelSection(
    book, setup: setup, types: [Q8_0.self, Q6_K.self, Q4_K.self, Q3_K.self, Q2_K.self],
    mixture: (base: Q4_K.self, promoted: Q6_K.self))
exercisesSection(book)
