import TestSupport
import Absmax
import Core
import Testing

/// Exercise 2c — `Granularity.groupCount(shape:)` and `groupIndex(ofElement:shape:)`, and
/// what the quantizers of Exercises 2a and 2b do with one scale per group (so this suite
/// needs those two).
@Suite struct Ex2c_GranularityTests {
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

    /// On shapes where rows ≠ columns and the block size divides nothing: every element's
    /// group is in 0..<groupCount, every group holds at least one element, rows and blocks
    /// are runs of consecutive elements, and a column's elements are `cols` apart.
    @Test func groupsCoverEveryElementOnAwkwardShapes() {
        var log = MismatchLog("groups")
        for shape in [[7, 13], [13, 7], [1, 9], [9, 1], [4, 4]] {
            let count = shape[0] * shape[1]
            for g in [Granularity.perTensor, .perRow, .perColumn, .blockwise(blockSize: 5), .blockwise(blockSize: 13), .blockwise(blockSize: 100)] {
                let groups = (0..<count).map { g.groupIndex(ofElement: $0, shape: shape) }
                let n = g.groupCount(shape: shape)
                let expected: [Int] = (0..<count).map { i in
                    switch g {
                    case .perTensor: 0
                    case .perRow: i / shape[1]
                    case .perColumn: i % shape[1]
                    case .blockwise(let size): i / size
                    }
                }
                let expectedCount = (expected.max() ?? 0) + 1
                if n != expectedCount { log.add("\(g) on \(shape): \(n) groups, expected \(expectedCount)") }
                if let message = firstMismatch(expected, groups) { log.add("\(g) on \(shape): \(message)") }
            }
        }
        log.expectEmpty()
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

    /// Absmax (2a) with one scale per group: |x − x̂| ≤ ½ / s of the value's own group, with
    /// 2⁻²³ · |x| for the two float roundings.
    @Test(arguments: [Granularity.perTensor, .perRow, .perColumn, .blockwise(blockSize: 7)])
    func absmaxRoundTripErrorIsAtMostHalfAStep(granularity: Granularity) throws {
        let x = randomMatrix(13, 29, seed: 21)
        let q = try Absmax.quantize(x, granularity: granularity)
        #expect(q.scales.count == granularity.groupCount(shape: x.shape))
        let xHat = q.dequantize().data
        let message = firstMismatch(x.data, xHat) { i in
            Double(0.5 / q.scales[q.group(ofElement: i)]) + Double(abs(x.data[i])) * 0x1p-23
        }
        #expect(message == nil, "\(granularity): \(message ?? "")")
    }

    /// Zero-point (2b) with one (scale, zero point) per group: ½ step unless clamped, 1.5 steps
    /// always, plus 2⁻²² of the group's range for float rounding.
    @Test(arguments: [Granularity.perTensor, .perRow, .perColumn, .blockwise(blockSize: 10)])
    func zeroPointRoundTripErrorIsAtMostHalfAStepUnlessClamped(granularity: Granularity) throws {
        let x = randomMatrix(11, 23, seed: 22, std: 2)
        let q = try ZeroPoint.quantize(x, granularity: granularity)
        let xHat = q.dequantize().data
        var clamped = 0
        var log = MismatchLog("\(granularity) round trip")
        for i in x.data.indices {
            let g = q.group(ofElement: i)
            let step = Double(1 / q.scales[g])
            let slack = 255 * step * 0x1p-22
            let error = abs(Double(x.data[i]) - Double(xHat[i]))
            let unclamped = (x.data[i] * q.scales[g]).rounded(.toNearestOrEven) + Float(q.zeroPoints[g])
            let isClamped = unclamped > 127 || unclamped < -128
            if isClamped { clamped += 1 }
            let bound = (isClamped ? 1.5 : 0.5) * step + slack
            if !(error <= bound) { log.add("index \(i): x \(x.data[i]) x̂ \(xHat[i]) error \(error) > \(bound)") }
        }
        log.expectEmpty()
        #expect(clamped <= 2 * q.scales.count, "only a group's extremes can be clamped")
    }

    /// An all-zero row among non-zero rows: scale 1 (absmax), scale 1 and zero point 0
    /// (zero-point), codes 0, no NaN anywhere — and zeros in other rows stay exact.
    @Test func allZeroRowNextToNonZeroRowsIsHandled() throws {
        let x = Tensor(rows: [[0.5, -2, 1], [0, 0, 0], [3, 0.25, -0.75]])
        let q = try Absmax.quantize(x, granularity: .perRow)
        #expect(q.scales == [63.5, 1, Float(127) / 3])
        #expect(Array(q.codes[3..<6]) == [0, 0, 0])
        #expect(q.dequantize().data.allSatisfy { $0.isFinite })
        let z = try ZeroPoint.quantize(Tensor(rows: [[0, 0, 0], [1, -2, 0.5]]), granularity: .perRow)
        #expect(z.scales[0] == 1 && z.zeroPoints[0] == 0)
        #expect(Array(z.codes[0..<3]) == [0, 0, 0])
        #expect(Array(z.dequantize().data[0..<3]) == [0, 0, 0])
        for granularity in [Granularity.perRow, .perColumn, .blockwise(blockSize: 5)] {
            let zeros = try Absmax.quantize(Tensor(shape: [3, 4], repeating: 0), granularity: granularity)
            #expect(zeros.scales.allSatisfy { $0 == 1 } && zeros.codes.allSatisfy { $0 == 0 }, "\(granularity)")
        }
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
