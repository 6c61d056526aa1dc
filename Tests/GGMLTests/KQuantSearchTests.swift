import Core
import Foundation
import GGML
import TestSupport
import Testing

/// What the scale searches buy, and the 6-bit scale packing of Q4_K and Q5_K.
@Suite struct KQuantSearchTests {
    static let names = ["Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"]

    /// Search off is the same format: same byte count, read by the same dequantizer, and on
    /// normal(0, 1) rows (64 super-blocks) the searched bytes' squared error is lower. The
    /// bytes differ too — otherwise the comparison would test nothing.
    @Test(arguments: names)
    func theSearchLowersTheErrorAtTheSameBits(name: String) throws {
        let format = try #require(kQuantFormats[name])
        var rng = SeededRNG(seed: 1215)
        let x = rng.normalFloats(256 * 64)
        let searched = try format.quantize(x)
        let plain = try format.quantizeWithoutSearch(x)
        #expect(plain.count == searched.count)
        #expect(plain != searched)
        let searchedError = squaredError(x, try format.dequantize(searched))
        let plainError = squaredError(x, try format.dequantize(plain))
        #expect(searchedError < plainError, "\(name): \(searchedError) vs \(plainError)")
    }

    /// What an importance matrix buys: with log-normal column weights w (exp(0.75 · normal),
    /// like mean squared activations), `quantize(_:importance:)` lowers the weighted error
    /// Σ w (x − x̂)² below the reference path's on normal(0, 1) rows (64 super-blocks) — the
    /// quantity its searches minimise, though only per sub-block and with ggml's σ² mix.
    @Test(arguments: names)
    func anImportanceMatrixLowersTheWeightedError(name: String) throws {
        let format = try #require(kQuantFormats[name])
        var rng = SeededRNG(seed: 1215)
        let x = rng.normalFloats(256 * 64)
        var weightRNG = SeededRNG(seed: 1212)
        let w = weightRNG.normalFloats(x.count).map { Float(exp(0.75 * Double($0))) }
        func weightedError(_ xHat: [Float]) -> Double {
            x.indices.reduce(0) { $0 + Double(w[$1]) * pow(Double(x[$1] - xHat[$1]), 2) }
        }
        let reference = weightedError(try format.dequantize(try format.quantize(x)))
        let weighted = weightedError(try format.dequantize(try format.quantize(x, importance: w)))
        #expect(weighted < reference, "\(name): \(weighted) vs \(reference)")
    }

    /// Hand-packed: sc = 1, 2, 3, 4, 17, 34, 51, 63 and m = 5, 6, 7, 8, 16, 32, 48, 60.
    /// Bytes 0–3: sc[0…3] | (sc[4…7] >> 4) << 6 = 0x41, 0x82, 0xC3, 0xC4; bytes 4–7:
    /// m[0…3] | (m[4…7] >> 4) << 6 = 0x45, 0x86, 0xC7, 0xC8; bytes 8–11:
    /// (sc[4…7] & 0xF) | (m[4…7] & 0xF) << 4 = 0x01, 0x02, 0x03, 0xCF.
    @Test func scaleMinPackingMatchesAHandPackedExample() {
        let sc: [UInt8] = [1, 2, 3, 4, 17, 34, 51, 63]
        let m: [UInt8] = [5, 6, 7, 8, 16, 32, 48, 60]
        let expected: [UInt8] = [
            0x41, 0x82, 0xC3, 0xC4, 0x45, 0x86, 0xC7, 0xC8, 0x01, 0x02, 0x03, 0xCF,
        ]
        #expect(ScaleMinPacking.pack(scales: sc, mins: m) == expected)
        let back = ScaleMinPacking.unpack(expected)
        #expect(back.scales == sc && back.mins == m)
    }

    /// Every 6-bit value survives pack → unpack in every slot (64 rotations of 0…63).
    @Test func scaleMinPackingRoundTripsEverySixBitValue() {
        var failures = 0
        for shift in 0..<64 {
            let sc = (0..<8).map { UInt8((shift + 7 * $0) % 64) }
            let m = (0..<8).map { UInt8((shift + 11 * $0 + 5) % 64) }
            let back = ScaleMinPacking.unpack(ScaleMinPacking.pack(scales: sc, mins: m))
            if back.scales != sc || back.mins != m { failures += 1 }
        }
        #expect(failures == 0)
    }

    /// llama.cpp's own Q4_K bytes (ggml_quants/Q4_K_16x512, 32 super-blocks): unpacking each
    /// header's 12 scale bytes and packing them again gives the same bytes.
    @Test func scaleMinPackingRepacksLlamaCppHeaders() throws {
        let bytes = try Fixtures(.module).bytes("ggml_quants/Q4_K_16x512/quantized.npy")
        var differing = 0
        for start in stride(from: 0, to: bytes.count, by: 144) {
            let packed = Array(bytes[start + 4..<start + 16])
            let (sc, m) = ScaleMinPacking.unpack(packed)
            if ScaleMinPacking.pack(scales: sc, mins: m) != packed { differing += 1 }
        }
        #expect(bytes.count == 32 * 144 && differing == 0)
    }
}
