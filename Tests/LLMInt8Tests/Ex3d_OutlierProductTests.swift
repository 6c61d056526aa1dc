import Core
import LLMInt8
import TestSupport
import Testing

/// Exercise 3d — `LLMInt8.outlierProduct`: the outlier feature columns of X times the same
/// columns of W, in float. (`MixedPrecisionTests` checks the whole decomposition in
/// `Linear8bit.forward`, which needs Exercises 3a–3c as well.)
@Suite struct Ex3d_OutlierProductTests {

    @Test func productOfTheOutlierColumnsByHand() {
        // X: 2 tokens × 4 features, W: 3 outputs × 4 features; outlier columns 1 and 3.
        let x = Tensor(rows: [[1, 10, 2, -20], [3, 0.5, 4, 8]])
        let w = Tensor(rows: [[0.5, 0.25, 9, 1], [-1, 2, 9, 0.5], [7, -0.125, 9, 0]])
        let y = LLMInt8.outlierProduct(x, weight: w, outlierColumns: [1, 3])
        // y[i][j] = X[i][1]·W[j][1] + X[i][3]·W[j][3]; columns 0 and 2 do not take part.
        #expect(y == [-17.5, 10, -1.25, 8.125, 5, -0.0625])
    }

    @Test func noOutlierColumnsGiveZeros() {
        let x = randomMatrix(3, 5, seed: 87)
        let w = randomMatrix(4, 5, seed: 88)
        #expect(LLMInt8.outlierProduct(x, weight: w, outlierColumns: []) == [Float](repeating: 0, count: 12))
    }

    /// Every column listed: the whole float product X · Wᵀ.
    @Test func allColumnsGiveTheFloatProduct() throws {
        let x = randomMatrix(6, 8, seed: 89)
        let w = randomMatrix(5, 8, seed: 90, std: 0.3)
        let y = LLMInt8.outlierProduct(x, weight: w, outlierColumns: Array(0..<8))
        let reference = try OutlierStudy.floatProduct(x, w).data
        let message = firstMismatch(reference, y) { 8 * 8 * 0x1p-24 * Double(abs(reference[$0]) + 1) }
        #expect(message == nil, "\(message ?? "")")
    }

    /// The inputs of the next two tests: a layer with five scattered outlier columns.
    static func outlierCase() -> (x: Tensor, w: Tensor, columns: [Int]) {
        var x = randomMatrix(16, 64, seed: 91)
        let columns = [3, 17, 18, 40, 63]
        for (k, c) in columns.enumerated() {
            for i in stride(from: k, to: 16, by: 2) { x[i, c] = (k % 2 == 0 ? 1 : -1) * Float(7 + 3 * k + i) }
        }
        return (x, randomMatrix(32, 64, seed: 92, std: 0.05), columns)
    }

    /// First the value: within float rounding of the exact sum (a sum of 5 products rounds
    /// at most 9 times: allow 10 · 2⁻²⁴ · Σ|x·w|).
    @Test func outlierProductWithinRoundingOfTheExactSum() {
        let (x, w, columns) = Self.outlierCase()
        let y = LLMInt8.outlierProduct(x, weight: w, outlierColumns: columns)
        var exact = [Float](repeating: 0, count: 16 * 32)
        var scale = [Double](repeating: 0, count: 16 * 32)
        for i in 0..<16 {
            for j in 0..<32 {
                var sum = 0.0
                for h in columns {
                    sum += Double(x[i, h]) * Double(w[j, h])
                    scale[i * 32 + j] += abs(Double(x[i, h]) * Double(w[j, h]))
                }
                exact[i * 32 + j] = Float(sum)
            }
        }
        let message = firstMismatch(exact, y) { 10 * 0x1p-24 * scale[$0] }
        #expect(message == nil, "\(message ?? "")")
    }

    /// Then the bits: the chapter's printed output (expected.txt) is these floats.
    @Test func outlierProductIsBitExactInThePrescribedOrder() {
        let (x, w, columns) = Self.outlierCase()
        let y = LLMInt8.outlierProduct(x, weight: w, outlierColumns: columns)
        var want = [Float](repeating: 0, count: 16 * 32)
        for i in 0..<16 {
            for j in 0..<32 {
                var sum: Float = 0
                for h in columns { sum = sum + x[i, h] * w[j, h] }
                want[i * 32 + j] = sum
            }
        }
        let message = firstBitMismatch(want, y)
        #expect(
            message == nil,
            """
            bit-exact with the chapter's golden output needs the order the doc comment prescribes: \
            sum = 0, then sum = sum + x[i, h] · weight[j, h] for h in outlierColumns, in that order — \
            \(message ?? "")
            """)
    }
}
