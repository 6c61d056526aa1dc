import GGML
import TestSupport
import Testing

/// A block's stored fp16 field at `offset` (little-endian), via Swift's own `Float16` — a
/// second fp16 decoder beside `FloatFormats`' (SWIFT-NOTES: exact on Linux x86_64).
func storedHalf(_ bytes: [UInt8], _ offset: Int) -> Float {
    Float(Float16(bitPattern: UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8))
}

@Suite struct GGMLPropertyTests {
    static let names = ["Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"]
    static let allNames = names + ["MXFP4", "IQ4_NL"]

    /// Bits per weight from the C structs: sizeof(block) × 8 / values per block (ggml-common.h).
    @Test func bitsPerWeightFollowFromTheStructs() {
        #expect(Q8_0.bitsPerWeight == 8.5)  // 2 + 32 bytes
        #expect(Q4_0.bitsPerWeight == 4.5)  // 2 + 16
        #expect(Q4_1.bitsPerWeight == 5.0)  // 2 + 2 + 16
        #expect(Q5_0.bitsPerWeight == 5.5)  // 2 + 4 + 16
        #expect(Q5_1.bitsPerWeight == 6.0)  // 2 + 2 + 4 + 16
        #expect(MXFP4.bitsPerWeight == 4.25)  // 1 + 16
        #expect(IQ4_NL.bitsPerWeight == 4.5)  // 2 + 16
        #expect(Q6_K.bitsPerWeight == 6.5625)  // (128 + 64 + 16 + 2) × 8 / 256
    }

    /// |x − x̂| ≤ half a step d, plus what rounding d (and m) to fp16 costs: the quantizer
    /// divides by the float32 d but the decoder multiplies by the fp16 one, off by at most
    /// 2^−11 relative, times the largest code offset K; plus a few float32 ulps of the block's
    /// largest |x|. Q4_0 and Q5_0 lack the code +8 (+16): a value that rounds there is
    /// clamped to +7 (+15) and may lose one whole step — the only exception allowed.
    @Test(arguments: names)
    func roundTripErrorIsAtMostHalfAStep(name: String) throws {
        let format = try #require(legacyFormats[name])
        let x = sampleValues(32 * 64, seed: 12)
        let bytes = try format.quantize(x)
        let xHat = try format.dequantize(bytes)
        let hasMinimum = name.hasSuffix("_1")
        let codeOffset: Float = ["Q8_0": 127, "Q4_0": 8, "Q4_1": 15, "Q5_0": 16, "Q5_1": 31][name]!
        let topCode: Float = name == "Q4_0" ? 7 : 15  // only used for Q4_0 and Q5_0
        var log = MismatchLog(name)
        for b in 0..<64 {
            let block = Array(bytes[b * format.bytesPerBlock..<(b + 1) * format.bytesPerBlock])
            let d = abs(storedHalf(block, 0))
            let m = hasMinimum ? abs(storedHalf(block, 2)) : 0
            let largest = x[b * 32..<(b + 1) * 32].map(abs).max()!
            let extra = codeOffset * d * 0x1p-10 + m * 0x1p-10 + 4 * largest.ulp
            for i in b * 32..<(b + 1) * 32 {
                let error = abs(x[i] - xHat[i])
                let lopsided = name == "Q4_0" || name == "Q5_0"
                let clamped = lopsided && xHat[i] == topCode * storedHalf(block, 0)
                let bound = (clamped ? 1 : 0.5) * d + extra
                if error > bound { log.add("index \(i): |error| \(error) > \(bound)") }
            }
        }
        log.expectEmpty()
    }

    /// An all-zero block stores d = ±0 (and m = 0; MXFP4: e = 0, then code 0), its codes
    /// decode to zero, and nothing divides by zero (id = 0 when d = 0).
    @Test(arguments: allNames)
    func aZeroBlockStoresAZeroScaleAndDecodesToZeros(name: String) throws {
        let format = try #require(legacyFormats[name])
        let bytes = try format.quantize([Float](repeating: 0, count: 64))
        #expect(bytes.count == 2 * format.bytesPerBlock)
        // Q4_0 and Q5_0 divide the signed extreme by a negative number: 0 / −8 = −0, fp16
        // 0x8000 (the sign bit is the high byte's top bit); the others store +0.
        let signByte: UInt8 = name == "Q4_0" || name == "Q5_0" ? 0x80 : 0
        #expect(bytes[0] == 0 && bytes[1] == signByte, "the first scale byte pair is not ±0")
        let values = try format.dequantize(bytes)
        #expect(values.count == 64)
        #expect(values.allSatisfy { $0 == 0 }, "\(values.filter { $0 != 0 }.count) nonzero values")
    }

    @Test(arguments: allNames)
    func aRowLengthNotAMultipleOf32IsRefused(name: String) throws {
        let format = try #require(legacyFormats[name])
        #expect(throws: GGMLError.rowLengthNotMultipleOfBlockSize(count: 33, blockSize: 32)) {
            try format.quantize([Float](repeating: 1, count: 33))
        }
        #expect(throws: GGMLError.byteCountNotMultipleOfBlockBytes(
            count: format.bytesPerBlock + 1, bytesPerBlock: format.bytesPerBlock)) {
            try format.dequantize([UInt8](repeating: 0, count: format.bytesPerBlock + 1))
        }
    }

    /// Q4_0's nibble order by hand: x = (−8, 0, 0, …) with x[16] = 4 and d = −8 / −8 = 1.
    /// x[0] → q = trunc(−8 + 8.5) = 0; x[16] → trunc(4 + 8.5) = 12; the rest → 8. Byte 0
    /// holds element 0 low and element 16 high: 0xC0; bytes 1…15: 0x88. bitsandbytes would
    /// pair elements 0 and 1 in one byte instead.
    @Test func q4_0PutsElementJAndJPlus16InOneByte() throws {
        var x = [Float](repeating: 0, count: 32)
        x[0] = -8
        x[16] = 4
        let bytes = try Q4_0.quantize(x)
        #expect(bytes[0] == 0x00 && bytes[1] == 0x3C, "d is not fp16 1.0 (0x3C00)")
        #expect(bytes[2] == 0xC0)
        #expect(bytes[3...].allSatisfy { $0 == 0x88 }, "bytes 1…15 of qs are not 0x88")
        let back = try Q4_0.dequantize(bytes)
        #expect(back[0] == -8 && back[16] == 4 && back[1] == 0)
    }

    /// Q8_0 rounds halves away from zero (roundf): amax 127 gives d = 1, so 2.5 → 3 and
    /// −2.5 → −3 (ties to even would give 2 and −2).
    @Test func q8_0RoundsHalvesAwayFromZero() throws {
        var x = [Float](repeating: 0, count: 32)
        x[0] = 127
        x[1] = 2.5
        x[2] = -2.5
        let bytes = try Q8_0.quantize(x)
        #expect(Int8(bitPattern: bytes[3]) == 3)
        #expect(Int8(bitPattern: bytes[4]) == -3)
    }

    /// MXFP4 picks the first nearest table entry: with amax 6, e = floor(log2 6) − 2 + 127
    /// = 127 and d = 2^(127 − 128) = 0.5, so the grid is kvalues · 0.5 = 0, 0.5, 1, 1.5, 2, 3,
    /// 4, 6. x = 2.5 lies halfway between 2 (code 4) and 3 (code 5): code 4 wins; −0 → code 0.
    @Test func mxfp4TiesGoToTheFirstIndex() throws {
        var x = [Float](repeating: 0, count: 32)
        x[0] = 6
        x[1] = 2.5
        x[2] = -0.0
        let bytes = try MXFP4.quantize(x)
        #expect(bytes[0] == 127)
        #expect(bytes[1] == 0x07 && bytes[2] == 0x04 && bytes[3] == 0x00)
    }

    /// Q6_K works on super-blocks of 256: 288 values (nine blocks of 32) are refused, and an
    /// all-zero super-block is 210 zero bytes (`memset` in quantize_row_q6_K_ref).
    @Test func q6_KRefusesPartialSuperBlocksAndZeroesAZeroOne() throws {
        #expect(throws: GGMLError.rowLengthNotMultipleOfBlockSize(count: 288, blockSize: 256)) {
            try Q6_K.quantize([Float](repeating: 1, count: 288))
        }
        let bytes = try Q6_K.quantize([Float](repeating: 0, count: 256))
        #expect(bytes.count == 210)
        #expect(bytes.allSatisfy { $0 == 0 }, "\(bytes.filter { $0 != 0 }.count) nonzero bytes")
    }
}
