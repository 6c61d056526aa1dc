import Blockwise8
import Core
import NF4
import TestSupport
import Testing

/// All-zero blocks, NaN and ∞, empty tensors, bad block sizes, the short last block — each
/// handled as documented, never a trap.
@Suite struct EdgeCaseTests {

    /// Reference rule: every value of an all-zero block gets the code of 0.0 and comes back
    /// as +0; the CUDA kernel's 0 · ∞ = NaN writes code 0 (NF4's −1) and comes back as −0.
    @Test func allZeroBlockEncodesZeroCodes() throws {
        var x = sampleValues(192, seed: 61)
        for i in 64..<128 { x[i] = 0 }
        let q = try BlockwiseQuantizer4.quantize(x, type: .nf4, blockSize: 64)
        #expect(q.constants == .float(q.constants.absmax) && q.constants.absmax[1] == 0)
        #expect(q.codes[64..<128].allSatisfy { $0 == 7 })
        #expect(q.dequantize()[64..<128].allSatisfy { $0 == 0 && $0.sign == .plus })
        let cuda = try BlockwiseQuantizer4.quantize(x, type: .nf4, blockSize: 64, rules: .cudaKernel)
        #expect(cuda.codes[64..<128].allSatisfy { $0 == 0 })
        #expect(cuda.dequantize()[64..<128].allSatisfy { $0 == 0 && $0.sign == .minus }, "−1 · 0 = −0")
        #expect(firstMismatch(Array(q.codes[0..<64]), Array(cuda.codes[0..<64])) == nil, "other blocks agree")
        let fp4 = try BlockwiseQuantizer4.quantize(x, type: .fp4, blockSize: 64)
        #expect(fp4.codes[64..<128].allSatisfy { $0 == 0 })
    }

    @Test func allZeroTensorRoundTripsToZeros() throws {
        for type in FourBitDataType.all {
            let zeros = [Float](repeating: 0, count: 101)
            let q = try BlockwiseQuantizer4.quantize(zeros, type: type, blockSize: 32, doubleQuantization: true)
            #expect(q.dequantize().allSatisfy { $0 == 0 }, "\(type)")
        }
    }

    @Test func nanOrInfinityIsATypedErrorAtItsIndex() {
        for bad in [Float.nan, .infinity, -.infinity] {
            var x = sampleValues(200, seed: 62)
            x[131] = bad
            for fast in [false, true] {
                do {
                    _ = fast
                        ? try BlockwiseQuantizer4.Fast.quantize(x, blockSize: 64)
                        : try BlockwiseQuantizer4.quantize(x, blockSize: 64)
                    Issue.record("\(bad) was accepted (fast: \(fast))")
                } catch {
                    guard case .nonFiniteValue(let index, _) = error else {
                        Issue.record("wrong error \(error)")
                        continue
                    }
                    #expect(index == 131, "fast: \(fast)")
                }
            }
        }
    }

    /// `.propagate` = bitsandbytes: a NaN makes its block's absmax NaN, every code of the
    /// block the largest value's, and the whole block NaN on the way back; ∞ turns the
    /// block's finite values into 0 · ∞ = NaN. Other blocks are untouched.
    @Test func propagatedNaNAndInfinityPoisonOnlyTheirBlock() throws {
        var x = sampleValues(192, seed: 63)
        x[70] = .nan
        x[150] = -.infinity
        let q = try BlockwiseQuantizer4.quantize(x, blockSize: 64, nonFinite: .propagate)
        let absmax = q.constants.absmax
        #expect(absmax[0].isFinite && absmax[1].isNaN && absmax[2] == .infinity)
        #expect(q.codes[64..<128].allSatisfy { $0 == 15 })
        let xHat = q.dequantize()
        #expect(xHat[0..<64].allSatisfy { $0.isFinite })
        #expect(xHat[64..<128].allSatisfy { $0.isNaN })
        #expect(xHat[128..<192].enumerated().allSatisfy { $0.offset == 22 || $0.element.isNaN })
        #expect(xHat[150] == .infinity, "−∞ · 0 = NaN takes the code of +1: +∞ comes back")
    }

    @Test func emptyTensorGivesNoBytesAndNoConstants() throws {
        for nested in [false, true] {
            let empty = Tensor(shape: [0, 16], data: [])
            let q = try BlockwiseQuantizer4.quantize(empty, blockSize: 64, doubleQuantization: nested)
            #expect(q.packed.isEmpty && q.constants.blockCount == 0 && q.dequantize().isEmpty)
            #expect(q.dequantizedTensor().shape == [0, 16])
        }
        #expect(try BlockwiseQuantizer4.Fast.quantize([], blockSize: 64).packed.isEmpty)
        #expect(BlockwiseQuantizer4.Fast.dequantize(try BlockwiseQuantizer4.Fast.quantize([], blockSize: 64)).isEmpty)
    }

    @Test(arguments: [0, -64, 16, 48, 100, 8192])
    func blockSizeOutsideThirtyTwoToFourKIsATypedError(blockSize: Int) {
        let allowed = [32, 64, 128, 256, 512, 1024, 2048, 4096]
        #expect(throws: BlockwiseQuantizationError.invalidBlockSize(blockSize, allowed: allowed)) {
            try BlockwiseQuantizer4.quantize([1, 2, 3], blockSize: blockSize)
        }
        #expect(throws: BlockwiseQuantizationError.invalidBlockSize(blockSize, allowed: allowed)) {
            try BlockwiseQuantizer4.Fast.quantize([1, 2, 3], blockSize: blockSize)
        }
    }

    /// The short last block divides, full blocks multiply by the reciprocal: x·(1/a) and x/a
    /// differ in the last bit for some x, and occasionally that moves a code. Treating the
    /// last block like the others (`.multiplyByReciprocal`) changes codes only there.
    @Test func partialBlockRuleOnlyAffectsTheLastBlock() throws {
        let x = sampleValues(64 * 40 + 63, seed: 64)
        let reference = try BlockwiseQuantizer4.quantize(x, blockSize: 64)
        let multiplyEverywhere = Quantization4Rules(partialBlock: .multiplyByReciprocal)
        let uniform = try BlockwiseQuantizer4.quantize(x, blockSize: 64, rules: multiplyEverywhere)
        let full = 0..<(64 * 40)
        #expect(firstMismatch(Array(reference.codes[full]), Array(uniform.codes[full])) == nil)
        // Scaled values differ somewhere in the short block, by one ulp at most.
        let a = reference.constants.absmax.last!
        let divided = x[(64 * 40)...].map { $0 / a }
        let multiplied = x[(64 * 40)...].map { $0 * (1 / a) }
        #expect(zip(divided, multiplied).contains { $0 != $1 }, "x/a ≠ x·(1/a) for some x")
        #expect(zip(divided, multiplied).allSatisfy { abs($0 - $1) <= ulp($0) })
    }

    /// The short last block stores its absmax clamped to ≥ 1e-38; full blocks store it raw.
    @Test func shortAllZeroLastBlockStoresTheClampedAbsmax() throws {
        let x = [Float](repeating: 0.5, count: 64) + [0, 0, 0]
        let q = try BlockwiseQuantizer4.quantize(x, blockSize: 64)
        #expect(q.constants.absmax == [0.5, BlockScaling.minimumAbsmax])
        #expect(q.dequantize().suffix(3).allSatisfy { $0 == 0 })
        #expect(q.packed.last == 0x77, "codes 7, 7 — the last nibble is padding with the code of 0.0")
    }

    @Test func rebuildingFromInconsistentPiecesIsATypedError() throws {
        #expect(throws: BlockwiseQuantizationError.self) {
            try QuantizedBlockwise4(type: .nf4, shape: [5], blockSize: 64, packed: [0, 0], constants: .float([1]))
        }
        #expect(throws: BlockwiseQuantizationError.self) {
            try QuantizedBlockwise4(
                type: .nf4, shape: [130], blockSize: 64, packed: [UInt8](repeating: 0, count: 65),
                constants: .float([1, 1]))
        }
        #expect(throws: BlockwiseQuantizationError.self) {
            try QuantizedBlockwise4(type: .int4, shape: [2], blockSize: 64, packed: [0xF0], constants: .float([1]))
        }
        let ok = try QuantizedBlockwise4(type: .nf4, shape: [3], blockSize: 64, packed: [0xF0, 0x77], constants: .float([2]))
        #expect(ok.dequantize() == [2, -2, 0])
    }
}
