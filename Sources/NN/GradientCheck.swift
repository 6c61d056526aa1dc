import Core

/// Checks a hand-written backward pass against central finite differences.
///
/// ```
/// numeric_i = (L(θ + h·eᵢ) − L(θ − h·eᵢ)) / 2h   ≈ ∂L/∂θᵢ
/// error     = |analytic_i − numeric_i|
/// passes    ⇔ error ≤ absolute + relative · max(|analytic_i|, |numeric_i|)   for every i
/// ```
///
/// The central difference's truncation error is O(h²)·L‴ and its rounding error about
/// ε·|L| / h, with ε the float32 epsilon (1.2e-7) because the layers compute in float32.
/// With the loss summed in Double and h ≈ 1e-2 both stay near 1e-4 relative for the smooth
/// functions here, so tests use tolerances of a few 1e-3 and say why where they differ.
/// Inputs near a kink (ReLU at 0) are kept away from it by the tests, because there the
/// difference quotient straddles two slopes.
public enum GradientCheck {
    /// The comparison for one parameter.
    public struct Result: CustomStringConvertible, Sendable {
        public let name: String
        public let checked: Int
        public let worstIndex: Int
        public let analytic: Float
        public let numeric: Double
        public let maxAbsoluteError: Double
        /// Largest error / max(|analytic|, |numeric|, 1e-6) over the checked indices.
        public let maxRelativeError: Double
        let failures: Int

        /// True when every checked index satisfied the tolerance given to `check`.
        public var passed: Bool { failures == 0 }

        public var description: String {
            "\(name): \(checked) checked, \(failures) outside tolerance; worst index \(worstIndex): "
                + "analytic \(analytic), numeric \(numeric), "
                + "max abs error \(maxAbsoluteError), max rel error \(maxRelativeError)"
        }
    }

    /// Compares `parameter.grad` (already filled by a backward pass) with central
    /// differences of `loss`, perturbing `parameter.value[i]` by ±h for each i in `indices`
    /// (all indices by default). `loss` must recompute the forward pass from scratch.
    public static func check(
        _ parameter: Parameter, indices: [Int]? = nil, step h: Float = 1e-2,
        relative: Double = 2e-3, absolute: Double = 1e-4, loss: () -> Double
    ) -> Result {
        let indices = indices ?? Array(0..<parameter.count)
        let analytic = parameter.grad
        var worst = (index: indices.first ?? 0, error: -1.0, numeric: 0.0)
        var maxRelative = 0.0
        var failures = 0
        for i in indices {
            let original = parameter.value[i]
            parameter.value[i] = original + h
            let plus = loss()
            parameter.value[i] = original - h
            let minus = loss()
            parameter.value[i] = original
            // Divide by the step actually taken: (x + h) − (x − h) in float32 may differ from 2h.
            let taken = Double(original + h) - Double(original - h)
            let numeric = (plus - minus) / taken
            let error = abs(Double(analytic[i]) - numeric)
            let scale = max(abs(Double(analytic[i])), abs(numeric))
            maxRelative = max(maxRelative, error / max(scale, 1e-6))
            if !(error <= absolute + relative * scale) { failures += 1 }
            if error > worst.error { worst = (i, error, numeric) }
        }
        return Result(
            name: parameter.name, checked: indices.count, worstIndex: worst.index,
            analytic: indices.isEmpty ? 0 : analytic[worst.index], numeric: worst.numeric,
            maxAbsoluteError: max(worst.error, 0), maxRelativeError: maxRelative, failures: failures)
    }
}
