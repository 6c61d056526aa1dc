import Core
import LLMInt8
import Testing

/// Exercise 3.2 — `VectorwiseQuantizer.outlierColumns(of:threshold:)`.
@Suite struct Ex3_2_OutlierColumnsTests {

    @Test func thresholdIsInclusiveAndSignBlind() {
        let x = Tensor(rows: [[6, 5.999, 0, -6], [0, 0, -7.5, 1]])
        #expect(VectorwiseQuantizer.outlierColumns(of: x, threshold: 6) == [0, 2, 3])
    }

    @Test func thresholdZeroMeansNoDecomposition() {
        let x = Tensor(rows: [[100, 0], [0, -100]])
        #expect(VectorwiseQuantizer.outlierColumns(of: x, threshold: 0).isEmpty)
    }

    /// The property: a column is an outlier column exactly when it holds a value ≥ threshold
    /// in magnitude — checked against a direct scan of every column on random data with
    /// planted outliers of both signs.
    @Test(arguments: [1.5, 3, 6] as [Float])
    func outlierColumnsAreExactlyTheColumnsHoldingAValueAtOrAboveThreshold(threshold: Float) {
        var x = randomMatrix(30, 64, seed: 61)
        x[4, 9] = 6.5
        x[17, 40] = -12
        x[0, 63] = 6  // exactly at the default threshold
        let found = VectorwiseQuantizer.outlierColumns(of: x, threshold: threshold)
        let expected = (0..<64).filter { c in x.column(c).contains { abs($0) >= threshold } }
        #expect(found == expected)
        #expect(found.count < 64 || threshold < 2, "the scan must not flag every column")
    }

    @Test func quantizedCodesOfOutlierColumnsAreZeroAndTheyStayInFloat() throws {
        var x = randomMatrix(8, 16, seed: 62)
        x[2, 5] = 20
        let q = try VectorwiseQuantizer.quantize(x, threshold: 6)
        #expect(q.outlierColumns == [5])
        #expect((0..<8).allSatisfy { q.codes[$0 * 16 + 5] == 0 })
    }
}
