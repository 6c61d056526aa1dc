import Core
import Foundation
@testable import GGML
import TestSupport
import Testing

/// One sub-block's stored grid: value = d · q − m for q in `codes` (KQuantFormat types).
struct SubBlockGrid {
    let d: Float
    let m: Float
    let codes: ClosedRange<Int>
    let size: Int

    /// The grid point nearest to `x`, by brute force over every code.
    func nearest(_ x: Float) -> Float {
        codes.map { d * Float($0) - m }.min { abs($0 - x) < abs($1 - x) } ?? .infinity
    }
}

/// Each sub-block's grid read from one super-block's bytes — a second reading of the
/// headers beside the dequantizers, from the structs in each type's doc comment.
func grids(_ name: String, _ b: [UInt8]) -> [SubBlockGrid] {
    func half(_ at: Int) -> Float { storedHalf(b, at) }
    switch name {
    case "Q2_K":
        return (0..<16).map {
            SubBlockGrid(d: half(80) * Float(b[$0] & 0xF), m: half(82) * Float(b[$0] >> 4),
                         codes: 0...3, size: 16)
        }
    case "Q3_K":
        let S = Q3_K.unpackScales(b[96..<108])
        return S.map { SubBlockGrid(d: half(108) * Float($0 - 32), m: 0, codes: -4...3, size: 16) }
    case "Q4_K", "Q5_K":
        let (sc, m) = ScaleMinPacking.unpack(Array(b[4..<16]))
        let top = name == "Q4_K" ? 15 : 31
        return (0..<8).map {
            SubBlockGrid(
                d: half(0) * Float(sc[$0]), m: half(2) * Float(m[$0]), codes: 0...top, size: 32)
        }
    default:  // Q6_K
        return (0..<16).map {
            SubBlockGrid(d: half(208) * Float(Int8(bitPattern: b[192 + $0])), m: 0, codes: -32...31,
                         size: 16)
        }
    }
}

/// Σ (x − x̂)² in Double.
func squaredError(_ x: [Float], _ xHat: [Float]) -> Double {
    zip(x, xHat).reduce(0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
}

@Suite struct KQuantPropertyTests {
    static let names = ["Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"]

    /// Bits per weight from the C structs: sizeof(block) × 8 / 256 (ggml-common.h).
    @Test func bitsPerWeightFollowFromTheStructs() {
        #expect(Q2_K.bitsPerWeight == 2.625)  // 16 + 64 + 2 + 2 bytes
        #expect(Q3_K.bitsPerWeight == 3.4375)  // 32 + 64 + 12 + 2
        #expect(Q4_K.bitsPerWeight == 4.5)  // 2 + 2 + 12 + 128
        #expect(Q5_K.bitsPerWeight == 5.5)  // 2 + 2 + 12 + 32 + 128
    }

    /// Every decoded value is the point of its sub-block's stored grid nearest to the input:
    /// the last step of every k-quant re-rounds each code against the fp16 d · sc and
    /// dmin · m it stored. So inside a grid's range the error is at most half a step |d|/2;
    /// outside, the value lands on the nearer end. Slack: the C rounds (x + m) / d after two
    /// float32 roundings and forms d · q − m with two more — a few ulps of the magnitudes
    /// involved (2⁻²⁰ of |x| + |m| + |d| · 32). Input: normals with ×40 outliers, 8 blocks.
    @Test(arguments: names)
    func everyValueDecodesToTheNearestPointOfItsGrid(name: String) throws {
        let format = try #require(kQuantFormats[name])
        let x = sampleValues(256 * 8, seed: 1211)
        for path in ["reference", "importance", "withoutSearch"] {
            let bytes: [UInt8]
            switch path {
            case "reference": bytes = try format.quantize(x)
            case "importance":
                bytes = try format.quantize(x, importance: importanceWeights(x.count))
            default: bytes = try format.quantizeWithoutSearch(x)
            }
            let xHat = try format.dequantize(bytes)
            var log = MismatchLog("\(name) \(path)")
            var worstInside: Float = 0
            for block in 0..<8 {
                let size = format.bytesPerBlock
                let b = Array(bytes[block * size..<(block + 1) * size])
                for (s, grid) in grids(name, b).enumerated() {
                    for i in 256 * block + s * grid.size..<256 * block + (s + 1) * grid.size {
                        let best = abs(grid.nearest(x[i]) - x[i])
                        let slack = 0x1p-20 * (abs(x[i]) + abs(grid.m) + abs(grid.d) * 32)
                        let error = abs(xHat[i] - x[i])
                        if error > best + slack { log.add("index \(i): error \(error) > \(best)") }
                        let lo = grid.d * Float(grid.codes.lowerBound) - grid.m
                        let hi = grid.d * Float(grid.codes.upperBound) - grid.m
                        if x[i] >= Swift.min(lo, hi) && x[i] <= Swift.max(lo, hi) {
                            worstInside = Swift.max(worstInside, error - abs(grid.d) / 2 - slack)
                        }
                    }
                }
            }
            log.expectEmpty()
            #expect(worstInside <= 0, "\(name) \(path): inside the grid, error exceeds |d|/2")
        }
    }

    /// A positive, uneven importance vector (log-normal like mean squared activations, as the
    /// reference case's `imatrix.npy`): exp(0.75 · normal).
    func importanceWeights(_ count: Int) -> [Float] {
        var rng = SeededRNG(seed: 1212)
        return rng.normalFloats(count).map { Float(exp(0.75 * Double($0))) }
    }

    /// An all-zero row stores zero scales and decodes to zeros on every path.
    @Test(arguments: names)
    func aZeroBlockDecodesToZeros(name: String) throws {
        let format = try #require(kQuantFormats[name])
        let zeros = [Float](repeating: 0, count: 512)
        let outputs = [
            try format.quantize(zeros),
            try format.quantize(zeros, importance: [Float](repeating: 1, count: 512)),
            try format.quantizeWithoutSearch(zeros),
        ]
        for bytes in outputs {
            #expect(bytes.count == 2 * format.bytesPerBlock)
            let values = try format.dequantize(bytes)
            #expect(values.count == 512)
            #expect(values.allSatisfy { $0 == 0 }, "\(values.filter { $0 != 0 }.count) nonzero")
        }
    }

    /// Rows must be whole super-blocks of 256 (288 = nine blocks of 32 is not), and the
    /// importance vector must have the row's length: both are thrown errors on every path.
    @Test(arguments: names)
    func wrongLengthsAreThrownErrors(name: String) throws {
        let format = try #require(kQuantFormats[name])
        let short = [Float](repeating: 1, count: 288)
        let error = GGMLError.rowLengthNotMultipleOfBlockSize(count: 288, blockSize: 256)
        #expect(throws: error) { try format.quantize(short) }
        #expect(throws: error) { try format.quantizeWithoutSearch(short) }
        #expect(throws: error) { try format.quantize(short, importance: short) }
        let row = [Float](repeating: 1, count: 256)
        #expect(throws: GGMLError.importanceLengthMismatch(count: 255, rowLength: 256)) {
            try format.quantize(row, importance: [Float](repeating: 1, count: 255))
        }
    }

    /// `importance: nil` is the reference path, byte for byte.
    @Test(arguments: names)
    func noImportanceIsTheReferencePath(name: String) throws {
        let format = try #require(kQuantFormats[name])
        let x = sampleValues(512, seed: 1213)
        #expect(try format.quantize(x, importance: nil) == format.quantize(x))
    }

    /// NaN and ±Inf in a super-block never trap (C's `nearest_int` bit trick and byte
    /// truncation, no Swift conversion that checks), and super-blocks stay independent: the
    /// clean third super-block's bytes are those it gets alone. What comes out is llama.cpp's
    /// own answer, bit for bit (the `ggml_quants_extra/*_nonfinite` reference cases): on the
    /// reference path Q2_K, Q4_K and Q5_K decode a super-block holding ±Inf to 256 NaNs and
    /// one holding a NaN to finite values, Q3_K and Q6_K stay finite; on the importance path
    /// σ² is NaN or Inf, so every weight is, and Q2_K–Q5_K store an all-zero super-block.
    @Test(arguments: names)
    func nanAndInfinityDoNotTrapAndStayInTheirBlock(name: String) throws {
        let format = try #require(kQuantFormats[name])
        var x = sampleValues(768, seed: 1214)
        x[5] = .nan
        x[300] = .infinity
        x[301] = -.infinity
        for bytes in [try format.quantize(x), try format.quantizeWithoutSearch(x),
                      try format.quantize(x, importance: [Float](repeating: 1, count: 768))] {
            #expect(bytes.count == 3 * format.bytesPerBlock)
            #expect(try format.dequantize(bytes).count == 768)
        }
        let clean = try format.quantize(Array(x[512...]))
        #expect(Array(try format.quantize(x)[(2 * format.bytesPerBlock)...]) == clean)
    }
}
