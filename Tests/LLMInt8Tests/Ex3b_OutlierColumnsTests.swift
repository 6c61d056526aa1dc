import Core
import LLMInt8
import TestSupport
import Testing

/// Exercise 3b — `VectorwiseQuantizer.outlierColumns(of:threshold:)`: the feature columns
/// LLM.int8() multiplies in float.
@Suite struct Ex3b_OutlierColumnsTests {

    @Test func thresholdIsInclusiveAndSignBlind() {
        let x = Tensor(rows: [[6, 5.999, 0, -6], [0, 0, -7.5, 1]])
        #expect(VectorwiseQuantizer.outlierColumns(of: x, threshold: 6) == [0, 2, 3])
    }

    @Test func thresholdZeroMeansNoDecomposition() {
        let x = Tensor(rows: [[100, 0], [0, -100]])
        #expect(VectorwiseQuantizer.outlierColumns(of: x, threshold: 0).isEmpty)
    }

    /// A column is listed once, however many of its values are outliers.
    @Test func eachColumnIsListedOnceInAscendingOrder() {
        let x = Tensor(rows: [[0, 9, 0, -8], [7, 9, 0, 0], [0, -9, 0, 6.5]])
        #expect(VectorwiseQuantizer.outlierColumns(of: x, threshold: 6) == [0, 1, 3])
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
        #expect(firstMismatch(expected, found) == nil, "threshold \(threshold): \(firstMismatch(expected, found) ?? "")")
        #expect(expected.count < 64 || threshold < 2, "the test data must not flag every column")
    }

    /// bitsandbytes 0.50.2's `outlier_cols`: of the activations at threshold 6 (the planted
    /// columns 7, 29, 50), and of float16(X) inside `Linear8bitLt`'s forward.
    @Test func outlierColumnsMatchBitsandbytes() throws {
        let a = try loadTensor("vectorwise_quant/activations.npy")
        let planted = try loadIndices("vectorwise_quant/outlier_cols_t6.npy")
        #expect(planted == [7, 29, 50])
        let found = VectorwiseQuantizer.outlierColumns(of: a, threshold: 6)
        #expect(firstMismatch(planted, found) == nil, "activations: \(firstMismatch(planted, found) ?? "")")
        let x16 = try loadTensor("matmul/X.npy").map(Float16Rounding.rounded)
        let inside = try loadIndices("matmul/outlier_cols.npy")
        let foundInside = VectorwiseQuantizer.outlierColumns(of: x16, threshold: 6)
        #expect(firstMismatch(inside, foundInside) == nil, "float16(X): \(firstMismatch(inside, foundInside) ?? "")")
    }
}
