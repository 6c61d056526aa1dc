import Absmax
import Core
import Testing

/// Exercise 2.3 — `Granularity.groupCount(shape:)` and `groupIndex(ofElement:shape:)`.
@Suite struct Ex2_3_GranularityTests {
    let shape = [3, 4]  // values 0…11, row-major

    @Test func groupCountsPerGranularity() {
        #expect(Granularity.perTensor.groupCount(shape: shape) == 1)
        #expect(Granularity.perRow.groupCount(shape: shape) == 3)
        #expect(Granularity.perColumn.groupCount(shape: shape) == 4)
        #expect(Granularity.blockwise(blockSize: 4).groupCount(shape: shape) == 3)
        #expect(Granularity.blockwise(blockSize: 5).groupCount(shape: shape) == 3, "5 + 5 + a short block of 2")
        #expect(Granularity.blockwise(blockSize: 64).groupCount(shape: shape) == 1)
    }

    @Test func groupOfEveryElement() {
        func groups(_ g: Granularity) -> [Int] { (0..<12).map { g.groupIndex(ofElement: $0, shape: shape) } }
        #expect(groups(.perTensor) == [Int](repeating: 0, count: 12))
        #expect(groups(.perRow) == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
        #expect(groups(.perColumn) == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3])
        #expect(groups(.blockwise(blockSize: 5)) == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2])
    }

    @Test func lastShortBlockGetsItsOwnScale() throws {
        // Blocks of 4 over 10 values: [4 values][4 values][2 values]; the short block's
        // absmax is 0.5, so its scale is 254 — not the 127/9 of the big values before it.
        let x = Tensor(shape: [10], data: [1, -2, 3, 9, 0.1, 0.2, -0.3, 0.4, 0.5, -0.25])
        let q = try Absmax.quantize(x, granularity: .blockwise(blockSize: 4))
        #expect(q.scales == [Float(127) / 9, Float(127) / 0.4, 254])
        #expect(Array(q.codes[8..<10]) == [127, -64], "−0.25 · 254 = −63.5 rounds to the even −64")
    }

    @Test func perRowBeatsPerTensorOnAPlantedOutlier() throws {
        var rng = SeededRNG(seed: 7)
        let w = PlantedOutlier.normalWeights(rows: 32, cols: 64, at: (row: 5, col: 17), rng: &rng)
        let perTensor = try Absmax.quantize(w, granularity: .perTensor)
        let perRow = try Absmax.quantize(w, granularity: .perRow)
        let blockwise = try Absmax.quantize(w, granularity: .blockwise(blockSize: 64))
        let mseTensor = Statistics.mse(w.data, perTensor.dequantize().data)
        let mseRow = Statistics.mse(w.data, perRow.dequantize().data)
        let mseBlock = Statistics.mse(w.data, blockwise.dequantize().data)
        #expect(mseRow * 10 < mseTensor, "per row \(mseRow) vs per tensor \(mseTensor)")
        #expect(mseBlock * 10 < mseTensor, "blockwise \(mseBlock) vs per tensor \(mseTensor)")
        // The outlier (100σ) sets the per-tensor step to 100σ/127 ≈ 0.8σ: a σ = 0.02 normal
        // lands on a handful of codes around 0, while per-row uses most of −127…127.
        #expect(perTensor.distinctCodes < 15, "per tensor uses \(perTensor.distinctCodes) codes")
        #expect(perRow.distinctCodes > 150, "per row uses \(perRow.distinctCodes) codes")
    }

    @Test func storageCountsCodesScalesAndZeroPoints() throws {
        let x = randomMatrix(8, 100, seed: 3)
        let perTensor = try Absmax.quantize(x)
        #expect(perTensor.storageBytes == 800 + 4)
        let perRow = try Absmax.quantize(x, granularity: .perRow)
        #expect(perRow.storageBytes == 800 + 8 * 4)
        #expect(perRow.bitsPerParameter == 8.32)  // 8 + 32 · 8 / 800
        let blocks = try Absmax.quantize(x, granularity: .blockwise(blockSize: 64))
        #expect(blocks.scales.count == 13 && blocks.storageBytes == 800 + 13 * 4)
        let zeroPoint = try ZeroPoint.quantize(x, granularity: .perRow)
        #expect(zeroPoint.storageBytes == 800 + 8 * 4 + 8)
        #expect(zeroPoint.bitsPerParameter == 8.4)
    }

    @Test func codeCountsAddUpToTheNumberOfValues() throws {
        let q = try Absmax.quantize(randomMatrix(5, 40, seed: 4))
        #expect(q.codeCounts.count == 256 && q.codeCounts.reduce(0, +) == 200)
        #expect(q.codeCounts[0] == 0, "absmax never produces −128")
    }

    @Test func badGranularityThrowsTypedErrors() {
        let vector = Tensor(shape: [6], repeating: 1)
        #expect(throws: QuantizationError.needsMatrix(granularity: .perRow, shape: [6])) {
            try Absmax.quantize(vector, granularity: .perRow)
        }
        #expect(throws: QuantizationError.needsMatrix(granularity: .perColumn, shape: [6])) {
            try ZeroPoint.quantize(vector, granularity: .perColumn)
        }
        #expect(throws: QuantizationError.invalidBlockSize(0)) {
            try Absmax.quantize(vector, granularity: .blockwise(blockSize: 0))
        }
        #expect(QuantizationError.invalidBlockSize(0).description == "block size must be at least 1, got 0")
    }
}
