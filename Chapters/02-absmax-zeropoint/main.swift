// Chapter 2 — Absmax and zero-point int8 quantization.
//
// Run: swift run -c release Chapter02 [--figures DIR]
// A notebook: this file prints the parameters, then calls one function per section, in
// order; each section lives in its own file (2.1-absmax.swift, 2.2-…). The ideas live in
// Sources/Absmax; the sections only call, print and plot.
import Book
import Core

let seed: UInt64 = 2
let book = Notebook(chapter: 2, title: "Absmax and zero-point int8 quantization")
let weightStd = 0.02
let outlier = OutlierExperiment(
    rows: 256, cols: 256, weightStd: weightStd, multiple: 100, at: (row: 37, col: 101),
    blockSize: 64)
let layer = (tokens: 64, features: 512, outFeatures: 256)
book.parameters([
    "seed": String(seed),
    "outlier (2.4)": "\(outlier.rows) x \(outlier.cols) weights ~ N(0, \(weightStd)^2), "
        + "one at \(Int(outlier.multiple)) sigma, blocks of \(outlier.blockSize)",
    "layer (2.5)": "X \(layer.tokens) x \(layer.features) ~ N(0, 1), "
        + "W \(layer.outFeatures) x \(layer.features) ~ N(0, \(weightStd)^2)",
])
var rng = SeededRNG(seed: seed)

let blog = absmaxSection(book)
zeroPointSection(book, blogVector: blog.vector, blogAbsmax: blog.quantized)
granularitySection(book)
outlierSection(book, outlier, rng: &rng)
let product = int8MatmulSection(
    book, tokens: layer.tokens, features: layer.features, outFeatures: layer.outFeatures,
    weightStd: weightStd, rng: &rng)
accumulatorSection(book, x: product.x, w: product.w)
