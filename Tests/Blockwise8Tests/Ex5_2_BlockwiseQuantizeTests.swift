import TestSupport
import Blockwise8
import Core
import Testing

/// Exercise 5.2 — `BlockwiseQuantizer8.quantizeBlocks`, through `quantize`.
@Suite struct Ex5_2_BlockwiseQuantizeTests {

    /// Codes, absmax and dequantized values bit for bit with bitsandbytes 0.50.2.
    @Test(arguments: [("bs256_1d", 256), ("bs4096_1d", 4096)])
    func blockwiseQuantizationMatchesBitsandbytes(folder: String, blockSize: Int) throws {
        let input = try loadFloats("bnb_blockwise8/\(folder)/input.npy")
        let q = try BlockwiseQuantizer8.quantize(input, blockSize: blockSize)
        let codes = try loadBytes("bnb_blockwise8/\(folder)/codes.npy")
        let absmax = try loadFloats("bnb_blockwise8/\(folder)/absmax.npy")
        let code = try loadFloats("bnb_blockwise8/\(folder)/code.npy")
        let dequantized = try loadFloats("bnb_blockwise8/\(folder)/dequantized.npy")
        #expect(firstBitMismatch(code, q.code) == nil, "code: \(firstBitMismatch(code, q.code) ?? "")")
        #expect(q.codes == codes, "codes: \(firstMismatch(codes, q.codes) ?? "")")
        #expect(firstBitMismatch(absmax, q.absmax) == nil, "absmax: \(firstBitMismatch(absmax, q.absmax) ?? "")")
        let xHat = q.dequantize()
        #expect(firstBitMismatch(dequantized, xHat) == nil, "dequantized: \(firstBitMismatch(dequantized, xHat) ?? "")")
    }

    /// The midpoint rule picks the nearest code (measured in Double), except on an exact tie,
    /// where it takes the lower one.
    @Test func everyCodeIsTheNearestLevel() throws {
        let x = sampleValues(5000, seed: 51)
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 256)
        let map = DynamicMap.signed
        for i in x.indices {
            let b = i / 256
            let r = BlockScaling.reciprocal(ofAbsmax: q.absmax[b])
            let s = Double(BlockScaling.clampToUnit(x[i] * r))
            let chosen = abs(Double(map[Int(q.codes[i])]) - s)
            let best = map.map { abs(Double($0) - s) }.min()!
            #expect(chosen <= best, "value \(i): code \(q.codes[i]) is \(chosen) away, the best \(best)")
        }
    }

    /// A block's largest |x| has the code of ±1 (or −0.99297, the most negative level).
    @Test func eachBlocksLargestValueComesBackExactlyWhenPositive() throws {
        let x = sampleValues(4096, seed: 52).map { abs($0) }
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 512)
        let xHat = q.dequantize()
        for b in 0..<q.absmax.count {
            let block = (b * 512)..<min((b + 1) * 512, x.count)
            let i = block.max { x[$0] < x[$1] }!
            #expect(xHat[i] == x[i], "block \(b): largest \(x[i]) came back as \(xHat[i])")
        }
    }

    @Test func allZeroBlockStoresAbsmaxZeroAndDequantizesToZero() throws {
        var x = sampleValues(256 * 3, seed: 53)
        for i in 256..<512 { x[i] = 0 }
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 256)
        #expect(q.absmax[1] == 0)
        #expect(q.codes[256..<512].allSatisfy { $0 == 127 }, "code 127 is the map's 0.0")
        #expect(q.dequantize()[256..<512].allSatisfy { $0 == 0 && $0.sign == .plus })
    }

    /// The short last block divides by its absmax and stores it clamped to ≥ 1e-38; an
    /// all-zero short block therefore stores 1e-38, not 0 (bitsandbytes' PyTorch kernel).
    @Test func shortLastBlockStoresItsClampedAbsmax() throws {
        let x = [Float](repeating: 0.5, count: 256) + [0, 0, 0]
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 256)
        #expect(q.absmax == [0.5, BlockScaling.minimumAbsmax])
        #expect(BlockScaling.minimumAbsmax.bitPattern == 0x006C_E3EE, "1e-38 is a float32 subnormal")
        #expect(q.dequantize().suffix(3) == [0, 0, 0])
    }

    @Test func emptyTensorGivesNoCodesAndNoBlocks() throws {
        let q = try BlockwiseQuantizer8.quantize([Float](), blockSize: 256)
        #expect(q.codes.isEmpty && q.absmax.isEmpty && q.dequantize().isEmpty)
    }

    @Test(arguments: [0, -64, 32, 100, 255, 8192])
    func blockSizeOutsideBitsandbytesListIsATypedError(blockSize: Int) {
        let allowed = [64, 128, 256, 512, 1024, 2048, 4096]
        #expect(throws: BlockwiseQuantizationError.invalidBlockSize(blockSize, allowed: allowed)) {
            try BlockwiseQuantizer8.quantize([1, 2, 3], blockSize: blockSize)
        }
    }

    @Test func nanOrInfinityIsRejectedAtItsIndex() {
        for bad in [Float.nan, .infinity, -.infinity] {
            var x = sampleValues(600, seed: 54)
            x[300] = bad
            #expect(throws: BlockwiseQuantizationError.self) { try BlockwiseQuantizer8.quantize(x, blockSize: 256) }
            do {
                _ = try BlockwiseQuantizer8.quantize(x, blockSize: 256)
            } catch {
                guard case .nonFiniteValue(let index, let value) = error else {
                    Issue.record("wrong error \(error)")
                    continue
                }
                #expect(index == 300 && (value.isNaN ? bad.isNaN : value == bad))
            }
        }
    }

    /// `.propagate` does what bitsandbytes does: a NaN poisons its block (absmax NaN, the
    /// last code, NaN back); the other blocks are untouched.
    @Test func propagatedNaNPoisonsOnlyItsBlock() throws {
        var x = sampleValues(768, seed: 55)
        x[300] = .nan
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 256, nonFinite: .propagate)
        #expect(q.absmax[1].isNaN && q.absmax[0].isFinite && q.absmax[2].isFinite)
        #expect(q.codes[256..<512].allSatisfy { $0 == 255 }, "NaN falls past every midpoint")
        let xHat = q.dequantize()
        #expect(xHat[256..<512].allSatisfy { $0.isNaN })
        #expect(xHat[0..<256].allSatisfy { $0.isFinite } && xHat[512...].allSatisfy { $0.isFinite })
    }

    @Test func propagatedInfinityTurnsItsBlockIntoNaNs() throws {
        var x = sampleValues(256, seed: 56)
        x[10] = .infinity
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 256, nonFinite: .propagate)
        #expect(q.absmax == [.infinity])
        let xHat = q.dequantize()
        #expect(xHat[10] == .infinity, "∞ · 0 = NaN is the last code, 1 · ∞ = ∞")
        #expect(xHat.enumerated().allSatisfy { $0.offset == 10 || $0.element.isNaN }, "0 · ∞ = NaN")
    }

    /// The unsigned map (8-bit Adam's second moment) has no negative levels: negative values
    /// go to code 0 = 0.0.
    @Test func unsignedMapSendsNegativeValuesToZero() throws {
        let x = [-1, -0.5, 0.25, 1] + [Float](repeating: 0.1, count: 60)
        let q = try BlockwiseQuantizer8.quantize(x, blockSize: 64, code: DynamicMap.unsigned)
        #expect(q.codes[0] == 0 && q.codes[1] == 0 && q.codes[3] == 255)
    }

    @Test func unsortedOrOversizedCodebookIsATypedError() {
        #expect(throws: BlockwiseQuantizationError.self) { try BlockwiseQuantizer8.quantize([1], blockSize: 64, code: [1, 0]) }
        #expect(throws: BlockwiseQuantizationError.self) {
            try BlockwiseQuantizer8.quantize([1], blockSize: 64, code: (0..<257).map(Float.init))
        }
    }

    @Test func rebuildingFromInconsistentPiecesIsATypedError() {
        #expect(throws: BlockwiseQuantizationError.self) {
            try QuantizedBlockwise8(
                shape: [300], blockSize: 256, code: DynamicMap.signed, codes: [UInt8](repeating: 0, count: 300),
                absmax: [1])
        }
        #expect(throws: BlockwiseQuantizationError.self) {
            try QuantizedBlockwise8(shape: [2], blockSize: 256, code: [0, 1], codes: [0, 5], absmax: [1])
        }
    }

    @Test func shapeIsKeptAndStorageIsOneBytePerValuePlusConstants() throws {
        let t = Tensor(shape: [48, 80], data: sampleValues(3840, seed: 57))
        let q = try BlockwiseQuantizer8.quantize(t, blockSize: 256)
        #expect(q.dequantizedTensor().shape == [48, 80])
        #expect(q.storageBytes == 3840 + 4 * 15)
    }
}
