import Blockwise8
import Core
import NF4
import TestSupport
import Testing

/// Exercise 4a — `StandardNormal.quantile(_:)` (Φ⁻¹): symmetry, and one Halley step from
/// Acklam's start (`StandardNormal.acklam`, given).
@Suite struct Ex4a_NormalQuantileTests {

    /// Expected values: `scipy.stats.norm.ppf(p)` from scipy 1.17.1 (Cephes' `ndtri`),
    /// computed once and pasted here; the first is the textbook Φ⁻¹(0.975) = 1.959963984540054.
    /// The middle rows are the float32 probabilities bitsandbytes feeds to `norm.ppf` for NF4.
    static let scipyQuantiles: [(p: Double, x: Double)] = [
        (0.975, 1.959963984540054),
        (0.5, 0.0),
        (0.9677082896232605, 1.848130816262525),
        (0.8507812023162842, 1.0397897432526497),
        (0.5584635138511658, 0.14707481006316822),
        (0.5668154954910278, 0.1682723705431516),
        (0.84, 0.994457883209753),
        (0.99, 2.3263478740408408),
        (0.999, 3.090232306167813),
        (0.025, -1.9599639845400545),
        (0.02425, -1.972961051311885),
        (0.0242, -1.9738394633131995),
        (0.001, -3.090232306167813),
        (1e-10, -6.361340902404056),
        (1e-300, -37.0470962993612),
        (0.3, -0.5244005127080409),
        (0.6, 0.2533471031357997),
    ]

    /// Within 4 ulp of scipy: Acklam's 1e-9 start plus one Halley step leaves only the
    /// rounding of erfc and exp (a few ulp), far below what float32 can see (2⁻²⁴ ≈ 6e-8).
    @Test func quantileWithinFourUlpOfScipy() {
        var log = MismatchLog("Φ⁻¹ against scipy (4 ulp)")
        for (p, x) in Self.scipyQuantiles {
            let got = StandardNormal.quantile(p)
            let tolerance = 4 * max(x.magnitude.ulp, Double.leastNormalMagnitude)
            if !(abs(got - x) <= tolerance) { log.add("Φ⁻¹(\(p)) = \(got), scipy \(x), diff \(got - x)") }
        }
        log.expectEmpty()
    }

    /// Φ⁻¹(Φ(x)) = x, tested in the lower half where Φ(x) is computed without cancellation
    /// (for x > 0, Φ(x) = 1 − tiny keeps only the bits of 1 − tiny that a Double can hold).
    @Test func quantileInvertsTheCDF() {
        var log = MismatchLog("Φ⁻¹(Φ(x)) = x within 1e-13")
        for x in stride(from: -8.0, through: 8.0, by: 0.37) {
            let back = x > 0 ? -StandardNormal.quantile(StandardNormal.cdf(-x)) : StandardNormal.quantile(StandardNormal.cdf(x))
            if !(abs(back - x) <= 1e-13) { log.add("x \(x) → \(back)") }
        }
        log.expectEmpty()
    }

    /// Exact for p whose complement 1 − p is exact (dyadic p): the upper half is defined as
    /// −Φ⁻¹(1 − p).
    @Test func quantileIsAntisymmetric() {
        var log = MismatchLog("Φ⁻¹(p) = −Φ⁻¹(1 − p)")
        for p in [0x1p-10, 0.125, 0.25, 0.375, 0.4990234375] {
            let (low, high) = (StandardNormal.quantile(p), StandardNormal.quantile(1 - p))
            if low != -high || low >= 0 { log.add("p = \(p): \(low) and \(high)") }
        }
        log.expectEmpty()
    }

    @Test func edgesAndNonsenseNeverTrap() {
        #expect(StandardNormal.quantile(0) == -.infinity)
        #expect(StandardNormal.quantile(1) == .infinity)
        #expect(StandardNormal.quantile(-0.1).isNaN && StandardNormal.quantile(1.5).isNaN)
        #expect(StandardNormal.quantile(.nan).isNaN)
        #expect(StandardNormal.quantile(0.5) == 0)
        #expect(StandardNormal.quantile(.leastNonzeroMagnitude).isFinite, "the smallest subnormal: Acklam alone")
        #expect(StandardNormal.quantile(.leastNonzeroMagnitude) < -38)
    }

    @Test func densityIntegratesTheCDF() {
        // Φ(b) − Φ(a) ≈ φ(mid)·(b − a) for a narrow interval.
        let a = 0.7, b = 0.7001
        let slope = (StandardNormal.cdf(b) - StandardNormal.cdf(a)) / (b - a)
        #expect(abs(slope - StandardNormal.density(0.70005)) < 1e-8)
    }

    /// The evaluation `lowerHalfQuantile`'s doc comment prescribes, transcribed.
    static func prescribed(_ p: Double) -> Double {
        guard p >= 0 && p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        func lowerHalf(_ p: Double) -> Double {
            var x: Double = StandardNormal.acklam(p)
            let e: Double = StandardNormal.cdf(x) - p
            let rootTwoPi: Double = (2 * Double.pi).squareRoot()
            let u: Double = e * rootTwoPi * Math.exp(0.5 * x * x)
            if u.isFinite { x -= u / (1 + 0.5 * x * u) }
            return x
        }
        return p > 0.5 ? -lowerHalf(1 - p) : lowerHalf(p)
    }

    /// The probabilities whose quantiles the chapter prints (§4.1, §4.2) or builds NF4 from,
    /// scipy's table above, and a sweep over (0, 1) and both tails.
    static var probabilities: [Double] {
        var p = scipyQuantiles.map(\.p) + [0.15865525393145707, 0.9, 1 - 1.0 / 32, 1 - 1.0 / 30, 0.9677083]
        for k in 1..<200 { p.append(Double(k) / 200) }
        for e in 1...300 where e % 7 == 0 { p += [Math.pow(10, -Double(e)), 1 - Math.pow(10, -Double(e) / 20)] }
        for offset in [0.9677083, 0.9, 0.99] {
            for count in [8, 9] {
                p += TorchLinspace.float32(from: Float(offset), to: 0.5, count: count).map(Double.init)
            }
        }
        return p
    }

    /// Then the bits: the chapter prints Φ⁻¹ to 15 digits and its difference from the known
    /// quantiles, so every solution must produce the same Double.
    @Test func quantileIsBitExactInThePrescribedOrder() {
        var log = MismatchLog("Φ⁻¹ bit for bit")
        for p in Self.probabilities {
            let (want, got) = (Self.prescribed(p), StandardNormal.quantile(p))
            if want.bitPattern != got.bitPattern && !(want.isNaN && got.isNaN) {
                log.add("Φ⁻¹(\(p)): expected \(want), got \(got) (\(got - want) apart)")
            }
        }
        if let summary = log.summary {
            Issue.record(
                """
                bit-exact with the chapter's golden output needs the order the doc comment prescribes: \
                x = acklam(p), e = cdf(x) − p, u = (e · √(2π)) · exp(0.5 · x · x), x − u / (1 + 0.5 · x · u); \
                above ½ −Φ⁻¹(1 − p) — \(summary)
                """)
        }
    }
}
