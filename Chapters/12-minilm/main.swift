// Chapter 12 (capstone) — a real transformer: all-MiniLM-L6-v2 loaded, run and quantized by
// every scheme of the book, and handed to llama.cpp as a GGUF file.
//
// Run: swift run -c release Chapter12 [--figures DIR]
// Needs the model (scripts/fetch-minilm.sh or `make model` puts it in ~/.cache/lowbit; the
// folder $LOWBIT_MINILM is used when set); without it the chapter says how to get it and
// exits cleanly. Each section is one file (12.1-tokenizer.swift, …) holding one function.
// The ideas live in Sources/BERT (tokenizer, encoder, pooling) and Sources/PostTraining
// (BERTQuantization*.swift: every scheme as an EncoderLinear; BERTSchemeSweep.swift;
// BERTGGUF*.swift: the GGUF export llama.cpp loads).
import BERT
import Book
import PostTraining

let seed: UInt64 = 12
let book = Notebook(chapter: 12, title: "A real transformer: all-MiniLM-L6-v2, every scheme")
let setup = MiniLMSetup.loadOrExit(book)
let schemes: [BERTQuantizationScheme] = [
    .absmaxInt8Row, .llmInt8, .q8_0, .q6_k, .nf4, .nf4DQ, .fp4, .q4_k, .q4_0, .iq4_nl, .mxfp4,
    .gptq, .awq,
]
book.parameters([
    "seed": "\(seed) (nothing here is drawn at random: fixed sentence sets, deterministic schemes)",
    "model": setup.summary,
    "sentences": "\(BERTSweepSentences.evaluation.count) evaluation, "
        + "\(BERTSweepSentences.retrieval.count) query/candidate pairs, "
        + "\(BERTSweepSentences.calibration.count) calibration (GPTQ, AWQ)",
    "schemes": schemes.map(\.rawValue).joined(separator: ", "),
])

tokenizerSection(book, setup: setup)
encoderSection(book, setup: setup)
outlierSection(book, setup: setup)
let rows = schemesSection(book, setup: setup, schemes: schemes)
ggufSection(book, setup: setup)
exercisesSection(book, rows: rows)
