import TestSupport
import Absmax
import Core
import Testing

/// The blocked int8 kernel `Int8Matmul.product` computes the same integers as the readable
/// `Int8Matmul.referenceProduct` (Exercise 2d): integer addition is associative, so they agree exactly
/// whatever the order of the sums. Chapter 2 (§2.5) and LLM.int8() use `product`.
@Suite struct Int8MatmulFastPathTests {
    @Test func fastAgreesWithNaiveExactlyOnEdgeShapes() {
        // Odd m, n not a multiple of 4, k not a multiple of the vector width, k past one depth block.
        var log = MismatchLog("fast vs naive")
        for (m, k, n) in [(1, 1, 1), (3, 17, 5), (7, 33, 130), (2, 4100, 9)] {
            var rng = SeededRNG(seed: UInt64(m * 1000 + n))
            let a = (0..<(m * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
            let b = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
            let naive = Int8Matmul.referenceProduct(a, b, m: m, k: k, n: n)
            let fast = Int8Matmul.product(a, b, m: m, k: k, n: n)
            if let message = firstMismatch(naive, fast) { log.add("\(m)×\(k)·(\(n)×\(k))ᵀ: \(message)") }
        }
        log.expectEmpty()
    }
}
