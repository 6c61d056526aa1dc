import Blockwise8
import Testing

/// `NearestCode`: bucketize over float32 midpoints.
@Suite struct NearestCodeTests {
    let nearest = try! NearestCode(sortedValues: [-1, -0.25, 0, 0.5, 1])

    @Test func midpointsAreFloat32MeansOfNeighbours() {
        #expect(nearest.midpoints == [-0.625, -0.125, 0.25, 0.75])
    }

    @Test func valueOnAMidpointTakesTheLowerCode() {
        #expect(nearest.index(of: 0.25) == 2)
        #expect(nearest.index(of: Float(0.25).nextUp) == 3)
        #expect(nearest.index(of: -0.625) == 0)
        #expect(nearest.indexRoundingTiesUp(of: 0.25) == 3, "the other rule")
        #expect(nearest.indexRoundingTiesUp(of: Float(0.25).nextDown) == 2)
    }

    @Test func valuesBeyondTheEndsTakeTheEndCodes() {
        #expect(nearest.index(of: -7) == 0 && nearest.index(of: 7) == 4)
        #expect(nearest.index(of: -.infinity) == 0 && nearest.index(of: .infinity) == 4)
    }

    @Test func nanLandsInTheLastBucketAsInPyTorch() {
        #expect(nearest.index(of: .nan) == 4)
    }

    @Test func badCodebooksAreTypedErrors() {
        #expect(throws: BlockwiseQuantizationError.self) { try NearestCode(sortedValues: [1]) }
        #expect(throws: BlockwiseQuantizationError.self) { try NearestCode(sortedValues: [0, .nan]) }
        #expect(throws: BlockwiseQuantizationError.self) { try NearestCode(sortedValues: [0, 2, 1]) }
        #expect(throws: Never.self) { try NearestCode(sortedValues: [0, 0, 0, 1]) }
    }

    @Test func blockLayoutCountsTheShortLastBlock() throws {
        let layout = try BlockLayout(count: 165, blockSize: 64, allowed: [64])
        #expect(layout.blockCount == 3 && layout.fullBlockCount == 2)
        #expect(layout.range(ofBlock: 2) == 128..<165 && layout.isPartial(block: 2) && !layout.isPartial(block: 1))
        #expect(BlockLayout.powersOfTwo(from: 32, through: 4096) == [32, 64, 128, 256, 512, 1024, 2048, 4096])
    }
}
