import TestSupport
import Absmax
import Core
import Testing

/// Exercise 2d — `Int8Matmul.referenceProduct` (Int32 accumulation) and `Int8Matmul.dequantize`. The
/// codes and scales here are drawn directly (no quantizer), so the suite needs no other
/// exercise. The blocked kernel `Int8Matmul.product` is tested against `referenceProduct` in
/// `Int8MatmulFastPathTests`.
@Suite struct Ex2d_Int8MatmulTests {

    @Test func smallProductByHand() {
        // A = [[1, −2, 3], [127, 127, −128]], B (rows are the output columns) = [[4, 5, 6], [−1, 0, 2]]
        let a: [Int8] = [1, -2, 3, 127, 127, -128]
        let b: [Int8] = [4, 5, 6, -1, 0, 2]
        let c = Int8Matmul.referenceProduct(a, b, m: 2, k: 3, n: 2)
        // 1·4 − 2·5 + 3·6 = 12;  −1 + 6 = 5;  127·4 + 127·5 − 128·6 = 375;  −127 − 256 = −383
        let want: [Int32] = [12, 5, 375, -383]
        #expect(c == want)
    }

    @Test func worstCaseSumsFitTheInt32() {
        // k = 1000 products of (−128)·(−128) = 16 384 each: 16 384 000, far past Int16.
        let k = 1000
        let c = Int8Matmul.referenceProduct([Int8](repeating: -128, count: k), [Int8](repeating: -128, count: k), m: 1, k: k, n: 1)
        #expect(c == [16_384_000])
        #expect(Int8Matmul.maxInnerDimension == 131_071)
    }

    /// Random codes (−128 … 127) on shapes with odd m, n not a multiple of 4 and k not a
    /// multiple of a vector width, against a sum in Int64 — every entry exact.
    @Test func naiveMatchesAnInt64ReferenceOnEdgeShapes() {
        var log = MismatchLog("naive vs Int64 sums")
        for (m, k, n) in [(1, 1, 1), (3, 17, 5), (7, 33, 13), (2, 300, 9), (1, 0, 3)] {
            var rng = SeededRNG(seed: UInt64(m * 1000 + n))
            let a = (0..<(m * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
            let b = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
            let c = Int8Matmul.referenceProduct(a, b, m: m, k: k, n: n)
            let want = (0..<(m * n)).map { t -> Int32 in
                let (i, j) = (t / n, t % n)
                return Int32((0..<k).reduce(Int64(0)) { $0 + Int64(a[i * k + $1]) * Int64(b[j * k + $1]) })
            }
            if let message = firstMismatch(want, c) { log.add("\(m)×\(k)·(\(n)×\(k))ᵀ: \(message)") }
        }
        log.expectEmpty()
    }

    /// Random codes and per-row scales: rescale the Int32 products and compare with the float
    /// product of the dequantized operands. The integer sum is exact, so the two differ only
    /// by float rounding: of q/s (one rounding per operand), of the rescale, and of the float
    /// sum (≤ k roundings), bounded by (k + 3) · 2⁻²⁴ · Σ|x̂||ŵ|; we allow twice that.
    @Test func int8ProductEqualsFloatProductOfDequantizedValues() {
        let (m, k, n) = (9, 70, 6)
        var rng = SeededRNG(seed: 31)
        let qa = (0..<(m * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
        let qb = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
        let sa = (0..<m).map { _ in Float(1 + 100 * rng.uniform()) }
        let sb = (0..<n).map { _ in Float(500 + 3000 * rng.uniform()) }
        let y = Int8Matmul.dequantize(Int8Matmul.referenceProduct(qa, qb, m: m, k: k, n: n), rowScales: sa, colScales: sb)

        var reference = [Float](repeating: 0, count: m * n)
        var magnitude = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k {
                    let product = (Float(qa[i * k + p]) / sa[i]) * (Float(qb[j * k + p]) / sb[j])
                    reference[i * n + j] += product
                    magnitude[i * n + j] += Double(abs(product))
                }
            }
        }
        let message = firstMismatch(reference, y) { 2 * Double(k + 3) * 0x1p-24 * magnitude[$0] }
        #expect(message == nil, "\(message ?? "")")
    }

    @Test func dequantizeDividesByBothScales() {
        let y = Int8Matmul.dequantize([100, -50, 254, 0], rowScales: [2, 4], colScales: [5, 10])
        #expect(y == [10, -2.5, 12.7, 0])  // 100/(2·5), −50/(2·10), 254/(4·5), 0
        let wide = Int8Matmul.dequantize([1, 2, 3, 4, 5, 6], rowScales: [1, 2], colScales: [1, 10, 100])
        #expect(wide == [1, 0.2, 0.03, 2, 0.25, 0.03], "C is m × n, row-major: C[i][j] / (s_A[i] · s_B[j])")
    }

    /// Random accumulators and scales: within two float roundings of C / (s_A · s_B)
    /// computed in Double. The bit-exact version is the next test.
    @Test func dequantizeIsWithinRoundingOfReference() {
        let (c, rows, cols) = Self.rescaleInputs()
        let y = Int8Matmul.dequantize(c, rowScales: rows, colScales: cols)
        let want = c.indices.map { t in Float(Double(c[t]) / (Double(rows[t / cols.count]) * Double(cols[t % cols.count]))) }
        let message = firstMismatch(want, y) { Double(abs(want[$0])) * 0x1p-22 }
        #expect(message == nil, "\(message ?? "")")
    }

    @Test func dequantizeIsBitExact() {
        let (c, rows, cols) = Self.rescaleInputs()
        let y = Int8Matmul.dequantize(c, rowScales: rows, colScales: cols)
        let want = c.indices.map { t in Float(c[t]) / (rows[t / cols.count] * cols[t % cols.count]) }
        if let message = firstBitMismatch(want, y) {
            Issue.record(
                """
                bit-exact with the golden outputs of Chapters 2 and 3 needs the order the doc comment \
                prescribes: Float(C[i][j]) / (rowScales[i] · colScales[j]), the scales multiplied first — \(message)
                """)
        }
    }

    /// 23 × 17 accumulators of mixed size and sign, scales spread over four decades.
    static func rescaleInputs() -> ([Int32], [Float], [Float]) {
        var rng = SeededRNG(seed: 33)
        let rows = (0..<23).map { _ in Float(Math.pow(10, 4 * rng.uniform())) }
        let cols = (0..<17).map { _ in Float(Math.pow(10, 4 * rng.uniform())) }
        let c = (0..<(23 * 17)).map { _ in Int32(truncatingIfNeeded: rng.next() >> 40) - (1 << 23) }
        return (c, rows, cols)
    }
}
