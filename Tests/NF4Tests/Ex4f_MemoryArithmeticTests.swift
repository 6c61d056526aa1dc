import NF4
import Testing

/// Exercise 4f — `MemoryArithmetic`: QLoRA §3's bits per parameter, and what they make of
/// whole models.
@Suite struct Ex4f_MemoryArithmeticTests {

    @Test func constantsCostHalfABitPerParameter() {
        #expect(MemoryArithmetic.constantBitsPerParameter(blockSize: 64) == 0.5)
        #expect(MemoryArithmetic.constantBitsPerParameter() == 0.5, "blocks of 64 by default")
        #expect(MemoryArithmetic.constantBitsPerParameter(blockSize: 4096) == 32.0 / 4096)
    }

    @Test func otherBlockSizesFollowTheFormula() {
        let bits = MemoryArithmetic.doubleQuantizedConstantBitsPerParameter(blockSize: 128, secondBlockSize: 64)
        #expect(bits == 8.0 / 128 + 32.0 / 8192)
        let saving = MemoryArithmetic.doubleQuantizationSavingBitsPerParameter(blockSize: 32, secondBlockSize: 256)
        #expect(saving == 1 - (0.25 + 32.0 / 8192))
        #expect(MemoryArithmetic.bytes(parameters: 1000, bitsPerParameter: 4.5) == 562.5)
    }

    @Test func doubleQuantizedConstantsCostAboutPoint127Bits() {
        let bits = MemoryArithmetic.doubleQuantizedConstantBitsPerParameter(blockSize: 64, secondBlockSize: 256)
        let formula: Double = 8.0 / 64 + 32.0 / 16384  // 8/64 + 32/(64·256)
        #expect(bits == formula)
        #expect(abs(bits - 0.127) < 0.0005)
        #expect(abs(MemoryArithmetic.doubleQuantizationSavingBitsPerParameter() - 0.373) < 0.0005)
    }

    /// ≈ 3 GB for a 65B model (QLoRA §3).
    @Test func doubleQuantizationSavesAboutThreeGigabytesAt65B() {
        let saved = MemoryArithmetic.bytes(
            parameters: MemoryArithmetic.parameters65B,
            bitsPerParameter: MemoryArithmetic.doubleQuantizationSavingBitsPerParameter())
        #expect(abs(MemoryArithmetic.gigabytes(saved) - 3.03) < 0.01, "\(saved) bytes")
    }

    @Test func modelTotalsFollowTheBitsPerParameter() {
        let p = MemoryArithmetic.parameters7B
        #expect(MemoryArithmetic.totalBytes(parameters: p, storage: .fp16) == 14e9)
        #expect(MemoryArithmetic.totalBytes(parameters: p, storage: .nf4) == 7e9 * 4.5 / 8)
        let sizes = MemoryArithmetic.Storage.allCases.map { MemoryArithmetic.totalBytes(parameters: p, storage: $0) }
        #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0 > $1 }, "fp16 > int8 > nf4 > nf4+dq: \(sizes)")
        let bytes65 = MemoryArithmetic.totalBytes(parameters: MemoryArithmetic.parameters65B, storage: .nf4DoubleQuant)
        let gb65 = MemoryArithmetic.gigabytes(bytes65)
        #expect(abs(gb65 - 33.53) < 0.01, "65B in NF4 + DQ: \(gb65) GB")
    }

    /// The formula agrees with what a quantized tensor really stores.
    @Test func measuredStorageMatchesTheFormula() throws {
        let x = [Float](repeating: 0.25, count: 64 * 256 * 2)
        let plain = try BlockwiseQuantizer4.quantize(x, blockSize: 64)
        #expect(plain.bitsPerParameter == 4 + MemoryArithmetic.constantBitsPerParameter())
        let nested = try BlockwiseQuantizer4.quantize(x, blockSize: 64, doubleQuantization: true)
        let formula = 4 + MemoryArithmetic.doubleQuantizedConstantBitsPerParameter()
        let offsetBits = 32.0 / Double(x.count)  // the one float32 offset per tensor
        #expect(abs(nested.bitsPerParameter - formula - offsetBits) < 1e-12)
    }
}
