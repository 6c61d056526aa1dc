import TestSupport
import Absmax
import Core
import Testing

/// The naive float32 matmul is the reference; the fast one must compute the same function.
@Suite struct FloatMatmulTests {

    @Test func smallProductByHand() {
        // [[1, 2, 3], [−4, 0.5, 6]] · [[1, −1], [0, 2], [0.25, 4]]
        let a: [Float] = [1, 2, 3, -4, 0.5, 6]
        let b: [Float] = [1, -1, 0, 2, 0.25, 4]
        let want: [Float] = [1.75, 15, -2.5, 29]
        #expect(FloatMatmul.naive(a, b, m: 2, k: 3, n: 2) == want)
        #expect(FloatMatmul.fast(a, b, m: 2, k: 3, n: 2) == want)
    }

    /// The two kernels group the k terms differently (fast adds 256-term block sums), so
    /// they may differ by float rounding. Each sum of k products is within
    /// k · 2⁻²⁴ · Σ|a||b| of the exact value (the standard bound for recursive summation),
    /// so the two are within twice that of each other.
    @Test(arguments: [(1, 1, 1), (5, 300, 37), (4, 16, 16), (9, 513, 18), (17, 64, 33)])
    func naiveAndFastAgree(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        let a = randomMatrix(m, k, seed: 41).data
        let b = randomMatrix(k, n, seed: 42).data
        let naive = FloatMatmul.naive(a, b, m: m, k: k, n: n)
        let fast = FloatMatmul.fast(a, b, m: m, k: k, n: n)
        var magnitude = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k { magnitude[i * n + j] += Double(abs(a[i * k + p] * b[p * n + j])) }
            }
        }
        let message = firstMismatch(naive, fast) { 2 * Double(k) * 0x1p-24 * magnitude[$0] }
        #expect(message == nil, "\(m)×\(k)·\(k)×\(n): \(message ?? "")")
    }

    @Test func tensorProductChecksShapes() throws {
        let a = Tensor(shape: [2, 3], repeating: 1)
        #expect(throws: MatmulError.notAMatrix(operand: "A", shape: [6])) {
            try FloatMatmul.multiply(Tensor(shape: [6], repeating: 1), a)
        }
        #expect(throws: MatmulError.innerDimensionMismatch(left: [2, 3], right: [2, 3])) {
            try FloatMatmul.multiply(a, a)
        }
        let c = try FloatMatmul.multiply(a, a.transposed())
        #expect(c.shape == [2, 2] && c.data == [3, 3, 3, 3])
    }
}
