import NF4
import Testing

/// Exercise 4.1 — `StandardNormal.quantile(_:)` (Φ⁻¹).
@Suite struct Ex4_1_NormalQuantileTests {

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
    @Test(arguments: scipyQuantiles)
    func quantileMatchesScipy(p: Double, x: Double) {
        let got = StandardNormal.quantile(p)
        let tolerance = 4 * max(x.magnitude.ulp, Double.leastNormalMagnitude)
        #expect(abs(got - x) <= tolerance, "Φ⁻¹(\(p)) = \(got), scipy \(x), diff \(got - x)")
    }

    /// Φ⁻¹(Φ(x)) = x, tested in the lower half where Φ(x) is computed without cancellation
    /// (for x > 0, Φ(x) = 1 − tiny keeps only the bits of 1 − tiny that a Double can hold).
    @Test func quantileInvertsTheCDF() {
        for x in stride(from: -8.0, through: 8.0, by: 0.37) {
            let back = x > 0 ? -StandardNormal.quantile(StandardNormal.cdf(-x)) : StandardNormal.quantile(StandardNormal.cdf(x))
            #expect(abs(back - x) <= 1e-13, "x \(x) → \(back)")
        }
    }

    /// Exact for p whose complement 1 − p is exact (dyadic p): the upper half is defined as
    /// −Φ⁻¹(1 − p).
    @Test func quantileIsAntisymmetric() {
        for p in [0x1p-10, 0.125, 0.25, 0.375, 0.4990234375] {
            #expect(StandardNormal.quantile(p) == -StandardNormal.quantile(1 - p))
        }
    }

    @Test func edgesAndNonsenseNeverTrap() {
        #expect(StandardNormal.quantile(0) == -.infinity)
        #expect(StandardNormal.quantile(1) == .infinity)
        #expect(StandardNormal.quantile(-0.1).isNaN && StandardNormal.quantile(1.5).isNaN)
        #expect(StandardNormal.quantile(.nan).isNaN)
        #expect(StandardNormal.quantile(.leastNonzeroMagnitude).isFinite, "the smallest subnormal: Acklam alone")
    }

    @Test func densityIntegratesTheCDF() {
        // Φ(b) − Φ(a) ≈ φ(mid)·(b − a) for a narrow interval.
        let a = 0.7, b = 0.7001
        let slope = (StandardNormal.cdf(b) - StandardNormal.cdf(a)) / (b - a)
        #expect(abs(slope - StandardNormal.density(0.70005)) < 1e-8)
    }
}
