// Chapter 1 — Floating-point formats, bit for bit.
//
// Run: swift run -c release Chapter01 [--figures DIR]
// A notebook: this file prints the parameters, then calls one function per section, in
// order; each section lives in its own file (1.1-bit-layouts.swift, 1.2-…). The ideas live
// in Sources/FloatFormats; the sections only call, print and plot.
import Book
import Core
import FloatFormats

let seed: UInt64 = 1
let book = Notebook(chapter: 1, title: "Floating-point formats, bit for bit")
let dotProducts = (count: 200, length: 4096)
let weights = (count: 100_000, std: 0.02)
book.parameters([
    "seed": String(seed),
    "formats": FloatFormat.all.map(\.name).joined(separator: ", "),
    "dot products (1.3)": "\(dotProducts.count) of length \(dotProducts.length)",
    "weights (1.6)": "\(weights.count) ~ N(0, \(weights.std)^2)",
])
var rng = SeededRNG(seed: seed)

bitLayoutSection(book)
workedEncodingsSection(book, values: [0.1, -3.14159, 1e-5, 500, 70000])
overflowSection(book, dotProducts: dotProducts, rng: &rng)
gridsSection(book)
roundingErrorSection(book, rng: &rng)
weightRoundTripSection(book, count: weights.count, std: weights.std, rng: &rng)
