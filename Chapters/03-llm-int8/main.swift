// Chapter 3 — LLM.int8(): vector-wise int8 matmul and the outlier decomposition.
//
// Run: swift run -c release Chapter03 [--figures DIR]
// A notebook: this file prints the parameters, then calls one function per section, in
// order; each section lives in its own file (3.1-vectorwise.swift, 3.2-…). The ideas live in
// Sources/LLMInt8 (built on Sources/Absmax); the sections only call, print and plot.
import Book
import Core
import LLMInt8

let seed: UInt64 = 3
let book = Notebook(chapter: 3, title: "LLM.int8(): vector-wise int8 and the outlier decomposition")
// The experiment of 3.4 and 3.6: one transformer-like layer.
let layer = EmergentLayer(
    tokens: 64, features: 512, outFeatures: 128, weightStd: 0.02, outlierFeatureCount: 6,
    threshold: LLMInt8.defaultThreshold, magnitudes: [0, 2.5, 5, 7.5, 10, 15, 20, 30, 45, 60],
    showcaseMagnitude: 20)
book.parameters([
    "seed": String(seed),
    "layer": "X \(layer.tokens) tokens x \(layer.features) features, "
        + "W \(layer.outFeatures) x \(layer.features) (out x in), W ~ N(0, \(layer.weightStd)^2)",
    "outliers": "\(layer.outlierFeatureCount) feature dimensions, "
        + "threshold \(Fmt.g(Double(layer.threshold)))",
])
var rng = SeededRNG(seed: seed)

let toy = vectorwiseSection(book)
let toyProducts = decompositionSection(book, toy, threshold: layer.threshold)
outlierWeightsSection(book, toy, toyProducts, threshold: layer.threshold)
let layerW = emergentOutliersSection(book, layer, rng: &rng)
memorySection(book, layerW: layerW)
speedSection(book, tokens: layer.tokens, outlierColumns: layer.outlierFeatureCount)
