import Core

/// The Gaussian error linear unit in its **exact** form, x · Φ(x), the activation BERT was
/// trained with (Hendrycks & Gimpel, "Gaussian Error Linear Units", 2016, §2; Devlin et al.
/// 2018 §3 "we use a gelu activation"; Hugging Face's `ACT2FN["gelu"]` = PyTorch's
/// `nn.GELU()` with `approximate="none"`).
///
/// ```
/// y = x · Φ(x) = ½ · x · (1 + erf(x / √2))
/// ```
///
/// `GELU` (GELU.swift) is the tanh approximation GPT-2 uses; the two differ by up to
/// about 0.0005 (near x ≈ ±2), so a model must run the form it was trained with: a BERT run
/// with the tanh form drifts from its reference embeddings. Inference only (no backward:
/// nothing in the book trains a BERT). erf is evaluated in Double (Core's `Math.erf`) and
/// rounded to Float once — PyTorch evaluates it in float32, so single values may differ from
/// PyTorch's in the last bit.
public enum ExactGELU {
    /// 1/√2
    static let inverseSquareRootOfTwo = 1 / 2.0.squareRoot()

    /// y = ½ x (1 + erf(x/√2)) for one value — the reference.
    public static func referenceValue(_ x: Float) -> Float {
        let xd = Double(x)
        return Float(0.5 * xd * (1 + Math.erf(xd * inverseSquareRootOfTwo)))
    }

    /// values[i] = referenceValue(values[i]) for every i, in place; large arrays are shared
    /// out over the cores (each value on its own, so the result does not depend on it).
    public static func apply(_ values: inout [Float]) {
        values.withUnsafeMutableBufferPointer { values in
            guard let base = values.baseAddress else { return }
            KernelThreads.forEachPiece(items: values.count, work: values.count &* 32) { piece in
                for i in piece { base[i] = referenceValue(base[i]) }
            }
        }
    }
}
