import Core

/// The standard normal distribution N(0, 1): density, CDF Φ and its inverse Φ⁻¹ (the
/// quantile function, scipy's `norm.ppf`), which NF4 is built from.
///
/// Neither Foundation nor swift-numerics has Φ⁻¹, so we write it: **Acklam's rational
/// approximation** (P. J. Acklam, "An algorithm for computing the inverse normal cumulative
/// distribution function", 2003; relative error below 1.15·10⁻⁹), then **one Halley step**
/// on Φ(x) − p computed with `erfc`, which roughly cubes the error — down to the accuracy of
/// `erfc` itself, about 1 ulp of a Double:
///
/// ```
/// central region  p ∈ [0.02425, 0.5]:  q = p − ½, r = q²
///                 x = q · A(r) / B(r)                         A: 6 terms, B: 5 terms + 1
/// lower tail      p < 0.02425:          q = √(−2 ln p)
///                 x = C(q) / D(q)                             C: 6 terms, D: 4 terms + 1
/// upper half      Φ⁻¹(p) = −Φ⁻¹(1 − p)   (1 − p is exact for p ≥ ½)
///
/// Halley:  e = Φ(x) − p = ½ erfc(−x/√2) − p,   u = e · √(2π) · exp(x²/2)
///          x ← x − u / (1 + x·u/2)
/// ```
///
/// Working in the lower half keeps Φ(x) a small number computed without cancellation, so
/// the tails are as accurate (relatively) as the centre.
public enum StandardNormal {
    /// φ(x) = exp(−x²/2) / √(2π).
    public static func density(_ x: Double) -> Double {
        Math.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    }

    /// Φ(x) = ½ erfc(−x / √2) (erfc rather than 1 + erf keeps the lower tail accurate).
    public static func cdf(_ x: Double) -> Double {
        0.5 * Math.erfc(-x / 2.0.squareRoot())
    }

    /// Φ⁻¹(p): the x with Φ(x) = p. Φ⁻¹(0) = −∞, Φ⁻¹(1) = +∞, NaN outside [0, 1] (and for NaN).
    /// Below ½ it is `lowerHalfQuantile(p)`; above, −`lowerHalfQuantile(1 − p)` (1 − p is
    /// exact for p ≥ ½), so Φ⁻¹(1 − p) = −Φ⁻¹(p) exactly whenever 1 − p is exact.
    public static func quantile(_ p: Double) -> Double {
        // BEGIN EXERCISE 4a — inverse normal CDF
        guard p >= 0 && p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p > 0.5 { return -lowerHalfQuantile(1 - p) }
        return lowerHalfQuantile(p)
        // END EXERCISE 4a
    }

    /// Φ⁻¹(p) for 0 < p ≤ ½: Acklam's starting value, then one Halley step, evaluated in
    /// exactly this order (the chapter's printed digits, and the NF4 table, are these bits):
    ///
    /// ```
    /// x = acklam(p)
    /// e = cdf(x) − p
    /// u = (e · (2π).squareRoot()) · exp(0.5 · x · x)       left to right, as written
    /// x = x − u / (1 + 0.5 · x · u)                        only when u is finite
    /// ```
    ///
    /// For p below ~1e-308 exp(x²/2) overflows and u is ∞; Acklam's value is then the best we have.
    static func lowerHalfQuantile(_ p: Double) -> Double {
        // BEGIN EXERCISE 4a — inverse normal CDF
        var x = acklam(p)
        let e = cdf(x) - p
        let u = e * (2 * Double.pi).squareRoot() * Math.exp(0.5 * x * x)
        if u.isFinite { x -= u / (1 + 0.5 * x * u) }
        return x
        // END EXERCISE 4a
    }

    /// Acklam's rational approximation for 0 < p ≤ ½ (relative error < 1.15e-9): the
    /// starting value Exercise 4a refines (given — its 22 coefficients teach nothing by typing).
    public static func acklam(_ p: Double) -> Double {
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01,
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
        ]
        let d = [
            7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00,
        ]
        let pLow = 0.02425
        if p < pLow {
            let q = (-2 * Math.log(p)).squareRoot()
            let numerator = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
            let denominator = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
            return numerator / denominator
        }
        let q = p - 0.5
        let r = q * q
        let numerator = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        let denominator = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
        return numerator / denominator
    }
}
