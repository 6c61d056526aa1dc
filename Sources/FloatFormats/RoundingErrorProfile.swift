import Core

/// How large the rounding error of a format is at each magnitude — the shape behind
/// "relative error is constant for normal numbers and grows in the subnormal range".
///
/// For a normal number the round-to-nearest error is at most half a step, and the step is
/// 2^(e − m) for exponent e, so the relative error is bounded by the *unit roundoff*
///
/// ```
/// u = 2^−(m+1)          (fp16: 2^−11 ≈ 4.9e−4, bf16: 2^−8 ≈ 3.9e−3, fp8-e4m3: 2^−4 = 0.0625)
/// ```
///
/// Below the smallest normal the step stops shrinking (subnormals are evenly spaced), so the
/// relative error grows like step/|x| until values flush to zero (relative error 1). Above the
/// largest finite value a format overflows (to ±inf or NaN — no finite relative error) or
/// saturates (FP4: the error tends to 1 as x grows).
extension FloatFormat {
    /// The largest relative error `|x̂ − x| / |x|` seen among `samplesPerBin` magnitudes drawn
    /// log-uniformly from each of `bins` log-spaced bins covering [`lower`, `upper`]. The input
    /// x is a Double and is first rounded to float32 — so for ``fp32`` this measures float32's
    /// own rounding. Bins whose samples overflow to ±inf or NaN report `.infinity`.
    ///
    /// Returns the geometric centre of each bin and its worst relative error.
    public func relativeErrorProfile(
        from lower: Double, to upper: Double, bins: Int, samplesPerBin: Int, rng: inout SeededRNG
    ) -> (magnitudes: [Double], maxRelativeError: [Double]) {
        precondition(lower > 0 && upper > lower && bins > 0 && samplesPerBin > 0, "bad profile range")
        let logLower = Math.log10(lower)
        let binWidth = (Math.log10(upper) - logLower) / Double(bins)
        var centres: [Double] = []
        var worst: [Double] = []
        for bin in 0..<bins {
            let start = logLower + Double(bin) * binWidth
            centres.append(Math.pow(10, start + binWidth / 2))
            var maxError = 0.0
            for _ in 0..<samplesPerBin {
                let x = Math.pow(10, start + binWidth * rng.uniform())
                let stored = Double(roundTrip(Float(x)))
                let error = stored.isFinite ? abs(stored - x) / x : .infinity
                maxError = max(maxError, error)
            }
            worst.append(maxError)
        }
        return (centres, worst)
    }

    /// The unit roundoff u = 2^−(m+1): the largest relative error of rounding a value in the
    /// normal range to nearest.
    public var unitRoundoff: Double { Math.pow(2, -Double(mantissaBits + 1)) }
}
