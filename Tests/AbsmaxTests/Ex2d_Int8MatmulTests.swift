import TestSupport
import Absmax
import Core
import Testing

/// Exercise 2.4 — `Int8Matmul.naive` (Int32 accumulation) and `Int8Matmul.dequantize`.
@Suite struct Ex2_4_Int8MatmulTests {

    @Test func smallProductByHand() {
        // A = [[1, −2, 3], [127, 127, −128]], B (rows are the output columns) = [[4, 5, 6], [−1, 0, 2]]
        let a: [Int8] = [1, -2, 3, 127, 127, -128]
        let b: [Int8] = [4, 5, 6, -1, 0, 2]
        let c = Int8Matmul.naive(a, b, m: 2, k: 3, n: 2)
        // 1·4 − 2·5 + 3·6 = 12;  −1 + 6 = 5;  127·4 + 127·5 − 128·6 = 375;  −127 − 256 = −383
        let want: [Int32] = [12, 5, 375, -383]
        #expect(c == want)
    }

    @Test func worstCaseSumsFitTheInt32() {
        // k = 1000 products of (−128)·(−128) = 16 384 each: 16 384 000, far past Int16.
        let k = 1000
        let c = Int8Matmul.naive([Int8](repeating: -128, count: k), [Int8](repeating: -128, count: k), m: 1, k: k, n: 1)
        #expect(c == [16_384_000])
        #expect(Int8Matmul.maxInnerDimension == 131_071)
    }

    /// Quantize X and W per row, multiply the codes in Int32, rescale — and compare with
    /// the float product of the *dequantized* operands. The integer sum is exact, so the
    /// two differ only by float rounding: of q/s (one rounding per operand) and of the
    /// float sum (≤ k roundings), bounded by (k + 3) · 2⁻²⁴ · Σ|x̂||ŵ|; we allow twice that.
    @Test func int8ProductEqualsFloatProductOfDequantizedValues() throws {
        let (m, k, n) = (9, 70, 6)
        let x = randomMatrix(m, k, seed: 31)
        let w = randomMatrix(n, k, seed: 32, std: 0.05)
        let qx = try Absmax.quantize(x, granularity: .perRow)
        let qw = try Absmax.quantize(w, granularity: .perRow)
        let c = Int8Matmul.naive(qx.codes, qw.codes, m: m, k: k, n: n)
        let y = Int8Matmul.dequantize(c, rowScales: qx.scales, colScales: qw.scales)

        let xHat = qx.dequantize(), wHat = qw.dequantize()
        var reference = [Float](repeating: 0, count: m * n)
        var magnitude = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k {
                    reference[i * n + j] += xHat[i, p] * wHat[j, p]
                    magnitude[i * n + j] += Double(abs(xHat[i, p] * wHat[j, p]))
                }
            }
        }
        let message = firstMismatch(reference, y) { 2 * Double(k + 3) * 0x1p-24 * magnitude[$0] }
        #expect(message == nil, "\(message ?? "")")
    }

    @Test func fastAgreesWithNaiveExactlyOnEdgeShapes() {
        // Odd m, n not a multiple of 4, k not a multiple of the vector width.
        for (m, k, n) in [(1, 1, 1), (3, 17, 5), (7, 33, 130), (2, 4100, 9)] {
            var rng = SeededRNG(seed: UInt64(m * 1000 + n))
            let a = (0..<(m * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
            let b = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
            let naive = Int8Matmul.naive(a, b, m: m, k: k, n: n)
            let fast = Int8Matmul.fast(a, b, m: m, k: k, n: n)
            #expect(naive == fast, "\(m)×\(k)·\(k)×\(n): \(firstMismatch(naive, fast) ?? "")")
        }
    }

    @Test func dequantizeDividesByBothScales() {
        let y = Int8Matmul.dequantize([100, -50, 254, 0], rowScales: [2, 4], colScales: [5, 10])
        #expect(y == [10, -2.5, 12.7, 0])  // 100/(2·5), −50/(2·10), 254/(4·5), 0
    }
}
