/// Summary statistics and error measures, accumulated in `Double` so that the
/// order-of-summation noise of `Float` never shows up in a printed digit.
///
/// The error measures compare an original `x` with its reconstruction `x̂`:
///
/// ```
/// MSE        = (1/n) Σ (xᵢ − x̂ᵢ)²
/// max error  = maxᵢ |xᵢ − x̂ᵢ|
/// SQNR (dB)  = 10 · log₁₀( Σ xᵢ² / Σ (xᵢ − x̂ᵢ)² )     (signal-to-quantization-noise ratio)
/// ```
///
/// Quantiles interpolate linearly between order statistics — NumPy's default
/// (`method="linear"`), so our numbers can be checked against `numpy.quantile`.
public enum Statistics {
    /// Arithmetic mean; 0 for an empty input.
    public static func mean(_ xs: [Float]) -> Double {
        guard !xs.isEmpty else { return 0 }
        var sum = 0.0
        for x in xs { sum += Double(x) }
        return sum / Double(xs.count)
    }

    /// Population standard deviation (divides by n, like `numpy.std`); 0 for an empty input.
    public static func std(_ xs: [Float]) -> Double {
        guard !xs.isEmpty else { return 0 }
        let m = mean(xs)
        var sum = 0.0
        for x in xs {
            let d = Double(x) - m
            sum += d * d
        }
        return (sum / Double(xs.count)).squareRoot()
    }

    /// Smallest and largest value, or `nil` for an empty input. NaNs are skipped.
    public static func minMax(_ xs: [Float]) -> (min: Float, max: Float)? {
        var lo = Float.infinity
        var hi = -Float.infinity
        var seen = false
        for x in xs where !x.isNaN {
            lo = Swift.min(lo, x)
            hi = Swift.max(hi, x)
            seen = true
        }
        return seen ? (lo, hi) : nil
    }

    /// The largest magnitude, max |xᵢ| (0 for an empty input): the "absmax" of quantization.
    public static func absmax(_ xs: [Float]) -> Float {
        var m: Float = 0
        for x in xs { m = Swift.max(m, abs(x)) }
        return m
    }

    /// The `q`-quantile (0 ≤ q ≤ 1) with linear interpolation between order statistics,
    /// as `numpy.quantile(xs, q)` computes it. Precondition: `xs` is not empty.
    public static func quantile(_ xs: [Float], _ q: Double) -> Double {
        quantiles(xs, [q])[0]
    }

    /// Several quantiles at once (sorts once).
    public static func quantiles(_ xs: [Float], _ qs: [Double]) -> [Double] {
        precondition(!xs.isEmpty, "quantile of an empty array")
        let sorted = xs.map(Double.init).sorted()
        return qs.map { q in
            precondition((0...1).contains(q), "quantile \(q) is outside [0, 1]")
            let position = q * Double(sorted.count - 1)
            let lower = Int(position.rounded(.down))
            let upper = Swift.min(lower + 1, sorted.count - 1)
            let fraction = position - Double(lower)
            return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
        }
    }

    /// Mean squared error between `x` and its reconstruction `xHat`.
    public static func mse(_ x: [Float], _ xHat: [Float]) -> Double {
        precondition(x.count == xHat.count, "mse of arrays of different lengths")
        guard !x.isEmpty else { return 0 }
        var sum = 0.0
        for i in x.indices {
            let d = Double(x[i]) - Double(xHat[i])
            sum += d * d
        }
        return sum / Double(x.count)
    }

    /// Largest absolute error, maxᵢ |xᵢ − x̂ᵢ|.
    public static func maxAbsError(_ x: [Float], _ xHat: [Float]) -> Double {
        precondition(x.count == xHat.count, "maxAbsError of arrays of different lengths")
        var m = 0.0
        for i in x.indices {
            let d = abs(Double(x[i]) - Double(xHat[i]))
            if d.isNaN { return .nan }  // never report a smaller error than the truth
            m = Swift.max(m, d)
        }
        return m
    }

    /// Signal-to-quantization-noise ratio in decibels; `+infinity` for an exact
    /// reconstruction (no noise at all).
    public static func sqnr(_ x: [Float], _ xHat: [Float]) -> Double {
        precondition(x.count == xHat.count, "sqnr of arrays of different lengths")
        var signal = 0.0
        var noise = 0.0
        for i in x.indices {
            let s = Double(x[i])
            let d = s - Double(xHat[i])
            signal += s * s
            noise += d * d
        }
        if noise == 0 { return .infinity }
        return 10 * Math.log10(signal / noise)
    }
}
