/// The per-channel scales AWQ tries for one point of its grid (paper §3.2, Eq. 4–5):
///
/// ```
/// s = s_X^α,   α* = argmin_α ‖Q(W · diag(s)) (diag(s)⁻¹ · X) − W X‖      (Eq. 5)
/// ```
///
/// and, as the reference computes it for ratio α = i / 20:
///
/// ```
/// s[c] = max(x_max[c]^α, 1e-4)                      float32 pow, PyTorch's (TorchPow)
/// s[c] = s[c] / sqrt(max(s) · min(s))               normalise: the geometric middle → 1
/// ```
///
/// Why each step: multiplying a salient channel's weights by s > 1 makes its rounding error
/// relatively smaller (§3.2: the error of w·s is about that of w while the group's scale Δ
/// barely moves); dividing the activation by s keeps the product the same. The clamp stops a
/// dead channel (x_max = 0) from getting s = 0, which would divide by zero when folded. The
/// normalisation only rescales all s together so they sit around 1 (the quantizer's groups
/// see a weight of the usual size); it does not change which channels are protected.
///
/// Properties (tested): α = 0 gives s = 1 everywhere (so the search's first point is plain
/// RTN); the result equals the reference's `best_scales.npy` bit for bit in all four cases.
/// The power is PyTorch's own (SLEEF's, `TorchPow`): glibc's correctly rounded `powf` differs
/// from it by one ulp on 3 of the 640 scales.
///
/// Detail copied from the reference's numbers: the normaliser sqrt(max · min) is computed as
/// float32(sqrt(max · min in Double)). With a dead channel (min = 1e-4) the float32 product
/// rounds so that its float32 square root lands one ulp low, and 106 of 128 scales would
/// differ from `best_scales.npy`; computing the product exactly matches all 128.
public enum ScaleFormula {

    /// The grid of ratios the search tries: 0, 1/20, …, 19/20 (`n_grid = 20`).
    public static func ratios(gridSize: Int = 20) -> [Double] {
        (0..<gridSize).map { Double($0) / Double(gridSize) }
    }

    /// s for one ratio α: x_max^α clamped to ≥ 1e-4, divided by sqrt(max(s) · min(s)).
    public static func scales(xMax: [Float], ratio: Double) -> [Float] {
        // BEGIN EXERCISE 10b — the scale formula
        // The reference multiplies a float32 tensor by a Python float: the ratio is rounded
        // to float32 first.
        let alpha = Float(ratio)
        let s = xMax.map { max(TorchPow.pow($0, alpha), 1e-4) }
        guard let largest = s.max(), let smallest = s.min() else { return s }
        let normaliser = Float((Double(largest) * Double(smallest)).squareRoot())
        return s.map { $0 / normaliser }
        // END EXERCISE 10b
    }
}
