import Blockwise8
import Core
import TestSupport
import Testing

/// What `BlockwiseQuantizer8.quantize` checks before any block is quantized: block sizes,
/// codebooks, non-finite input, stored pieces that do not fit together, and the shapes it keeps.
@Suite struct BlockwiseQuantizerInputTests {

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
        let q = try BlockwiseQuantizer8.quantize(t, blockSize: 256, code: DynamicMap.signed)
        #expect(q.dequantizedTensor().shape == [48, 80])
        #expect(q.storageBytes == 3840 + 4 * 15)
    }
}
